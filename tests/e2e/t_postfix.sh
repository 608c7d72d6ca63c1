#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A real Postfix on loopback delivers to `essaim ingest` through the pipe
# service of config/postfix/master.cf (flags=Rq, one recipient per delivery):
# each message is stored once; while the database is unavailable essaim
# exits 75 and Postfix keeps the mail (deferred, never bounced), then
# delivers it once the database is back.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

mkconf < /dev/null
chown -R nobody:nogroup "$W/data"
# the pipe runs as nobody, who owns the database
db() { runuser -u nobody -- sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }
start_postfix

smtp_send 1
smtp_send 2 auto
smtp_send 3 list
wait_for 30 '[ "$(db "SELECT count(*) FROM messages" 2>/dev/null)" = 3 ]' ||
	{ tail -n 30 "$PF/maillog"; fail "the messages were not delivered to essaim"; }
exactly_once 3
[ "$(db "SELECT DISTINCT source FROM messages")" = stdin ] || fail "source is not stdin"
db "SELECT r.raw FROM message_raw r JOIN messages m ON m.id = r.id WHERE m.message_id = 'msg-person-1@example.org'" |
	grep -q '^Return-Path: <p1@example.org>' || fail "no Return-Path (flags=R)"
[ "$(db "SELECT outcome FROM messages WHERE message_id = 'msg-auto-2@example.org'")" = auto_reply ] ||
	fail "auto-reply not classified"
grep -q 'relay=essaim.*status=sent' "$PF/maillog" || fail "no delivery through the essaim pipe"
pass "postfix pipe delivery: stored once each, Return-Path kept"

# The same message sent again: a redelivery, nothing new.
smtp_send 1
wait_for 30 '[ "$(grep -c "relay=essaim.*status=sent" "$PF/maillog")" = 4 ]' ||
	fail "the resent message was not delivered"
exactly_once 3
pass "a message sent twice is stored once"

# Database unavailable: essaim exits 75, Postfix defers and retries.
chmod 500 "$W/data"
smtp_send 4
wait_for 30 'grep -q "relay=essaim.*status=deferred" "$PF/maillog"' ||
	{ tail -n 20 "$PF/maillog"; fail "the message was not deferred"; }
grep -q 'status=bounced' "$PF/maillog" && fail "a message bounced"
chmod 700 "$W/data"
postqueue -c "$PF" -f 2>/dev/null || true
wait_for 40 '[ "$(db "SELECT count(*) FROM messages" 2>/dev/null)" = 4 ]' ||
	{ tail -n 20 "$PF/maillog"; fail "the deferred message was not delivered later"; }
exactly_once 4
grep -q 'status=bounced' "$PF/maillog" && fail "a message bounced"
pass "database unavailable: deferred (75), delivered once it is back, nothing bounced"
