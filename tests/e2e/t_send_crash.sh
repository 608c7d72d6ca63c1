#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Exactly once as far as SMTP allows: a crash after the server accepted a
# mail but before it was marked sent resends that mail only; a crash before
# ingest's processing commit leaves no answer behind, and the MTA's retry
# queues exactly one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

export ESSAIM_NOW=1767225600
start_smtpd "$W/smtp"
mkconf <<EOF2
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
[intake]
max_message_bytes = 2k
EOF2
too_large_mail 'jeanne@example.org' 'Un' > "$W/a.eml"
too_large_mail 'paul@example.org' 'Deux' > "$W/b.eml"

# ingest dies before its processing commit: nothing queued; the retry answers once
ESSAIM_FAILPOINT=before-process-commit expect_rc 99 "$ESSAIM" ingest < "$W/a.eml" 2> /dev/null
[ "$(db "SELECT count(*) FROM outbox")" -eq 0 ] || fail "an answer survived the crash"
expect_rc 0 "$ESSAIM" ingest < "$W/a.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/a.eml"
[ "$(db "SELECT count(*) FROM outbox")" -eq 1 ] || fail "$(db "SELECT count(*) FROM outbox") answers"
pass "crash before the commit: exactly one answer after the retry"

expect_rc 0 "$ESSAIM" ingest < "$W/b.eml"
ESSAIM_FAILPOINT=after-send-before-mark expect_rc 99 "$ESSAIM" send 2> /dev/null
[ "$(received "$W/smtp")" -eq 1 ] || fail "received $(received "$W/smtp")"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'sending'")" -eq 1 ] || fail "not 'sending' at the crash"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")" -eq 1 ] || fail "marked before the crash"
expect_rc 0 "$ESSAIM" send 2> "$W/send.log"
grep -q "in doubt" "$W/send.log" || fail "the row in doubt is not reported"
expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 3 ] || fail "received $(received "$W/smtp"), want 3"
[ "$(cat "$W"/smtp/*.env | grep -c jeanne@example.org)" -eq 2 ] || fail "jeanne: not exactly twice"
[ "$(cat "$W"/smtp/*.env | grep -c paul@example.org)" -eq 1 ] || fail "paul: not exactly once"
# the copy is the same mail: the receiver sees one Message-ID twice
[ "$(grep -h -i '^Message-ID:' "$W"/smtp/*.eml | sort | uniq -d | wc -l)" -eq 1 ] ||
	fail "the copy does not carry the same Message-ID"
[ "$(db "SELECT in_doubt FROM outbox WHERE status = 'sent' AND recipient = 'jeanne@example.org'")" -eq 1 ] ||
	fail "the row is not recorded as in doubt"
set +e
"$ESSAIM" status > "$W/status.out"
set -e
grep -q "in_doubt_last_7_days: 1" "$W/status.out" || fail "status does not show the doubt"
pass "crash between acceptance and marking: only that mail is sent again, same Message-ID, shown in status"

# a crash right after the 'sending' mark: nothing reached the server; the
# next run takes the row for in doubt and sends it once
too_large_mail 'lou@example.org' 'Trois' > "$W/c.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/c.eml"
ESSAIM_FAILPOINT=after-mark-sending expect_rc 99 "$ESSAIM" send 2> /dev/null
[ "$(cat "$W"/smtp/*.env | grep -c lou@example.org)" -eq 0 ] || fail "lou: sent before the crash"
expect_rc 0 "$ESSAIM" send 2> /dev/null
[ "$(cat "$W"/smtp/*.env | grep -c lou@example.org)" -eq 1 ] || fail "lou: not exactly once"
pass "crash after the 'sending' mark, before the server: sent once"

# in doubt twice (a crash after each of two acceptances): never a third copy
too_large_mail 'eve@example.org' 'Quatre' > "$W/d.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/d.eml"
ESSAIM_FAILPOINT=after-send-before-mark expect_rc 99 "$ESSAIM" send 2> /dev/null
ESSAIM_FAILPOINT=after-send-before-mark expect_rc 99 "$ESSAIM" send 2> /dev/null
expect_rc 0 "$ESSAIM" send 2> "$W/send.log"
expect_rc 0 "$ESSAIM" send 2> /dev/null
[ "$(cat "$W"/smtp/*.env | grep -c eve@example.org)" -eq 2 ] || fail "eve: $(cat "$W"/smtp/*.env | grep -c eve@example.org) copies, want 2"
[ "$(db "SELECT status || ' ' || in_doubt FROM outbox WHERE recipient = 'eve@example.org'")" = "failed 2" ] ||
	fail "eve's row: $(db "SELECT status, in_doubt FROM outbox WHERE recipient = 'eve@example.org'")"
grep -q "in doubt a second time" "$W/send.log" || fail "the second doubt is not reported"
pass "in doubt twice: failed, never a third copy"
