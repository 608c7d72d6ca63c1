#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make install honours PREFIX and DESTDIR: the binary, the man pages with the
# version, the systemd units and the examples naming the installed binary,
# the sysusers and tmpfiles files, and /etc/essaim/essaim.conf, never
# overwritten; the installed binary runs alone. Installed as Debian lays it
# out (PREFIX=/usr), it passes `essaim check` on a fresh system
# (install-lib.sh): needs root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install-lib.sh"
make -C "$TOP" --no-print-directory -s install DESTDIR="$W/root" PREFIX=/opt/essaim >/dev/null ||
	fail "make install failed"
for f in opt/essaim/bin/essaim opt/essaim/share/man/man1/essaim.1 opt/essaim/share/man/man5/essaim.conf.5 \
	opt/essaim/share/doc/essaim/examples/essaim.conf opt/essaim/share/doc/essaim/examples/master.cf \
	opt/essaim/share/doc/essaim/examples/essaim opt/essaim/share/doc/essaim/examples/procmailrc \
	opt/essaim/share/doc/essaim/examples/essaim.sieve \
	opt/essaim/lib/systemd/system/essaim.service opt/essaim/lib/systemd/system/essaim-publish.service \
	opt/essaim/lib/systemd/system/essaim-publish.timer opt/essaim/lib/systemd/system/essaim-remind.service \
	opt/essaim/lib/systemd/system/essaim-remind.timer \
	opt/essaim/lib/sysusers.d/essaim.conf opt/essaim/lib/tmpfiles.d/essaim.conf etc/essaim/essaim.conf; do
	[ -f "$W/root/$f" ] || fail "$f not installed"
done
[ -x "$W/root/opt/essaim/bin/essaim" ] || fail "binary not executable"
# the units and examples name the installed binary, nothing else
for f in "$W"/root/opt/essaim/lib/systemd/system/*.service "$W/root/opt/essaim/share/doc/essaim/examples/master.cf"; do
	grep -q '/opt/essaim/bin/essaim ' "$f" || fail "${f##*/} does not name /opt/essaim/bin/essaim"
	grep -E '/usr(/local)?/bin/essaim' "$f" && fail "${f##*/} names another binary"
done
version=$(sed -n '1s/^essaim (\([^)]*\)).*/\1/p' "$TOP/debian/changelog" | sed 's/-[^-]*$//')
grep -q "^\.TH ESSAIM 1 .* \"essaim $version\"" "$W/root/opt/essaim/share/man/man1/essaim.1" ||
	fail "the installed essaim(1) does not carry version $version"
# nothing outside DESTDIR, and the binary needs no source tree
cd "$W" && "$W/root/opt/essaim/bin/essaim" form | grep -q '^Commune :' || fail "installed binary"
[ "$("$W/root/opt/essaim/bin/essaim" --version)" = "essaim $version" ] || fail "installed --version"
# an operator's configuration is kept by a second install
echo "# mine" >> "$W/root/etc/essaim/essaim.conf"
make -C "$TOP" --no-print-directory -s install DESTDIR="$W/root" PREFIX=/opt/essaim >/dev/null ||
	fail "second make install failed"
tail -n 1 "$W/root/etc/essaim/essaim.conf" | grep -qx '# mine' || fail "make install overwrote essaim.conf"
pass "make install with PREFIX and DESTDIR"

# Debian's layout, on a fresh system
make -C "$TOP" --no-print-directory -s install DESTDIR="$W/deb" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system \
	> /dev/null || fail "make install PREFIX=/usr failed"
[ -f "$W/deb/lib/systemd/system/essaim.service" ] || fail "SYSTEMDUNITDIR not honoured"
grep -q '^ExecStart=/usr/bin/essaim -f daemon$' "$W/deb/lib/systemd/system/essaim.service" ||
	fail "essaim.service does not start /usr/bin/essaim"
fresh_install "$W/deb"
pass "installed with PREFIX=/usr: essaim check passes on a fresh system, the service user owns the database"

# The builder's flags and pkg-config reach every compile and link (dry run:
# make -n prints the commands it would run)
cat > "$W/pkg-config" <<'PC'
#!/bin/sh
case " $* " in
*" --cflags "*) echo "-DFROM_THE_BUILDERS_PKG_CONFIG" ;;
*" --libs "*) echo "-lfrom_the_builders_pkg_config" ;;
esac
PC
chmod +x "$W/pkg-config"
make -C "$TOP" --no-print-directory -n -B build/essaim build/test_token PKG_CONFIG="$W/pkg-config" \
	CPPFLAGS=-DBUILDER_CPPFLAGS CFLAGS='-O2 -DBUILDER_CFLAGS' LDFLAGS=-Wl,-z,builder_ldflags > "$W/make-n" ||
	fail "make -n failed"
grep -E '(^| )-c -o build/obj/' "$W/make-n" > "$W/compiles"
grep -E '(^| )-o build/(essaim|test_token) ' "$W/make-n" > "$W/links"
[ "$(wc -l < "$W/compiles")" -gt 20 ] || fail "no compile command seen"
[ "$(wc -l < "$W/links")" -eq 2 ] || fail "no link command seen"
for flag in -DBUILDER_CPPFLAGS -DBUILDER_CFLAGS -DFROM_THE_BUILDERS_PKG_CONFIG; do
	grep -v -e "$flag" "$W/compiles" | head -n 1 | grep . && fail "a compile without $flag"
done
for flag in -Wl,-z,builder_ldflags -lfrom_the_builders_pkg_config; do
	grep -v -e "$flag" "$W/links" | head -n 1 | grep . && fail "a link without $flag"
done
pass "CPPFLAGS, CFLAGS, LDFLAGS and PKG_CONFIG reach every compile and link"
