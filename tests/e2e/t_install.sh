#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make install honours PREFIX and DESTDIR: the binary, the man pages, the
# example configuration, the service files; the installed binary runs alone.
. "$(dirname "$0")/lib.sh"
make -C "$TOP" --no-print-directory -s install DESTDIR="$W/root" PREFIX=/opt/essaim >/dev/null ||
	fail "make install failed"
for f in opt/essaim/bin/essaim opt/essaim/share/man/man1/essaim.1 opt/essaim/share/man/man5/essaim.conf.5 \
	opt/essaim/share/doc/essaim/examples/essaim.conf opt/essaim/share/doc/essaim/examples/essaim.service \
	opt/essaim/share/doc/essaim/examples/master.cf opt/essaim/lib/sysusers.d/essaim.conf \
	opt/essaim/lib/tmpfiles.d/essaim.conf; do
	[ -f "$W/root/$f" ] || fail "$f not installed"
done
[ -x "$W/root/opt/essaim/bin/essaim" ] || fail "binary not executable"
# nothing outside DESTDIR, and the binary needs no source tree
cd "$W" && "$W/root/opt/essaim/bin/essaim" form | grep -q '^Commune :' || fail "installed binary"
pass "make install with PREFIX and DESTDIR"
