#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A server answering 451 then 250: the mail waits (exponential backoff, no
# sleeping: ESSAIM_NOW moves the clock) and is delivered once. A server
# answering 550: failed for good, the reason kept. STARTTLS required but not
# offered: nothing is sent in clear.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

now=1767225600
export ESSAIM_NOW=$now
start_smtpd "$W/smtp" --tempfail 2
mkconf <<EOF2
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
envelope_sender = bounces@ssa.example
[intake]
max_message_bytes = 2k
EOF2
too_large_mail 'jeanne@example.org' 'Un' > "$W/a.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/a.eml"

expect_rc 75 "$ESSAIM" send 2> "$W/err"
grep -q '451 4.3.0 try again later' "$W/err" || fail "server reply not reported: $(cat "$W/err")"
[ "$(db "SELECT status || ',' || attempts || ',' || next_attempt_at FROM outbox")" = "queued,1,$((now + 60))" ] ||
	fail "after 451: $(db "SELECT status, attempts, next_attempt_at FROM outbox")"
db "SELECT last_error FROM outbox" | grep -q 451 || fail "last_error not kept"
# not due yet: nothing tried
ESSAIM_NOW=$((now + 59)) expect_rc 75 "$ESSAIM" send 2> /dev/null
[ "$(db "SELECT attempts FROM outbox")" -eq 1 ] || fail "tried before its time"
# second 451: the wait doubles
ESSAIM_NOW=$((now + 60)) expect_rc 75 "$ESSAIM" send 2> /dev/null
[ "$(db "SELECT attempts || ',' || next_attempt_at FROM outbox")" = "2,$((now + 60 + 120))" ] ||
	fail "backoff did not double: $(db "SELECT attempts, next_attempt_at FROM outbox")"
ESSAIM_NOW=$((now + 180)) expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 1 ] || fail "received $(received "$W/smtp")"
[ "$(db "SELECT status || ',' || attempts FROM outbox")" = "sent,3" ] || fail "not marked sent"
[ "$(sed -n 1p "$W/smtp/1.env")" = bounces@ssa.example ] || fail "envelope sender not used"
ESSAIM_NOW=$((now + 10000)) expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 1 ] || fail "sent twice"
pass "451, 451, then 250: delivered once, with backoff"
stop_smtpd

# 550: failed for good, reported, not retried
start_smtpd "$W/smtp550" --reject
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$SMTP_PORT|" "$W/essaim.conf"
too_large_mail 'nobody@example.org' 'Deux' > "$W/b.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/b.eml"
expect_rc 0 "$ESSAIM" send 2> "$W/err"
grep -q 'failed for good' "$W/err" || fail "permanent failure not logged: $(cat "$W/err")"
[ "$(db "SELECT status FROM outbox WHERE recipient = 'nobody@example.org'")" = failed ] || fail "not failed"
db "SELECT last_error FROM outbox WHERE recipient = 'nobody@example.org'" | grep -q '550' ||
	fail "last_error: $(db "SELECT last_error FROM outbox")"
ESSAIM_NOW=$((now + 100000)) expect_rc 0 "$ESSAIM" send 2> /dev/null
[ "$(db "SELECT attempts FROM outbox WHERE recipient = 'nobody@example.org'")" -eq 1 ] || fail "retried"
pass "550: failed for good, reason kept"
stop_smtpd

# STARTTLS required: a server without it gets nothing
start_smtpd "$W/smtptls"
sed -i "s|^transport = .*|transport = smtp://127.0.0.1:$SMTP_PORT?starttls=required|" "$W/essaim.conf"
too_large_mail 'marie@example.org' 'Trois' > "$W/c.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/c.eml"
ESSAIM_NOW=$((now + 200000)) expect_rc 75 "$ESSAIM" send 2> "$W/err"
[ "$(received "$W/smtptls")" -eq 0 ] || fail "sent without STARTTLS"
[ "$(db "SELECT status FROM outbox WHERE recipient = 'marie@example.org'")" = queued ] || fail "not kept"
grep -qi 'ssl\|tls' "$W/err" || fail "no TLS reason: $(cat "$W/err")"
pass "starttls=required: nothing sent to a server without STARTTLS"
