# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced after lib.sh by t_install.sh and heavy/t_deb.sh: what an install
# of essaim does on a fresh system, checked in a scratch root.

# fresh_install ROOT: ROOT holds an installed essaim (make install
# DESTDIR=ROOT PREFIX=/usr, or the package unpacked with dpkg-deb -x).
# Do what the package's postinst does (systemd-sysusers and systemd-tmpfiles
# on the shipped files, with --root), then, in a private mount namespace
# where ROOT's /var/lib is /var/lib and the "essaim" user exists, run the
# installed binary on the installed /etc/essaim/essaim.conf as root and as
# the service user: `essaim check` passes before any database or secret
# exists, `essaim form` prints the form, and the first command that opens
# the database creates it in /var/lib/essaim, owned by essaim (the folder is 0700).
fresh_install() {
	r=$1
	[ "$(id -u)" -eq 0 ] || fail "fresh_install needs root (sysusers, mount namespace)"
	for t in systemd-sysusers systemd-tmpfiles unshare setpriv; do
		command -v $t > /dev/null || fail "$t missing (packages.debian: systemd, util-linux)"
	done
	bin=$r/usr/bin/essaim
	conf=$r/etc/essaim/essaim.conf
	[ -x "$bin" ] || fail "$bin missing"
	[ -f "$conf" ] || fail "$conf missing"
	# what the postinst runs (with DPKG_ROOT: --root)
	systemd-sysusers --root="$r" "$r/usr/lib/sysusers.d/essaim.conf" > /dev/null 2>&1 ||
		fail "systemd-sysusers refused the sysusers file"
	grep -q '^essaim:' "$r/etc/passwd" || fail "sysusers created no essaim user"
	systemd-tmpfiles --root="$r" --create "$r/usr/lib/tmpfiles.d/essaim.conf" ||
		fail "systemd-tmpfiles refused the tmpfiles file"
	uid=$(sed -n 's/^essaim:[^:]*:\([0-9]*\):.*/\1/p' "$r/etc/passwd")
	gid=$(sed -n 's/^essaim:[^:]*:\([0-9]*\):.*/\1/p' "$r/etc/group")
	[ "$(stat -c '%a %u' "$r/var/lib/essaim")" = "700 $uid" ] ||
		fail "/var/lib/essaim is $(stat -c '%a %u' "$r/var/lib/essaim"), not 700 essaim ($uid)"
	[ "$(stat -c '%a %u %g' "$r/etc/essaim")" = "750 0 $gid" ] ||
		fail "/etc/essaim is $(stat -c '%a %u %g' "$r/etc/essaim"), not 750 root:essaim ($gid)"
	[ ! -e "$r/var/lib/essaim/essaim.db" ] || fail "a database exists before first use"
	# the host's users plus the one the sysusers file made
	cp /etc/passwd "$W/passwd"
	cp /etc/group "$W/group"
	grep '^essaim:' "$r/etc/passwd" >> "$W/passwd"
	grep '^essaim:' "$r/etc/group" >> "$W/group"
	# the service user must reach ROOT through $W
	chmod 711 "$W"
	cat > "$W/fresh.sh" <<-'SCRIPT'
	set -eu
	r=$1 w=$2
	mount --bind "$w/passwd" /etc/passwd
	mount --bind "$w/group" /etc/group
	mount --bind "$r/var/lib" /var/lib
	bin=$r/usr/bin/essaim conf=$r/etc/essaim/essaim.conf
	as_essaim() { setpriv --reuid=essaim --regid=essaim --init-groups "$@"; }
	"$bin" -c "$conf" check > "$w/check-root.out"
	as_essaim "$bin" -c "$conf" check > "$w/check-essaim.out"
	[ ! -e /var/lib/essaim/essaim.db ] || { echo "check created the database" >&2; exit 1; }
	as_essaim "$bin" -c "$conf" form > "$w/form.out"
	cd /
	as_essaim "$bin" -c "$conf" status > "$w/status.out" || [ $? -eq 1 ]
	stat -c '%U' /var/lib/essaim/essaim.db > "$w/db.stat"
	SCRIPT
	unshare -m --propagation private sh "$W/fresh.sh" "$r" "$W" ||
		{ cat "$W"/check-*.out 2> /dev/null; fail "the installed essaim failed on a fresh install"; }
	# a fresh configuration names no moderator yet: the one warning says so
	for who in root essaim; do
		grep -q ': 0 problems, 1 warning$' "$W/check-$who.out" &&
		grep -q 'no moderator configured' "$W/check-$who.out" ||
			{ cat "$W/check-$who.out"; fail "check as $who"; }
	done
	grep -q '^Commune :' "$W/form.out" || fail "essaim form printed no form"
	[ "$(cat "$W/db.stat")" = essaim ] || fail "database owned by $(cat "$W/db.stat"), not essaim"
}
