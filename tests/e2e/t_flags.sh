#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Charter rules as flags for the moderators: one local group per territory
# (same commune, same postcode, or within 10 km), possible duplicates (same
# name nearby, same referent with a similar name); flags never refuse.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example
[mail]
transport = maildir:$W/out
EOF2
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
flags() { db "SELECT flags FROM entries WHERE id = $1"; }

"$E" ingest < "$DATA/mail/groupe-landes.eml"		# 1: Mont-de-Marsan
"$E" ingest < "$DATA/mail/groupe-landes-bis.eml"	# 2: same commune
# 3: a group in the next commune, 3 km away (Saint-Pierre-du-Mont 40280)
sed -e 's/^Message-ID: .*/Message-ID: <spm.1@example.org>/' -e 's/^From: .*/From: Lou <lou@example.org>/' \
	-e 's/^Nom : .*/Nom : Collectif du Marsan sud/' -e 's/^Commune : .*/Commune : Saint-Pierre-du-Mont/' \
	-e 's/^Code postal : .*/Code postal : 40280/' "$DATA/mail/groupe-landes-bis.eml" | "$E" ingest
# 4: a group far away (Lille): no flag
sed -e 's/^Message-ID: .*/Message-ID: <lille.1@example.org>/' -e 's/^From: .*/From: Noa <noa@example.org>/' \
	-e 's/^Nom : .*/Nom : SSA Lille/' -e 's/^Commune : .*/Commune : Lille/' \
	-e 's/^Code postal : .*/Code postal : 59000/' "$DATA/mail/groupe-landes-bis.eml" | "$E" ingest
# 5: the same initiative sent by someone else: a possible duplicate
"$E" ingest < "$DATA/mail/initiative-lauris.eml"
sed -e 's/^Message-ID: .*/Message-ID: <lauris.bis@example.org>/' \
	-e 's/^From: .*/From: Autre <autre@aumaquis.example>/' "$DATA/mail/initiative-lauris.eml" | "$E" ingest

[ "$(db 'SELECT count(*) FROM entries WHERE status = '"'pending'")" = 6 ] || fail "a flag refused an entry"
[ "$(flags 1)" = "[]" ] || fail "first group flagged: $(flags 1)"
flags 2 | grep -q '"flag":"territory_conflict","other":1' || fail "same commune not flagged: $(flags 2)"
flags 3 | grep -q '"flag":"territory_conflict","other":1' || fail "10 km rule: $(flags 3)"
flags 3 | grep -q 'km' || fail "distance not given: $(flags 3)"
[ "$(flags 4)" = "[]" ] || fail "Lille flagged: $(flags 4)"
flags 6 | grep -q '"flag":"possible_duplicate","other":5' || fail "duplicate not flagged: $(flags 6)"
# moderators read the flags in words, with the other entry's reference
$MB body "$W/out" m1@ssa.example '#2 ' | grep -q 'Un groupe local existe déjà sur ce territoire : n° 1' ||
	fail "notification lacks the territory flag in words"
$MB body "$W/out" m1@ssa.example '#6 ' | grep -q 'Doublon possible de l.inscription n° 5' ||
	fail "notification lacks the duplicate flag"
# 7: the same initiative again, its point given 40 km away (Avignon, 84):
# too far for the distance, but the same commune: a possible duplicate
sed -e 's/^Message-ID: .*/Message-ID: <lauris.ter@example.org>/' \
	-e 's/^From: .*/From: Tiers <tiers@aumaquis.example>/' \
	-e 's/^Code postal : .*/Code postal : 84360\
Coordonnées GPS : 43.9493, 4.8055/' "$DATA/mail/initiative-lauris.eml" | "$E" ingest
flags 7 | grep -q '"flag":"possible_duplicate","other":5,"other_nom":"[^"]*","why":"Lauris","distance_km":4[0-9]' ||
	fail "same commune, far away: not a duplicate: $(flags 7)"
# 8: a third group in Mont-de-Marsan meets 1, 2 and 3: the moderators read
# the charter's rule once, then one line per group it meets
sed -e 's/^Message-ID: .*/Message-ID: <marsan.3@example.org>/' -e 's/^From: .*/From: Sam <sam@example.org>/' \
	-e 's/^Nom : .*/Nom : Collectif Marsan centre/' "$DATA/mail/groupe-landes-bis.eml" | "$E" ingest
[ "$(flags 8 | grep -o territory_conflict | wc -l)" = 3 ] || fail "group 8: not three conflicts: $(flags 8)"
$MB body "$W/out" m1@ssa.example 'Marsan centre' > "$W/n8"
[ "$(grep -c 'La charte demande un seul groupe local' "$W/n8")" = 1 ] ||
	fail "the rule is not said once: $(cat "$W/n8")"
grep -q '3 groupes locaux existent déjà sur ce territoire' "$W/n8" || fail "no count of the groups met: $(cat "$W/n8")"
for o in 1 2 3; do
	grep -q "^ *n° $o « .* » (" "$W/n8" || fail "group $o not listed: $(cat "$W/n8")"
done
# the JSON export names the flags
"$E" show 2 --json | grep -q 'territory_conflict' || fail "show --json lacks the flag"
pass "territory and duplicate flags"
