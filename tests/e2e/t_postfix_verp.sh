#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A real Postfix, with config/postfix's pipe service (flags=ORq, argv ...
# ingest --recipient ${original_recipient}) and recipient_delimiter = +,
# delivers a bounce sent to bounces+<outbox id>@ssa.example to essaim,
# which fails that outbox row. The report names the VERP address nowhere
# in its headers or body (the returned copy is not ours either): only the
# envelope Postfix passes can match it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

mkconf <<EOF2
[mail]
transport = maildir:$W/out
bounce_address = bounces@ssa.example
verp = true
EOF2
chown -R nobody:nogroup "$W/data"
db() { runuser -u nobody -- sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }
start_postfix
# the documented main.cf and transport lines for VERP, uncommented
grep -q '^#recipient_delimiter = +$' "$TOP/config/postfix/main.cf" || fail "main.cf lacks recipient_delimiter"
grep -q '^#bounces@ssa.example *essaim:$' "$TOP/config/postfix/transport" || fail "transport lacks the bounce address"
postconf -c "$PF" -e 'recipient_delimiter = +'
sed -n 's/^#\(bounces@ssa.example *essaim:\)$/\1/p' "$TOP/config/postfix/transport" >> "$PF/transport"
postfix -c "$PF" reload 2>/dev/null || fail "postfix reload"

# a confirmation queued and "sent" (Maildir transport) from bounces+<id>
runuser -u nobody -- "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
id=$(db "SELECT id FROM outbox WHERE kind = 'confirmation'")
[ "$(db "SELECT envelope_from FROM outbox WHERE id = $id")" = "bounces+$id@ssa.example" ] ||
	fail "envelope sender $(db "SELECT envelope_from FROM outbox WHERE id = $id")"

sed -e "/^Delivered-To:/d" -e "/^Return-Path:/d" -e "s/bounces+42@ssa.example/bounces@ssa.example/g" \
	-e "s/jeanne@example.org/camille.martin@aumaquis.example/g" \
	-e "s/essaim.1767225600.0123456789abcdef@ssa.example/not-ours@elsewhere.example/" \
	"$DATA/bounce/postfix-dsn.eml" > "$W/dsn.eml"
swaks --silent 2 --server "127.0.0.1:$SMTP_PORT" --from '<>' --to "bounces+$id@ssa.example" \
	--data "@$W/dsn.eml" || fail "swaks could not submit the report"
wait_for 30 '[ "$(db "SELECT status FROM outbox WHERE id = $id" 2>/dev/null)" = failed ]' ||
	{ tail -n 20 "$PF/maillog"; db "SELECT id, outcome, detail FROM messages"; fail "the outbox row was not failed"; }
grep -q "to=<bounces+$id@ssa.example>, relay=essaim.*status=sent" "$PF/maillog" ||
	fail "not delivered through the essaim pipe"
db "SELECT detail FROM messages WHERE outcome = 'bounce'" | grep -q "outbox #$id .*VERP address" ||
	fail "not matched by the VERP address: $(db "SELECT detail FROM messages")"
pass "postfix: a bounce to bounces+$id@ssa.example reaches essaim and fails its row"
