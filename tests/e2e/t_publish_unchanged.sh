#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# publish's fast path: with the same inputs as the last publication it builds
# nothing ("nothing changed since the last publication", the state key
# publish_inputs unchanged, no file touched); every change of an input is
# published: an approval, a corrected public field, an erasure (through the
# essaim commands, on a frozen clock: no reliance on updated_at), a change
# made with sqlite3, tile_url and name in the configuration, a published file
# removed or altered by hand, a database restored from an older copy.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
OUT=$W/public

conf() {
	mkconf <<EOF
name = ${1:-Dynamiques locales SSA (test)}
[moderation]
moderators = moderatrice@ssa.example
[mail]
transport = maildir:$W/outbox
[publish]
directory = $OUT
tile_url = ${2:-}
EOF
}
conf
expect_rc 0 "$ESSAIM" export --format json > /dev/null	# creates the schema
$PY "$TOP/tests/e2e/publish_fixture.py" "$W/data/essaim.db" known
export ESSAIM_NOW=1772524800	# frozen: every change below has the same updated_at

stamps() { (cd "$OUT" && find . -type f | LC_ALL=C sort | xargs stat -c '%n %i %s %y'); }
inputs() { db "SELECT value FROM state WHERE key = 'publish_inputs'"; }

# publish_fast WHAT: the run must take the fast path and touch nothing
publish_fast() {
	stamps > "$W/before"
	before=$(inputs)
	expect_rc 0 "$ESSAIM" -v publish > "$W/out"
	grep -q "nothing changed since the last publication" "$W/out" ||
		{ cat "$W/out"; fail "$1: the fast path was not taken"; }
	! grep -q "building the dataset" "$W/out" || fail "$1: the dataset was built"
	grep -q "13 entries published" "$W/out" || grep -q "entries published" "$W/out" ||
		{ cat "$W/out"; fail "$1: no summary"; }
	stamps > "$W/after"
	cmp -s "$W/before" "$W/after" || fail "$1: a file was touched"
	[ "$(inputs)" = "$before" ] || fail "$1: publish_inputs changed"
}

# publish_built WHAT: the run must build the dataset again
publish_built() {
	expect_rc 0 "$ESSAIM" -v publish > "$W/out"
	grep -q "building the dataset" "$W/out" || { cat "$W/out"; fail "$1: not published"; }
}

expect_rc 0 "$ESSAIM" -v publish > "$W/out"
grep -q "13 entries published: 8 initiatives, 5 local groups" "$W/out" || { cat "$W/out"; fail "first run"; }
[ -n "$(inputs)" ] || fail "no publish_inputs after a publication"
publish_fast "second run"
# the counts come back from the state table, per région too
grep -q "13 entries published: 8 initiatives, 5 local groups" "$W/out" || { cat "$W/out"; fail "summary of the fast path"; }
grep -q "La Réunion *1" "$W/out" || fail "région counts of the fast path"
publish_fast "third run"
pass "nothing changed: nothing built, nothing touched, same counts"

expect_rc 0 "$ESSAIM" -v publish --force > "$W/out"
grep -q "building the dataset" "$W/out" || fail "--force took the fast path"
publish_fast "after --force"
pass "--force ignores the fingerprint"

expect_rc 0 "$ESSAIM" approve 14 > /dev/null
publish_built "approval"
grep -q "NE-PAS-PUBLIER-pending" "$OUT/dynamiques.geojson" || fail "approved entry not published"
publish_fast "after the approval"
pass "an approval is published"

# (the fixture's private fields hold markers, not valid values: set checks
# the entry as a whole, so they are corrected with it)
expect_rc 0 "$ESSAIM" set 12 "description=Description corrigée à la même seconde" \
	non_lucratif=oui "territoire=Sud Luberon" courriel_referent=referent12@example.org \
	"telephone=+33 4 90 00 00 12" charte=oui > /dev/null
# a change of content is moderated again (a new round of votes; a groupe
# needs two approvals)
expect_rc 0 "$ESSAIM" approve 12 --as moderatrice@ssa.example > /dev/null
[ "$(db "SELECT status FROM entries WHERE id = 12")" = approved ] ||
	expect_rc 0 "$ESSAIM" approve 12 > /dev/null
publish_built "corrected field"
grep -q "Description corrigée à la même seconde" "$OUT/dynamiques.geojson" ||
	fail "corrected public field not published"
publish_fast "after the correction"
pass "a corrected public field is published"

expect_rc 0 "$ESSAIM" erase prive10@exemple.fr > /dev/null
publish_built "erasure"
! grep -q "Dynamique de Strasbourg" "$OUT/dynamiques.geojson" "$OUT/dynamiques.csv" ||
	fail "erased entry still published"
publish_fast "after the erasure"
pass "an erasure is published"

db "UPDATE entries SET lat = 45.0 WHERE id = 1"
publish_built "sqlite3 update of lat"
db "UPDATE entry_fields SET value = 'Nom changé à la main' WHERE entry_id = 2 AND key = 'nom'"
publish_built "sqlite3 update of a field"
grep -q "Nom changé à la main" "$OUT/dynamiques.geojson" || fail "field changed with sqlite3"
# a change to an entry that is not published is not a change
db "UPDATE entry_fields SET value = 'autre' WHERE entry_id = 15 AND key = 'nom'"
publish_fast "change of a rejected entry"
pass "changes made with sqlite3 are published"

conf "Dynamiques locales SSA (test)" "https://tuiles.exemple.org/{z}/{x}/{y}.png"
publish_built "tile_url"
grep -q "tuiles.exemple.org" "$OUT/carte.json" || fail "tile_url not published"
publish_fast "after tile_url"
conf "Un autre nom" "https://tuiles.exemple.org/{z}/{x}/{y}.png"
publish_built "name"
grep -q "Un autre nom" "$OUT/carte.json" || fail "name not published"
pass "tile_url and name are published"

rm "$OUT/dynamiques.csv"
publish_built "a file removed"
[ -s "$OUT/dynamiques.csv" ] || fail "removed file not written again"
publish_fast "after the removal"
cp "$OUT/carte.js" "$W/carte.js"
echo "// altered" >> "$OUT/carte.js"
publish_built "a file altered"
cmp -s "$OUT/carte.js" "$W/carte.js" || fail "altered file not restored"
pass "a file removed or altered by hand is published again"

# a database restored from a copy made before changes that are published
db ".backup '$W/old.db'"
db "UPDATE entries SET status = 'approved' WHERE id = 15"
publish_built "change before the restore"
grep -q '"id":15' "$OUT/dynamiques.geojson" || fail "entry 15 not published"
cp "$W/old.db" "$W/data/essaim.db"
rm -f "$W/data/essaim.db-wal" "$W/data/essaim.db-shm"
publish_built "restored database"
! grep -q '"id":15' "$OUT/dynamiques.geojson" || fail "the restored database is not what is published"
pass "a restored database is published again"
