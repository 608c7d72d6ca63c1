#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The operator's command line as people use it: approvals typed on behalf
# of moderators (--as) reach a quorum of two from one login, and `show`
# lists the fields in the form's order under the form's labels.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example
quorum_groupe = 2
[mail]
transport = maildir:$W/out
EOF2
E=${ESSAIM:-$TOP/build/essaim}
"$E" ingest < "$DATA/mail/groupe-landes.eml"
status() { db "SELECT status FROM entries WHERE id = 1"; }
"$E" approve 1 > /dev/null
"$E" approve 1 > /dev/null
[ "$(status)" = pending ] || fail "one login counted twice"
expect_rc 65 "$E" approve 1 --as intrus@evil.example
[ "$(status)" = pending ] || fail "a vote --as a stranger counted"
"$E" approve 1 --as m2@ssa.example > "$W/out.txt"
grep -q 'approved' "$W/out.txt" || fail "approve --as: $(cat "$W/out.txt")"
[ "$(status)" = approved ] || fail "--as did not count as m2's vote"
[ "$(db "SELECT count(*) FROM votes WHERE entry_id = 1 AND moderator = 'm2@ssa.example'")" = 1 ] ||
	fail "the vote is not m2's"
db "SELECT detail FROM events WHERE kind = 'decision_on_behalf'" | grep -q "typed m2@ssa.example's decision" ||
	fail "the vote on m2's behalf is not audited"
# -c after the command and --as with its value
"$E" reject 1 --as m1@ssa.example --reason trop-tard -c "$W/essaim.conf" 2> "$W/err.txt" && fail "a late refusal exited 0"
grep -q "already approved" "$W/err.txt" || fail "late refusal: $(cat "$W/err.txt")"
pass "approve --as"

"$E" show 1 > "$W/show.txt"
grep -q '^  Nom : *Collectif SSA 40$' "$W/show.txt" || fail "show has no 'Nom :' label: $(cat "$W/show.txt")"
order=$(grep -n '^  \(Type\|Nom\|Commune\|Code postal\|Description\) :' "$W/show.txt" | cut -d: -f1 | tr '\n' ' ')
sorted=$(echo "$order" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
[ "$order" = "$sorted" ] || fail "show's fields are not in the form's order ($order)"
[ "$(grep -c '^  \(Type\|Nom\|Commune\|Code postal\|Description\) :' "$W/show.txt")" = 5 ] || fail "show lacks fields"
pass "show in the form's order"

# one Message-ID flows from composition to the outbox row (bounces match it)
[ "$(db "SELECT count(*) FROM outbox")" -gt 3 ] || fail "too few mails to check"
bad=$(db "SELECT count(*) FROM outbox WHERE message_id IS NULL
	OR instr(lower(CAST(data AS TEXT)), lower('Message-ID: <' || message_id || '>')) = 0")
[ "$bad" = 0 ] || fail "$bad outbox rows whose Message-ID is not their mail's"
pass "each outbox row keeps its mail's Message-ID"
