#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Our own mail bouncing, with [mail] verp on: each mail leaves a real SMTP
# server (aiosmtpd on loopback) with MAIL FROM bounces+<outbox id>@domain;
# a delivery report coming back to that address through `essaim ingest
# --recipient` fails its outbox row, is audited, the moderators hear that
# the submitter cannot be reached, and nothing more is written to that
# address (a later decision nor a new confirmation). A bounce of mail that
# is not ours changes nothing. Erasing the address forgets it all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

start_smtpd "$W/smtp"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
bounce_address = bounces@ssa.example
verp = true
EOF2
expect_rc 0 "$ESSAIM" check
SUB=camille.martin@aumaquis.example

expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
CONF_ID=$(db "SELECT id FROM outbox WHERE kind = 'confirmation' AND recipient = '$SUB'")
[ -n "$CONF_ID" ] || fail "no confirmation queued"
expect_rc 0 "$ESSAIM" send
n=$(received "$W/smtp")
[ "$n" -eq 3 ] || fail "server received $n mails, want 3 (confirmation, 2 notifications)"
# every mail's MAIL FROM names its own outbox row
for env in "$W"/smtp/*.env; do
	rcpt=$(sed -n 2p "$env")
	id=$(db "SELECT id FROM outbox WHERE recipient = '$rcpt'")
	[ "$(sed -n 1p "$env")" = "bounces+$id@ssa.example" ] ||
		fail "MAIL FROM for $rcpt is $(sed -n 1p "$env"), want bounces+$id@ssa.example"
done
grep -qx "$SUB" "$W"/smtp/*.env || fail "the confirmation did not reach the server"
MID=$(db "SELECT message_id FROM outbox WHERE id = $CONF_ID")
case "$MID" in essaim.*@ssa.example) ;; *) fail "outbox Message-ID '$MID'" ;; esac
pass "VERP: MAIL FROM bounces+<id>@ssa.example for each mail, Message-IDs kept"

# A bounce of somebody else's mail, to our plain bounce address: nothing.
expect_rc 0 "$ESSAIM" ingest --recipient bounces@ssa.example < "$DATA/bounce/unrelated.eml"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = bounce ] || fail "unrelated: outcome"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'failed'")" = 0 ] || fail "unrelated bounce failed a row"
[ "$(db "SELECT count(*) FROM bounced")" = 0 ] || fail "unrelated bounce remembered an address"
pass "a bounce of mail that is not ours changes nothing"

# The receiving server refused the confirmation: its report comes back to
# the VERP address, which only the MTA's envelope says here (no VERP
# header, and the returned copy is not ours), as Postfix's pipe gives it.
sed -e "s/bounces+42@ssa.example/bounces@ssa.example/g" -e "s/jeanne@example.org/$SUB/g" \
	-e "s/essaim.1767225600.0123456789abcdef@ssa.example/not-ours@elsewhere.example/" \
	-e "/^Delivered-To:/d" "$DATA/bounce/postfix-dsn.eml" > "$W/dsn.eml"
grep -q "bounces+" "$W/dsn.eml" && fail "test DSN still names a VERP address"
expect_rc 0 "$ESSAIM" ingest --recipient "bounces+$CONF_ID@ssa.example" < "$W/dsn.eml"
[ "$(db "SELECT status FROM outbox WHERE id = $CONF_ID")" = failed ] || fail "confirmation row not failed"
db "SELECT last_error FROM outbox WHERE id = $CONF_ID" | grep -q '^bounced: 5\.1\.1 550 5\.1\.1' ||
	fail "last_error: $(db "SELECT last_error FROM outbox WHERE id = $CONF_ID")"
[ "$(db "SELECT outcome || ',' || entry_id FROM messages ORDER BY id DESC LIMIT 1")" = bounce,1 ] ||
	fail "bounce outcome: $(db "SELECT outcome, entry_id, detail FROM messages ORDER BY id DESC LIMIT 1")"
[ "$(db "SELECT count(*) FROM events WHERE kind = 'bounce' AND entry_id = 1")" = 1 ] || fail "no audit event"
[ "$(db "SELECT status FROM bounced WHERE address = '$SUB'")" = 5.1.1 ] || fail "address not remembered"
# the report redelivered by the MTA changes nothing more
expect_rc 0 "$ESSAIM" ingest --recipient "bounces+$CONF_ID@ssa.example" < "$W/dsn.eml"
[ "$(db "SELECT count(*) FROM events WHERE kind = 'bounce'")" = 1 ] || fail "redelivered report applied twice"
pass "the bounce matched by its VERP address: row failed with the diagnostic, audited"

expect_rc 0 "$ESSAIM" send
for m in m1 m2; do
	f=$(grep -l "^To: $m@ssa.example" "$W"/smtp/*.eml | xargs grep -l "injoignable" || true)
	[ "$(echo "$f" | grep -c .)" = 1 ] || fail "$m got $(echo "$f" | grep -c .) bounce reports"
	mailcheck "$f" auto-generated > "$W/report" || fail "report is not a good mail"
	grep -q "$SUB" "$W/report" || fail "report does not name the address"
	grep -q "Au Maquis" "$W/report" || fail "report does not name the entry"
	grep -q "5.1.1" "$W/report" || fail "report has no diagnostic"
done
pass "each moderator told once that the submitter cannot be reached"

# Nothing more to that address: the decision, nor a confirmation of a new form.
before=$(received "$W/smtp")
expect_rc 0 "$ESSAIM" approve 1 > "$W/approve.out"
grep -q "submitter not written to" "$W/approve.out" ||
	fail "approve says the submitter was told: $(cat "$W/approve.out")"
sed 's/^Message-ID: .*/Message-ID: <init-lauris.2@mail.example.net>/' \
	"$DATA/mail/initiative-lauris.eml" > "$W/again.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/again.eml"
[ "$(db "SELECT count(*) FROM outbox WHERE recipient = '$SUB' AND status = 'queued'")" = 0 ] ||
	fail "mail queued to an address that bounced"
[ "$(db "SELECT count(*) FROM suppressed WHERE recipient = '$SUB' AND reason LIKE 'address bounced for good%'")" = 2 ] ||
	fail "suppressed: $(db "SELECT kind, reason FROM suppressed WHERE recipient = '$SUB'")"
expect_rc 0 "$ESSAIM" send
grep -qx "$SUB" $(ls -t "$W"/smtp/*.env | head -n $(( $(received "$W/smtp") - before ))) /dev/null &&
	fail "mail sent to an address that bounced"
pass "later decision and confirmation to that address suppressed, with the reason"

# The mailbox works again: the operator lifts the refusal (any case), audited.
expect_rc 65 "$ESSAIM" unbounce nobody@elsewhere.example 2> "$W/unbounce.err"
grep -q "is not among the addresses that refused mail for good" "$W/unbounce.err" ||
	fail "unbounce of an unknown address: $(cat "$W/unbounce.err")"
expect_rc 0 "$ESSAIM" unbounce "$(echo "$SUB" | tr a-z A-Z)" > /dev/null
[ "$(db "SELECT count(*) FROM bounced")" = 0 ] || fail "address still refused after unbounce"
[ "$(db "SELECT count(*) FROM events WHERE kind = 'unbounce' AND actor = 'operator'")" = 1 ] ||
	fail "unbounce not audited"
sed 's/^Message-ID: .*/Message-ID: <init-lauris.3@mail.example.net>/' \
	"$DATA/mail/initiative-lauris.eml" > "$W/third.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/third.eml"
NEW_ID=$(db "SELECT max(id) FROM outbox WHERE kind = 'confirmation' AND recipient = '$SUB' AND status = 'queued'")
[ -n "$NEW_ID" ] || fail "no confirmation queued to the address after unbounce"
expect_rc 0 "$ESSAIM" send
grep -qx "$SUB" $(ls -t "$W"/smtp/*.env | head -n 3) || fail "the confirmation was not sent after unbounce"
pass "unbounce: the address is written to again, audited; an unknown address: 65"

# ... and it bounces again: remembered anew (for the erasure below)
sed "0,/^Message-I[Dd]: .*/s//Message-Id: <dsn-again@mail.example.org>/" "$W/dsn.eml" > "$W/dsn2.eml"
expect_rc 0 "$ESSAIM" ingest --recipient "bounces+$NEW_ID@ssa.example" < "$W/dsn2.eml"
[ "$(db "SELECT count(*) FROM bounced WHERE address = '$SUB'")" = 1 ] || fail "second bounce not remembered"

# Erasing the person forgets the bounce too: no trace of the address in the
# database, the delivery report included (it returned our mail to them).
expect_rc 0 "$ESSAIM" erase $SUB > /dev/null
[ "$(db "SELECT count(*) FROM bounced")" = 0 ] || fail "bounced address kept after erasure"
mkdir -p "$W/nothing"
/usr/bin/python3 "$TOP/tests/e2e/rgpd_search.py" "$W/data/essaim.db" "$W/nothing" \
	"$SUB" camille.martin "Au Maquis" > "$W/traces" || { cat "$W/traces"; fail "erasure left traces"; }
pass "erasing the address forgets its bounce and the report"
