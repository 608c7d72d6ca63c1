#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every key of src/base/config.c's table is documented in essaim.conf(5) and
# shown in config/essaim.conf.example; every command of the table in
# src/cli/main.c has its entry in essaim(1), its synopsis on one line, the
# values of list --status and the keys of set listed; the example
# configuration loads without an unknown key; the man pages format without
# warnings (man, mandoc -T lint) and carry debian/changelog's version; the
# units agree on the state directory's mode; shellcheck finds no error.
. "$(dirname "$0")/lib.sh"
# the man pages, units and examples as installed (build/man, build/systemd)
make -C "$TOP" --no-print-directory -s all > /dev/null || fail "make all failed"

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
	grep -qE "^(\.(B|BR|BI) \"?$c( |\"|$)|\\\\fB$c\\\\fR)" "$TOP/man/essaim.1" ||
		fail "command $c has no entry in man/essaim.1"
done
pass "every command in essaim(1)"

# Each command's tag in essaim(1), rendered, is the usage line of main.c's
# table on one line: "list [--status S] [--json]", not "list [--status" and
# "S ] [--json]" in the paragraph.
LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$TOP/build/man/essaim.1" 2> /dev/null |
	sed -n '/^COMMANDS/,/^EXIT STATUS/p' | sed 's/^ *//' > "$W/commands.txt"
grep -oE '^[[:space:]]*\{ "[a-z-]+", cmd_[a-z_]+, "[^"]*" \}' "$TOP/src/cli/main.c" |
	sed -E 's/.*\{ "([a-z-]+)", cmd_[a-z_]+, "([^"]*)" \}/\1|\2/' > "$W/usage.txt"
[ "$(wc -l < "$W/usage.txt")" -ge 15 ] || fail "the command table of src/cli/main.c was not read"
while IFS='|' read -r c u; do
	if [ -n "$u" ]; then
		grep -qxF "$c $u" "$W/commands.txt" ||
			fail "essaim(1) does not show '$c $u' on one line"
	else
		grep -qE "^$c( |$)" "$W/commands.txt" || fail "essaim(1) has no line for '$c'"
	fi
done < "$W/usage.txt"
pass "each command's synopsis on one line, as essaim's usage says"

# list --status: every status src/cli/cmd_entries.c accepts; set: every
# field of config/form.ini
statuses=$(sed -n '/^static const char \*const statuses\[\]/,/};/p' "$TOP/src/cli/cmd_entries.c" |
	grep -oE '"[a-z]+"' | tr -d '"')
[ -n "$statuses" ] || fail "no status read from src/cli/cmd_entries.c"
awk '/^list \[/ { p = 1; next } p && /^show / { exit } p' "$W/commands.txt" > "$W/list.txt"
for st in $statuses; do
	grep -qw "$st" "$W/list.txt" || fail "essaim(1) list: status $st not listed"
done
fields=$(sed -n 's/^\[field \([a-z_]*\)\]$/\1/p' "$TOP/config/form.ini")
[ -n "$fields" ] || fail "no field read from config/form.ini"
awk '/^set ID/ { p = 1; next } p && /^export / { exit } p' "$W/commands.txt" > "$W/set.txt"
for f in $fields; do
	grep -qw "$f" "$W/set.txt" || fail "essaim(1) set: key $f not listed"
done
pass "essaim(1) lists the values of list --status and the keys of set"

# the example, with its secret files present and private, loads cleanly
sed -e "s|/var/lib/essaim|$W/var|g" -e "s|/etc/essaim|$W/etc|g" -e "s|/var/www|$W/www|g" \
	-e "s|^user = essaim|user = root|" "$TOP/config/essaim.conf.example" > "$W/example.conf"
mkdir -p "$W/etc"
for f in smtp-password imap-password; do printf 'x\n' > "$W/etc/$f"; chmod 600 "$W/etc/$f"; done
$ESSAIM -c "$W/example.conf" check > "$W/check.out" || { cat "$W/check.out"; fail "example config has problems"; }
grep -q '^warning' "$W/check.out" && { cat "$W/check.out"; fail "example config has warnings"; }
pass "the example configuration passes essaim check"

command -v man >/dev/null || fail "man is not installed (packages.debian: man-db)"
command -v mandoc >/dev/null || fail "mandoc is not installed (packages.debian: mandoc)"
version=$(sed -n '1s/^essaim (\([^)]*\)).*/\1/p' "$TOP/debian/changelog" | sed 's/-[^-]*$//')
[ -n "$version" ] || fail "no version in debian/changelog"
for m in "$TOP/build/man/essaim.1" "$TOP/build/man/essaim.conf.5"; do
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null) || fail "man $m failed"
	[ -z "$out" ] || fail "man warnings in $m: $out"
	out=$(mandoc -T lint "$m" 2>&1) || fail "mandoc -T lint $m: $out"
	[ -z "$out" ] || fail "mandoc -T lint $m: $out"
	grep -qE "^\.TH [A-Z.]+ [0-9] [0-9]{4}-[0-9]{2}-[0-9]{2} \"essaim $version\"" "$m" ||
		fail "$m does not carry the version $version and a date: $(grep '^\.TH' "$m")"
done
[ "$($ESSAIM --version)" = "essaim $version" ] ||
	fail "essaim --version says '$($ESSAIM --version)', debian/changelog $version"
pass "man pages format cleanly (man, mandoc -T lint) and carry version $version"

# Shell: no shellcheck error in any script of the repository (the tests'
# sourced libraries say their shell); not even a warning in what the build
# and the package run.
command -v shellcheck >/dev/null || fail "shellcheck is not installed (packages.debian: shellcheck)"
cd "$TOP"
scripts=$(git ls-files '*.sh' .ci/run debian/postrm 2> /dev/null ||
	find . -name '*.sh' -not -path './build/*')
[ -n "$scripts" ] || fail "no script found"
# shellcheck disable=SC2086
shellcheck -S error $scripts > "$W/sc.out" 2>&1 || { cat "$W/sc.out"; fail "shellcheck errors"; }
shellcheck -S warning tools/*.sh examples/*.sh debian/postrm > "$W/sc.out" 2>&1 ||
	{ cat "$W/sc.out"; fail "shellcheck warnings in tools/, examples/ or debian/postrm"; }
cd - > /dev/null
pass "shellcheck: no error; no warning in the build's and the package's scripts"

# cron ignores files in /etc/cron.d whose names have a dot (run-parts)
for f in "$TOP"/config/cron/*; do
	echo "${f##*/}" | grep -qE '^[A-Za-z0-9_-]+$' || fail "cron file ${f##*/}: cron.d ignores it"
done
pass "the cron example has a name cron.d reads"

# systemd's own checks of the units, sysusers and tmpfiles files
command -v systemd-analyze >/dev/null || fail "systemd-analyze is not installed (packages.debian: systemd)"
mkdir -p "$W/units"
for u in "$TOP"/config/systemd/*.service "$TOP"/config/systemd/*.timer; do
	grep -q '^ExecStart=/usr/bin/essaim ' "$u" || [ "${u##*.}" = timer ] ||
		fail "${u##*/}: ExecStart does not name /usr/bin/essaim"
	sed "s|/usr/bin/essaim|$ESSAIM|" "$u" > "$W/units/${u##*/}"
	# every unit naming the state directory gives it the tmpfiles mode
	if grep -q '^StateDirectory=' "$u"; then
		grep -qx 'StateDirectoryMode=0700' "$u" || fail "${u##*/}: StateDirectoryMode is not 0700"
	fi
done
grep -qE '^d +/var/lib/essaim +0700 ' "$TOP/config/systemd/essaim.tmpfiles" ||
	fail "tmpfiles: /var/lib/essaim is not 0700"
out=$(systemd-analyze verify --man=no "$W"/units/* 2>&1) || fail "systemd-analyze: $out"
[ -z "$out" ] || fail "systemd-analyze: $out"
systemd-sysusers --dry-run "$TOP/config/systemd/essaim.sysusers" > "$W/sysusers.out" 2>&1 ||
	{ cat "$W/sysusers.out"; fail "sysusers file refused"; }
sed "s|/var/lib/essaim|$W/state|; s|/etc/essaim|$W/etcdir|" "$TOP/config/systemd/essaim.tmpfiles" |
	sed "s/ essaim essaim / root root /; s/ root   essaim / root root /" > "$W/tmpfiles.conf"
systemd-tmpfiles --create "$W/tmpfiles.conf" 2>&1 || fail "tmpfiles file refused"
[ -d "$W/state/Maildir/new" ] || fail "tmpfiles did not create the Maildir"
pass "systemd units, sysusers and tmpfiles files accepted by systemd's tools"
