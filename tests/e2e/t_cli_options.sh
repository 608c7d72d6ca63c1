#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The global options (-c FILE, -v, -f) are taken after the command too, as
# people type them (`essaim -c C daemon -f`); a command's own option value
# is never mistaken for one; an unknown option is still a usage error.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

[ "$(id -u)" -eq 0 ] || fail "this test runs as root (the daemon switches to nobody)"
chmod 711 "$W"
mkmaildir "$W/Maildir"
mkconf <<EOF2
user = nobody
[intake]
maildir = $W/Maildir
poll_seconds = 3600
[publish]
directory = $W/data/public
[mail]
transport = maildir:$W/out
EOF2
chown -R nobody:nogroup "$W/data" "$W/Maildir"
C=$ESSAIM_CONFIG
unset ESSAIM_CONFIG

# the configuration named after the command is the one used
expect_rc 0 runuser -u nobody -- "$ESSAIM" check -c "$C" > "$W/check.out"
grep -q "^$C:" "$W/check.out" || fail "check did not read $C: $(cat "$W/check.out")"
expect_rc 0 runuser -u nobody -- "$ESSAIM" check "-c$C" -v > /dev/null
pass "check -c FILE -v: options after the command"

"$ESSAIM" -c "$C" daemon -f 2> "$W/daemon.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; cleanup' EXIT
wait_for 10 'grep -qs "started" "$W/daemon.log"' || {
	cat "$W/daemon.log" >&2
	fail "essaim -c C daemon -f did not start (exit 64 before the fix)"
}
deliver "$W/Maildir" 1
wait_for 10 '[ "$(count_files "$W/Maildir/new")" = 0 ]' || fail "the daemon took nothing"
kill -TERM $pid
wait $pid || fail "the daemon exited $?"
grep -q stopped "$W/daemon.log" || fail "the daemon did not log to stderr (-f)"
pass "essaim -c C daemon -f: runs in the foreground, logs to stderr"

# a command's own option keeps its value, even one that looks like -v
runuser -u nobody -- "$ESSAIM" -c "$C" list --status -v > "$W/list.out" 2>&1 &&
	fail "list --status -v was accepted as a status"
grep -q "status" "$W/list.out" || fail "list --status -v: $(cat "$W/list.out")"
# anything else is still refused
expect_rc 64 "$ESSAIM" -c "$C" status --bogus 2> /dev/null
expect_rc 64 "$ESSAIM" -c "$C" status -c 2> /dev/null
pass "option values kept; unknown options refused (64)"
