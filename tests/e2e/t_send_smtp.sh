#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Answers reach a real SMTP server (aiosmtpd on loopback) and read right in
# a mail client: one To, our From and Message-ID, RFC 3834 headers, a
# decoded subject, no injected header even when the sender's encoded
# subject carries CR LF Bcc; a redelivered message is answered once; mail
# that must not be answered is recorded as suppressed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

export ESSAIM_NOW=1767225600
start_smtpd "$W/smtp"
# A template override that echoes the sender's subject in ours: even then
# nothing the sender wrote can become a header.
mkdir -p "$W/over/templates/fr"
printf 'Subject: Re: {{original_subject}} (trop gros)\n\nVotre message fait {{size}}, la limite est {{max_size}}.\n' \
	> "$W/over/templates/fr/too_large.txt"
mkconf <<EOF2
name = Dynamiques locales « SSA »
data_dir = $W/over
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
[intake]
max_message_bytes = 2k
EOF2
expect_rc 0 "$ESSAIM" check

evil='=?utf-8?q?Notre_projet_=C3=A0_Lauris=0D=0ABcc:_victim@example.net?='
too_large_mail 'Jeanne Dupont <jeanne@example.org>' "$evil" > "$W/big.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/big.eml"
# ingest never waits on a network server: queued, not sent
[ "$(db "SELECT status FROM outbox")" = queued ] || fail "answer not queued by ingest"
[ "$(received "$W/smtp")" -eq 0 ] || fail "ingest talked to the SMTP server"
# a redelivery of the same message queues nothing more
expect_rc 0 "$ESSAIM" ingest < "$W/big.eml"
[ "$(db "SELECT count(*) FROM outbox")" -eq 1 ] || fail "redelivery queued a second answer"
pass "too-large message answered once, queued by ingest"

expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 1 ] || fail "server received $(received "$W/smtp") mails"
[ "$(db "SELECT status || ',' || attempts FROM outbox")" = "sent,1" ] || fail "row not sent"
mailcheck "$W/smtp/1.eml" auto-replied > "$W/parsed" || fail "mail client check failed"
grep -q '^To: jeanne@example.org$' "$W/parsed" || fail "To: $(grep '^To' "$W/parsed")"
grep -q '^From: Dynamiques locales « SSA » <dynamiques@ssa.example>$' "$W/parsed" ||
	fail "From: $(grep '^From' "$W/parsed")"
grep -q '^Subject: Re: Notre projet à Lauris Bcc: victim@example.net (trop gros)$' "$W/parsed" ||
	fail "Subject: $(grep '^Subject' "$W/parsed")"
grep -qi '^bcc' "$W/parsed" && fail "a Bcc header was created"
grep -q "^In-Reply-To: <$(echo 'Jeanne Dupont <jeanne@example.org>'"$evil" | cksum | cut -d' ' -f1)@example.org>$" \
	"$W/parsed" || fail "In-Reply-To missing"
grep -q '^Votre message fait [0-9] ko, la limite est 2 ko.$' "$W/parsed" || fail "body: $(tail -n 2 "$W/parsed")"
# the envelope: our address as sender, the parsed address as recipient
[ "$(sed -n 1p "$W/smtp/1.env")" = dynamiques@ssa.example ] || fail "MAIL FROM $(sed -n 1p "$W/smtp/1.env")"
[ "$(sed -n '2,$p' "$W/smtp/1.env")" = jeanne@example.org ] || fail "RCPT TO $(sed -n '2,$p' "$W/smtp/1.env")"
pass "answer received and read as a mail client reads it"

# Mail that must not be answered: recorded with its reason, nothing queued.
too_large_mail 'MAILER-DAEMON@example.org' 'Undelivered' 'Return-Path: <>' > "$W/bounce.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/bounce.eml"
too_large_mail 'forger@example.org' 'Hello' \
	'Authentication-Results: mx.ssa.example; spf=fail smtp.mailfrom=example.org; dkim=none' > "$W/forged.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/forged.eml"
too_large_mail 'a@example.org, b@example.org' 'Two' > "$W/two.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/two.eml"
[ "$(db "SELECT count(*) FROM outbox")" -eq 1 ] || fail "an answer was queued to a robot or a forger"
[ "$(db "SELECT count(*) FROM suppressed WHERE kind = 'too_large'")" -eq 3 ] ||
	fail "suppressed: $(db "SELECT reason FROM suppressed")"
db "SELECT reason FROM suppressed" | grep -q '^bounce: ' || fail "bounce reason"
db "SELECT reason FROM suppressed" | grep -q 'not authenticated' || fail "authentication reason"
db "SELECT reason FROM suppressed" | grep -q 'From holds 2 mailboxes' || fail "several-From reason"
expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 1 ] || fail "something more was sent"
pass "robots, forgers and multi-From senders get no answer; each refusal recorded"
