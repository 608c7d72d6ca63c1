#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The example inbox (real clients' shapes) through `essaim ingest`: each
# message gets the outcome examples/inbox/README.md names, each entry is
# placed in its département, each answer goes where it should, in the
# sender's language.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example
[mail]
transport = maildir:$W/out
EOF2
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
for f in "$TOP"/examples/inbox/*.eml; do "$E" ingest < "$f"; done

# file → outcome, commune, postcode, département of the point
while read -r n outcome commune cp dep; do
	got=$(db "SELECT outcome FROM messages WHERE id = $n")
	[ "$got" = "$outcome" ] || fail "message $n: outcome $got, want $outcome"
	[ "$commune" = - ] && continue
	id=$(db "SELECT entry_id FROM messages WHERE id = $n")
	[ "$(db "SELECT value FROM entry_fields WHERE entry_id = $id AND key = 'commune'")" = "$commune" ] ||
		fail "message $n: commune"
	[ "$(db "SELECT value FROM entry_fields WHERE entry_id = $id AND key = 'code_postal'")" = "$cp" ] ||
		fail "message $n: postcode"
	[ "$(db "SELECT geo_precision FROM entries WHERE id = $id")" = commune ] || fail "message $n: not placed"
	# the point lies in the département: compare with the département's box
	db "SELECT lat || ' ' || lon FROM entries WHERE id = $id" > "$W/pt"
	/usr/bin/python3 - "$dep" "$(cat "$W/pt")" <<'PY' || fail "message $n: point outside département $dep"
import sys
boxes = {  # south, west, north, east of each département named below
    "29": (47.7, -5.2, 48.8, -3.3), "26": (44.1, 4.6, 45.4, 5.9), "69": (45.4, 4.2, 46.4, 5.2),
    "44": (46.8, -2.6, 47.9, -0.9), "19": (44.9, 1.2, 45.8, 2.6), "59": (49.9, 2.0, 51.1, 4.3),
}
s, w, n, e = boxes[sys.argv[1]]
lat, lon = map(float, sys.argv[2].split())
sys.exit(0 if s <= lat <= n and w <= lon <= e else 1)
PY
done <<EOF2
1 submitted Morlaix 29600 29
2 submitted Die 26150 26
3 submitted Villeurbanne 69100 69
4 invalid - - -
5 submitted Saint-Nazaire 44600 44
6 submitted Tulle 19000 19
7 submitted Lille 59000 59
8 invalid - - -
9 no_form - - -
10 auto_reply - - -
EOF2

# answers: English for the English form, every problem listed for 04, the
# blank form for the question, nothing for the out-of-office
from() { sed -n 's/^From:.*<\(.*\)>.*/\1/p' "$TOP/examples/inbox/$1" | head -n 1 | tr 'A-Z' 'a-z'; }
$MB subject "$W/out" "$(from 07-english.eml)" '' | grep -q 'Registration received' || fail "07 not answered in English"
$MB body "$W/out" "$(from 08-missing-fields.eml)" '' > "$W/b08"
grep -q 'Commune' "$W/b08" && grep -q 'Adhésion à la charte' "$W/b08" || fail "08: missing fields not named"
$MB body "$W/out" "$(from 04-apple-mail-invalid-values.eml)" '' > "$W/b04"
[ "$(grep -c '^  - ' "$W/b04")" -ge 6 ] || fail "04: not every problem listed: $(cat "$W/b04")"
grep -q 'Voici notre fiche' "$W/b04" && fail "04: the original message was sent back"
$MB body "$W/out" "$(from 09-question-no-form.eml)" '' | grep -q 'Charte' || fail "09: no charters"
[ "$($MB count "$W/out" "$(from 10-out-of-office.eml)")" = 0 ] || fail "10: an auto-reply was answered"
[ "$($MB count "$W/out" m1@ssa.example 'modérer')" = 6 ] || fail "moderators not notified of each entry"
pass "example inbox: outcomes, places, answers"
