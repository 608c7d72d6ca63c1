#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every key of src/base/config.c's table is documented in essaim.conf(5) and
# shown in config/essaim.conf.example; every command of the table in
# src/cli/main.c has its entry in essaim(1); the example configuration loads
# without an unknown key; the man pages format without warnings.
. "$(dirname "$0")/lib.sh"

keys=$(grep -oE '^[[:space:]]*\{ "[a-z]+", "[a-z_]+"' "$TOP/src/base/config.c" |
	sed -E 's/.*"([a-z]+)", "([a-z_]+)"/\1:\2/')
[ -n "$keys" ] || fail "no key found in src/base/config.c"
for gk in $keys; do
	g=${gk%%:*} k=${gk#*:}
	# the key's entry under its section in the man page
	awk -v g="[$g]" -v k="$k" '
		/^\.SH / { sec = $2 }
		sec == g && prev == ".TP" && $0 == ".B " k { found = 1 }
		{ prev = $0 }
		END { exit !found }' "$TOP/man/essaim.conf.5" ||
		fail "[$g] $k is not documented in man/essaim.conf.5"
	awk -v g="[$g]" -v k="$k" '
		/^\[/ { sec = $1 }
		sec == g && ($0 ~ "^#?" k " =") { found = 1 }
		END { exit !found }' "$TOP/config/essaim.conf.example" ||
		fail "[$g] $k is not in config/essaim.conf.example"
done
pass "every configuration key documented and shown"

cmds=$(grep -oE '^[[:space:]]*\{ "[a-z]+", cmd_' "$TOP/src/cli/main.c" | sed -E 's/.*"([a-z]+)".*/\1/')
for c in $cmds ingest fetch daemon send publish remind list show approve reject set export erase status backup check form; do
	grep -qE "^\.(B|BR|BI) \"?$c( |\"|$)" "$TOP/man/essaim.1" ||
		fail "command $c has no entry in man/essaim.1"
done
pass "every command in essaim(1)"

# the example, with its secret files present and private, loads cleanly
sed -e "s|/var/lib/essaim|$W/var|g" -e "s|/etc/essaim|$W/etc|g" -e "s|/var/www|$W/www|g" \
	-e "s|^user = essaim|user = root|" "$TOP/config/essaim.conf.example" > "$W/example.conf"
mkdir -p "$W/etc"
for f in smtp-password imap-password; do printf 'x\n' > "$W/etc/$f"; chmod 600 "$W/etc/$f"; done
$ESSAIM -c "$W/example.conf" check > "$W/check.out" || { cat "$W/check.out"; fail "example config has problems"; }
grep -q '^warning' "$W/check.out" && { cat "$W/check.out"; fail "example config has warnings"; }
pass "the example configuration passes essaim check"

command -v man >/dev/null || fail "man is not installed (packages.debian: man-db)"
for m in "$TOP/man/essaim.1" "$TOP/man/essaim.conf.5"; do
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null) || fail "man $m failed"
	[ -z "$out" ] || fail "man warnings in $m: $out"
done
pass "man pages format cleanly"

# systemd's own checks of the units, sysusers and tmpfiles files
command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed (packages.debian: systemd)"
mkdir -p "$W/units"
for u in "$TOP"/config/systemd/*.service "$TOP"/config/systemd/*.timer; do
	sed "s|/usr/local/bin/essaim|$ESSAIM|" "$u" > "$W/units/${u##*/}"
done
out=$(systemd-analyze verify --man=no "$W"/units/* 2>&1) || fail "systemd-analyze: $out"
[ -z "$out" ] || fail "systemd-analyze: $out"
systemd-sysusers --dry-run "$TOP/config/systemd/essaim.sysusers" > "$W/sysusers.out" 2>&1 ||
	{ cat "$W/sysusers.out"; fail "sysusers file refused"; }
sed "s|/var/lib/essaim|$W/state|; s|/etc/essaim|$W/etcdir|" "$TOP/config/systemd/essaim.tmpfiles" |
	sed "s/ essaim essaim / root root /; s/ root   essaim / root root /" > "$W/tmpfiles.conf"
systemd-tmpfiles --create "$W/tmpfiles.conf" 2>&1 || fail "tmpfiles file refused"
[ -d "$W/state/Maildir/new" ] || fail "tmpfiles did not create the Maildir"
pass "systemd units, sysusers and tmpfiles files accepted by systemd's tools"
