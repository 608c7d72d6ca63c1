#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A file written straight into new/ in pieces (cp, a script: no tmp/) is
# read by the daemon only once it has stopped changing; a one-shot fetch
# reads every file of new/ at once, however fresh.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

[ "$(id -u)" -eq 0 ] || fail "this test runs as root (the daemon switches to nobody)"
chmod 711 "$W"
M=$W/Maildir
mkmaildir "$M"
mkconf <<EOF2
user = nobody
[intake]
maildir = $M
poll_seconds = 3600
[publish]
directory = $W/data/public
[mail]
transport = maildir:$W/out
EOF2
chown -R nobody:nogroup "$W/data" "$M"
db() { runuser -u nobody -- sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }

"$ESSAIM" -f daemon 2> "$W/daemon.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; cleanup' EXIT
wait_for 10 'grep -qs "started" "$W/daemon.log"' || fail "daemon did not start"
sleep 0.5
for n in 1 2; do
	f=$M/new/slow$n
	mkmsg "$n" | head -n 9 > "$f"		# headers and the first line
	sleep 1
	mkmsg "$n" | tail -n +10 >> "$f"
	echo "FIN-DU-MESSAGE-$n" >> "$f"
done
wait_for 15 '[ "$(db "SELECT count(*) FROM messages")" -eq 2 ]' || {
	cat "$W/daemon.log" >&2
	fail "the daemon did not take the slowly written files"
}
for n in 1 2; do
	db "SELECT r.raw FROM message_raw r JOIN messages m ON m.id = r.id
		WHERE m.message_id = 'msg-person-$n@example.org'" | grep -q "FIN-DU-MESSAGE-$n" ||
		fail "message $n was taken half-written"
done
kill -TERM $pid
wait $pid || fail "the daemon exited $?"
pass "daemon: files written in pieces into new/ are read whole"

mkmsg 3 > "$M/new/fresh3"
chown nobody:nogroup "$M/new/fresh3"
expect_rc 0 runuser -u nobody -- "$ESSAIM" fetch
[ "$(db "SELECT count(*) FROM messages")" -eq 3 ] || fail "fetch skipped a fresh file"
[ "$(ls "$M/new" | wc -l)" -eq 0 ] || fail "new/ still holds $(ls "$M/new")"
pass "fetch: a file written a moment ago is read at once"
