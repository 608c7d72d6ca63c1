#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# RGPD: the confirmation carries the information notice; two approved and
# published entries are erased, one by `essaim erase ADDRESS`, one by the
# submitter's SUPPRIMER reply with their token; after the next publication
# neither the database (every table, mails decoded, and the bytes of its
# files) nor any published file holds the erased addresses or names. The
# other people's entries stay published.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example
quorum_groupe = 1
[mail]
transport = maildir:$W/out
[publish]
directory = $W/public
tile_url =
EOF2
OUT=$W/out
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
SEARCH="/usr/bin/python3 $TOP/tests/e2e/rgpd_search.py"
CAMILLE=camille.martin@aumaquis.example
DOMINIQUE=dominique.lafitte@orange.example

# Another connection stays open all along, as the daemon's does: closing
# a command's connection then neither checkpoints nor empties the WAL.
/usr/bin/python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA journal_mode").fetchall()
open(sys.argv[2], "w").close(); time.sleep(600)' "$W/data/essaim.db" "$W/holder.ready" &
HOLDER=$!
trap 'kill $HOLDER 2>/dev/null || true; cleanup' EXIT
"$ESSAIM" list > /dev/null
while [ ! -e "$W/holder.ready" ]; do sleep 0.1; done

# Camille's message spans several database pages (a long signature): the
# pages freed by the erasure must not keep its bytes either
{
	cat "$DATA/mail/initiative-lauris.eml"
	i=0
	while [ $i -lt 200 ]; do
		echo "Camille Martin pour Au Maquis ! 04 90 00 00 00 camille.martin@aumaquis.example"
		i=$((i + 1))
	done
} > "$W/camille.eml"
"$ESSAIM" ingest < "$W/camille.eml"			# entry 1, Camille
"$ESSAIM" ingest < "$DATA/mail/groupe-landes.eml"	# entry 2, Dominique
# a third person, who stays: the map is not emptied wholesale
sed -e 's/Camille Martin/Lou Garnier/g' -e "s/$CAMILLE/lou@cagette.example/" \
	-e 's/Au Maquis !/La Cagette/g' -e 's/04 90 00 00 00/04 90 11 11 11/' \
	-e 's/aumaquis/cagette/g' -e 's/Commune : Lauris/Commune : Apt/' -e 's/84360/84400/' \
	-e 's/^Message-ID: .*/Message-ID: <cagette.1@mail.example.net>/' \
	"$DATA/mail/initiative-lauris.eml" > "$W/cagette.eml"
"$ESSAIM" ingest < "$W/cagette.eml"			# entry 3, Lou
[ "$(db "SELECT count(*) FROM entries WHERE status = 'pending'")" = 3 ] || fail "3 pending entries"

# The confirmation tells who processes what, why, how long, how to erase.
body=$($MB body "$OUT" $CAMILLE '#1 ')
for s in "Vos données personnelles" "Dynamiques locales SSA utilise" "180 jours" \
    "SUPPRIMER" "CNIL"; do
	echo "$body" | grep -q "$s" || fail "confirmation lacks '$s' of the RGPD notice"
done
pass "the confirmation carries the RGPD information notice"

for id in 1 2 3; do expect_rc 0 "$ESSAIM" approve $id > /dev/null; done
expect_rc 0 "$ESSAIM" publish
for s in "Au Maquis" "Collectif SSA 40" "aumaquis" "La Cagette"; do
	grep -q "$s" "$W/public/dynamiques.geojson" || fail "'$s' not published in the GeoJSON"
	grep -q "$s" "$W/public/dynamiques.csv" || fail "'$s' not published in the CSV"
done
pass "three entries approved and published"

# Erasure by the operator, and by the submitter's reply with their token.
expect_rc 0 "$ESSAIM" erase $CAMILLE > /dev/null
[ "$(db "SELECT status FROM entries WHERE id = 1")" = erased ] || fail "essaim erase"
# an address the database knows nothing of (any more): 65, nothing done
expect_rc 65 "$ESSAIM" erase personne@nulle-part.example
expect_rc 65 "$ESSAIM" erase $CAMILLE
# at once, while the daemon's connection is open: the log is emptied too
mkdir -p "$W/nothing"
$SEARCH "$W/data/essaim.db" "$W/nothing" camille.martin "Camille Martin" "Au Maquis" \
	> "$W/traces" || { cat "$W/traces"; fail "essaim erase left data behind"; }
$MB reply "$OUT" $DOMINIQUE '#2 ' $DOMINIQUE 'SUPPRIMER' '<suppr.1@mail.example.net>' > "$W/suppr.eml"
grep -q '^Subject: .*\[essaim #2 [a-z2-7]*\]' "$W/suppr.eml" || fail "reply carries no token"
expect_rc 0 "$ESSAIM" ingest < "$W/suppr.eml"
[ "$(db "SELECT status FROM entries WHERE id = 2")" = erased ] || fail "SUPPRIMER"
# acknowledged once, saying what was erased; a second SUPPRIMER gets nothing
[ "$($MB count "$OUT" $DOMINIQUE 'effacées')" = 1 ] || fail "SUPPRIMER is not acknowledged"

expect_rc 0 "$ESSAIM" send > /dev/null
expect_rc 0 "$ESSAIM" publish
grep -q "La Cagette" "$W/public/dynamiques.geojson" || fail "the third entry is no longer published"
grep -q "La Cagette" "$W/public/dynamiques.csv" || fail "the third entry is no longer in the CSV"

# No trace of either person anywhere essaim keeps or publishes.
$SEARCH "$W/data/essaim.db" "$W/public" \
	camille.martin aumaquis "Camille Martin" "Au Maquis" "04 90 00 00 00" \
	dominique.lafitte "Dominique Lafitte" "Collectif SSA 40" "Mont-de-Marsan" \
	> "$W/traces" || { cat "$W/traces"; fail "erased data left behind"; }
kill $HOLDER; wait $HOLDER 2>/dev/null || true
# the search does find what is there
$SEARCH "$W/data/essaim.db" "$W/public" "Lou Garnier" > /dev/null && fail "search finds nothing"
pass "erasure both ways: no trace in the database nor in the published files"
# a second SUPPRIMER (the person writes again): nothing more is written to them
sed 's/^Message-ID: .*/Message-ID: <suppr.2@mail.example.net>/' "$W/suppr.eml" | "$ESSAIM" ingest
[ "$($MB count "$OUT" $DOMINIQUE 'effacées')" = 1 ] || fail "SUPPRIMER acknowledged twice"
pass "SUPPRIMER acknowledged once"
