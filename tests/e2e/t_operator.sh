#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The operator's command line: list, show, approve (quorum), reject with a
# reason, set (validated), remind, export-shaped JSON; same notifications as
# the mail path.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example
remind_days = 7
[mail]
transport = maildir:$W/out
EOF2
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
"$E" ingest < "$DATA/mail/initiative-lauris.eml"
"$E" ingest < "$DATA/mail/groupe-landes.eml"

# the same sender sending the same form again while it is pending updates it
sed -e 's/^Message-ID: .*/Message-ID: <init-lauris.2@mail.example.net>/' \
	-e 's/^Statut de la structure : .*/Statut de la structure : collectif informel/' \
	"$DATA/mail/initiative-lauris.eml" | "$E" ingest
[ "$(db 'SELECT count(*) FROM entries')" = 2 ] || fail "a resubmission made a second entry"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = updated ] || fail "resubmission outcome"
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'statut_structure'")" = "collectif informel" ] ||
	fail "resubmission did not update the entry"

"$E" list > "$W/list"
grep -q 'Lauris' "$W/list" && grep -q 'Mont-de-Marsan' "$W/list" || fail "list: $(cat "$W/list")"
"$E" list --status pending --json > "$W/list.json"
/usr/bin/python3 - "$W/list.json" <<'PY' || fail "list --json shape"
import json, sys
a = json.load(open(sys.argv[1]))
assert [e["id"] for e in a] == [1, 2], a
e = a[0]
for k in ("id", "type", "status", "fields", "lat", "lon", "geo_precision", "flags", "submitter", "created_at", "updated_at"):
    assert k in e, k
assert e["fields"]["commune"] == "Lauris" and e["type"] == "initiative"
assert e["geo_precision"] == "commune" and 43.6 < e["lat"] < 43.8 and 5.2 < e["lon"] < 5.4, e
PY
expect_rc 64 "$E" list --status nonsense
expect_rc 65 "$E" show 99
expect_rc 64 "$E" approve
"$E" show 1 | grep -q 'submitted' || fail "show lacks the history"

# set: validated like the form
expect_rc 65 "$E" set 1 code_postal=123
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'code_postal'")" = 84360 ] || fail "bad set applied"
"$E" set 1 site_web=https://aumaquis.example/nouveau >/dev/null
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'site_web'")" = https://aumaquis.example/nouveau ] || fail "set not applied"

# approve: an initiative needs one approval, a groupe two
"$E" approve 1 > "$W/approve.out"
[ "$(db 'SELECT status FROM entries WHERE id = 1')" = approved ] || fail "approve 1"
grep -q "approved; moderators notified, submitter notified" "$W/approve.out" ||
	fail "approve 1 says: $(cat "$W/approve.out")"
expect_rc 65 "$E" approve 1
"$E" approve 2 | grep -q 'still pending' || fail "groupe approved by one"
[ "$($MB count "$W/out" camille.martin@aumaquis.example 'Inscription validée')" = 1 ] || fail "submitter not told"
[ "$($MB count "$W/out" m2@ssa.example 'Décision')" -ge 1 ] || fail "moderators not told"
"$E" reject 2 --reason "territoire déjà couvert" >/dev/null
[ "$(db 'SELECT status || reason FROM entries WHERE id = 2')" = "rejectedterritoire déjà couvert" ] || fail "reject"
$MB body "$W/out" dominique.lafitte@orange.example 'territoire déjà couvert' >/dev/null || fail "reason not sent"

# remind: nothing pending yet, then an old pending entry
"$E" remind | grep -q 'nothing pending' || fail "remind with nothing"
ESSAIM_NOW=1700000000 "$E" ingest < "$DATA/mail/groupe-landes-bis.eml"
"$E" remind | grep -q 'queued for 2' || fail "remind did not queue"
$MB body "$W/out" m1@ssa.example 'SSA Marsan' | grep -q 'attente' || fail "digest lacks the entry"
pass "operator commands"
