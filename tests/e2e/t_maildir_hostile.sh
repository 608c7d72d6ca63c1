#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What is not a regular file in a Maildir's new/ (a FIFO, a symbolic link to
# a file essaim may read) never blocks the mailbox: `fetch` and the daemon
# move it to quarantine/, say so, and take the messages behind it; the
# daemon still stops at SIGTERM.
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
db() { runuser -u nobody -- sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }
# hostile NAME-PREFIX: a FIFO and a link (to a file nobody may read) that
# sort before the messages, in new/
hostile() {
	mkfifo "$M/new/${1}0.fifo"
	echo "From: x@example.org" > "$W/private"
	ln -s "$W/private" "$M/new/${1}1.link"
}
# a link alone first: the mailbox goes on (it stopped with 75 on every pass)
echo "From: x@example.org" > "$W/private"
ln -s "$W/private" "$M/new/0500.link"
deliver "$M" 0
chown -R nobody:nogroup "$W/data" "$M" "$W/private"
runuser -u nobody -- "$ESSAIM" fetch 2> "$W/fetch0.log" ||
	{ cat "$W/fetch0.log" >&2; fail "fetch with a link in new/ failed"; }
[ "$(db "SELECT count(*) FROM messages")" -eq 1 ] || fail "the message behind a link was not taken"
[ -L "$M/quarantine/0500.link" ] || fail "the link is not in quarantine/"
hostile 1000
deliver "$M" 1
deliver "$M" 2
chown -R nobody:nogroup "$W/data" "$M" "$W/private"
set +e
timeout 20 runuser -u nobody -- "$ESSAIM" fetch 2> "$W/fetch.log"
rc=$?
set -e
[ $rc -ne 124 ] || fail "fetch hung on a FIFO in new/"
[ $rc -eq 0 ] || { cat "$W/fetch.log" >&2; fail "fetch exited $rc"; }
[ "$(db "SELECT count(*) FROM messages")" -eq 3 ] || fail "the messages behind were not taken"
[ -p "$M/quarantine/10000.fifo" ] || fail "the FIFO is not in quarantine/"
[ -L "$M/quarantine/10001.link" ] || fail "the link is not in quarantine/"
[ "$(ls "$M/new" | wc -l)" -eq 0 ] || fail "new/ still holds $(ls "$M/new")"
grep -q "10000.fifo is a FIFO, not a mail: moved to" "$W/fetch.log" || fail "the FIFO is not reported"
grep -q "10001.link is a symbolic link, not a mail: moved to" "$W/fetch.log" || fail "the link is not reported"
set +e
runuser -u nobody -- "$ESSAIM" status > "$W/status.out"
set -e
grep -q "quarantined: 3" "$W/status.out" || fail "status does not show the quarantine: $(cat "$W/status.out")"
pass "fetch: FIFO and link moved to quarantine/, reported, the mail behind taken (exit 0)"

"$ESSAIM" -f daemon 2> "$W/daemon.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; cleanup' EXIT
wait_for 10 'grep -qs "started" "$W/daemon.log"' || fail "daemon did not start"
sleep 0.5
hostile 2000
deliver "$M" 3
chown -R nobody:nogroup "$M"
wait_for 15 '[ "$(db "SELECT count(*) FROM messages")" -eq 4 ]' || {
	cat "$W/daemon.log" >&2
	fail "the daemon did not take the mail behind a FIFO and a link"
}
[ -p "$M/quarantine/20000.fifo" ] && [ -L "$M/quarantine/20001.link" ] || fail "daemon: not quarantined"
kill -TERM $pid
wait_for 5 '! kill -0 $pid 2>/dev/null' || fail "the daemon ignores SIGTERM"
wait $pid || fail "the daemon exited $?"
pass "daemon: quarantined, the mail behind taken, stops at SIGTERM"
