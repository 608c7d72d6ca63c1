#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The SMTP server is down: the mail stays queued, `essaim send` exits 75
# saying so; once the server is back each mail is delivered exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

export ESSAIM_NOW=1767225600
port=$(free_port)
mkconf <<EOF2
[mail]
transport = smtp://127.0.0.1:$port
[intake]
max_message_bytes = 2k
EOF2
too_large_mail 'jeanne@example.org' 'Un' > "$W/a.eml"
too_large_mail 'paul@example.org' 'Deux' > "$W/b.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/a.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/b.eml"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")" -eq 2 ] || fail "not queued"

expect_rc 75 "$ESSAIM" send 2> "$W/err"
cat "$W/err"
grep -q '2 mails left queued for a retry' "$W/err" || fail "no clear message: $(cat "$W/err")"
grep -q "127.0.0.1 port $port" "$W/err" || fail "the message does not name the server"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")" -eq 2 ] || fail "mail lost"
db "SELECT last_error FROM outbox WHERE id = 1" | grep -q "connect" || fail "last_error not kept"
# still down a second time: still queued, nothing lost
expect_rc 75 "$ESSAIM" send 2> /dev/null
pass "server down: mail stays queued, send exits 75 with a clear message"

start_smtpd "$W/smtp" --port "$port"
expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 2 ] || fail "received $(received "$W/smtp") mails, want 2"
expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 2 ] || fail "a mail was sent twice"
[ "$(db "SELECT group_concat(status) FROM outbox")" = "sent,sent" ] || fail "rows not marked sent"
for f in "$W"/smtp/*.eml; do mailcheck "$f" auto-replied > /dev/null || fail "bad mail $f"; done
cat "$W"/smtp/*.env | sort | tr '\n' ' ' | grep -q 'dynamiques@ssa.example dynamiques@ssa.example jeanne@example.org paul@example.org' ||
	fail "envelopes: $(cat "$W"/smtp/*.env)"
pass "server back: each mail delivered exactly once"
