#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim daemon: refuses root unless it can switch to the service user; a
# Maildir wakes it through inotify (poll_seconds is an hour); IMAP is polled
# every poll_seconds; SIGHUP reloads the configuration (another Maildir,
# another poll_seconds); SIGTERM during a pass finishes the message in hand
# and exits 0, leaving nothing half done.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

A=$W/MaildirA B=$W/MaildirB
mkmaildir "$A"
mkmaildir "$B"
start_dovecot
chown nobody:nogroup "$W/imap-password"
db() { runuser -u nobody -- sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }

# conf MAILDIR POLL [user]: write the configuration.
conf() {
	mkconf <<C
${3:+user = $3}
$(imap_conf)
maildir = $1
poll_seconds = $2
C
	chown -R nobody:nogroup "$W/data" "$A" "$B"
}

# As root without [essaim] user: refused.
[ "$(id -u)" = 0 ] || fail "this test runs as root (it checks the switch to the service user)"
conf "$A" 3600
expect_rc 78 $ESSAIM -f daemon 2> "$W/refused.log"
grep -q 'refusing to run the daemon as root' "$W/refused.log" || fail "no refusal message"
pass "root without [essaim] user: refused (78)"

conf "$A" 3600 nobody
$ESSAIM -f daemon 2> "$W/daemon.log" &
pid=$!
# a failed check must not leave the daemon running
trap 'kill $pid 2>/dev/null || true; intake_cleanup' EXIT
wait_for 10 'grep -qs "started" "$W/daemon.log"' || { cat "$W/daemon.log"; fail "daemon did not start"; }
[ "$(ps -o user= -p $pid)" = nobody ] || fail "daemon runs as $(ps -o user= -p $pid), not nobody"
pass "started as root, runs as nobody"

sleep 1
deliver "$A" 1
wait_for 5 '[ "$(count_files "$A/new")" = 0 ]' || fail "maildir message not taken (inotify)"
exactly_once 1
imap 'append(2, "auto")'
sleep 3
[ "$(db "SELECT count(*) FROM messages")" = 1 ] || fail "IMAP polled before poll_seconds"
pass "maildir woken by inotify at once; IMAP waits for poll_seconds"

# SIGHUP: another Maildir, IMAP every 2 s.
conf "$B" 2 nobody
kill -HUP $pid
wait_for 5 'grep -q "configuration reloaded" "$W/daemon.log"' || fail "no reload"
wait_for 5 '[ "$(db "SELECT count(*) FROM messages")" = 2 ]' || fail "IMAP not read after reload"
imap 'append(3, "list")'
wait_for 6 '[ "$(db "SELECT count(*) FROM messages")" = 3 ]' || fail "IMAP not polled every 2 s"
deliver "$B" 4
wait_for 5 '[ "$(count_files "$B/new")" = 0 ]' || fail "new maildir not watched after reload"
deliver "$A" 5
sleep 3
[ "$(count_files "$A/new")" = 1 ] || fail "old maildir still read after reload"
exactly_once 4
pass "SIGHUP: maildir and poll_seconds reloaded"

# SIGTERM in the middle of a long pass. fetch commits in batches and takes
# these in well under a second each hundred: the messages appear in new/ at
# once (the folder renamed into place, found by the next poll), so that one
# pass lists them all, and there are enough of them for SIGTERM to land
# inside it.
N=2000
mkdir -p "$W/batch"
i=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	mkmsg "b$i" auto > "$W/batch/1700000000.M$i.batch"
done
chown -R nobody:nogroup "$W/batch"
[ "$(count_files "$B/new")" = 0 ] || fail "new/ not empty before the long pass"
# one rename(2) over the empty new/: with rmdir then mv, a pass of the
# daemon in between made new/ again and the batch landed inside it, as a
# folder (quarantined)
mv -T "$W/batch" "$B/new"
wait_for 20 '[ "$(db "SELECT count(*) FROM messages")" -gt 40 ]' ||
	{ tail -n 20 "$W/daemon.log" >&2; fail "batch not started"; }
kill -TERM $pid
set +e
wait_for 10 '! kill -0 $pid 2>/dev/null'
wait $pid
rc=$?
set -e
[ "$rc" = 0 ] || { tail "$W/daemon.log"; fail "daemon exit $rc after SIGTERM"; }
grep -q "stopping" "$W/daemon.log" || fail "no stopping message"
left=$(count_files "$B/new")
[ "$left" -gt 0 ] || fail "the pass ended before SIGTERM: the test proves nothing"
rows=$(db "SELECT count(*) FROM messages")
exactly_once "$rows"
taken=$(ls "$B/cur" | grep -c ':2,S$')
[ $((rows - 3)) = "$taken" ] || fail "$rows rows but $taken batch+B messages in cur/"
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_result'")" = interrupted ] ||
	fail "interrupted pass not recorded"
pass "SIGTERM: exit 0 after the batch in hand ($taken taken, $left left, none half done)"

# What was left is taken by the next run.
conf "$B" 60
chown -R root "$W/data"
db() { sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }
$ESSAIM fetch || fail "fetch after SIGTERM failed"
exactly_once $((N + 4))
pass "the rest taken by the next pass, each once"
