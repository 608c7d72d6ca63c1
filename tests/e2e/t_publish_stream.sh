#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The streamed publication: the CSV and the GeoJSON are byte for byte the
# reference files of tests/data/publish (made before the stream, by the
# version that built the dataset in memory) for points at their precision and
# at the commune's, donnees.js wraps the same bytes; export prints them too.
# A run with the same inputs opens no data file (strace); a run with new
# inputs never opens the published data files, it writes temporary files and
# renames them; a setting changed republishes without --force; a crash while
# the files are half written leaves the previous ones whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/publish_stream_fixture.sh"
PY=/usr/bin/python3
OUT=$W/public
REF=$DATA/publish
command -v strace > /dev/null || fail "strace is not installed (make deps)"

conf() {
	mkconf <<EOC
name = Dynamiques locales SSA (test)
[publish]
directory = $OUT
tile_url =
precision = $1
EOC
}
conf exact
expect_rc 0 "$ESSAIM" export --format json > /dev/null	# creates the schema
stream_fixture
export ESSAIM_NOW=1772524800	# 2026-03-03T08:00:00Z, the reference files' generated_at

# same_as REF_DIR: the published data files are the reference's
same_as() {
	cmp "$OUT/dynamiques.csv" "$1/dynamiques.csv" || fail "dynamiques.csv differs from $1"
	cmp "$OUT/dynamiques.geojson" "$1/dynamiques.geojson" || fail "dynamiques.geojson differs from $1"
	# donnees.js: carte.json and the GeoJSON's very bytes, as a script
	{ printf 'window.essaimDonnees = {"carte": '; cat "$OUT/carte.json"
	  printf ',\n"geojson": '; cat "$1/dynamiques.geojson"; printf '};\n'; } > "$W/donnees.js"
	cmp "$OUT/donnees.js" "$W/donnees.js" || fail "donnees.js does not wrap the GeoJSON"
}

expect_rc 0 "$ESSAIM" -v publish > "$W/out"
grep -q "15 entries published: 9 initiatives, 6 local groups" "$W/out" || { cat "$W/out"; fail "summary"; }
same_as "$REF/stream-exact"
expect_rc 0 "$ESSAIM" export --format csv > "$W/export.csv"
cmp "$W/export.csv" "$REF/stream-exact/dynamiques.csv" || fail "export --format csv"
export ESSAIM_NOW=1772528400	# later, nothing changed: the published generated_at
expect_rc 0 "$ESSAIM" export --format geojson > "$W/export.geojson"
cmp "$W/export.geojson" "$REF/stream-exact/dynamiques.geojson" ||
	fail "export --format geojson (later, nothing changed: the published generated_at)"
pass "streamed CSV, GeoJSON, donnees.js and export: the reference bytes"

# --- nothing changed: nothing opened --------------------------------------------------
stamps() { (cd "$OUT" && find . -type f | LC_ALL=C sort | xargs stat -c '%n %i %s %y'); }
stamps > "$W/before"
export ESSAIM_NOW=1772528400
strace -f -qq -e trace=open,openat,creat -o "$W/trace" "$ESSAIM" -v publish > "$W/out" ||
	fail "publish under strace"
grep -q "nothing changed since the last publication" "$W/out" || { cat "$W/out"; fail "fast path not taken"; }
grep -q "15 entries published" "$W/out" || fail "counts of the fast path"
grep -q "essaim.db" "$W/trace" || fail "strace saw nothing (the trace proves nothing)"
! grep -E "(dynamiques\.(csv|geojson)|donnees\.js)" "$W/trace" ||
	fail "an unchanged publication opened a data file"
stamps > "$W/after"
cmp -s "$W/before" "$W/after" || { diff "$W/before" "$W/after"; fail "a file was touched"; }
pass "same inputs: no data file opened, no file touched"

# --- a change: streamed into new files, the old ones never read ----------------------
db "UPDATE entry_fields SET value = 'Nom changé pour le flux' WHERE entry_id = 2 AND key = 'nom'"
strace -f -qq -e trace=open,openat,creat -o "$W/trace" "$ESSAIM" -v publish > "$W/out" ||
	fail "publish under strace"
grep -q "building the dataset" "$W/out" || { cat "$W/out"; fail "the change was not published"; }
grep -Eq "^3 of [0-9]+ files written" "$W/out" || { cat "$W/out"; fail "not the three data files"; }
grep -Eq "\.essaim-tmp-dynamiques\.geojson\.[^\"]*\".*O_CREAT" "$W/trace" ||
	fail "no temporary GeoJSON created"
! grep -E "\"$OUT/(dynamiques\.(csv|geojson)|donnees\.js)\"" "$W/trace" ||
	fail "the published data files were opened again"
grep -q "Nom changé pour le flux" "$OUT/dynamiques.geojson" "$OUT/dynamiques.csv" "$OUT/donnees.js" ||
	fail "change not published"
grep -q '"generated_at":"2026-03-03T09:00:00Z"' "$OUT/dynamiques.geojson" || fail "generated_at not renewed"
db "UPDATE entry_fields SET value = 'Épicerie solidaire de la Guillotière' WHERE entry_id = 2 AND key = 'nom'"
pass "new inputs: streamed into temporary files, the published ones never read"

# --- a setting changed: republished, without --force --------------------------------------
conf commune
export ESSAIM_NOW=1772524800
expect_rc 0 "$ESSAIM" -v publish > "$W/out"
grep -q "building the dataset" "$W/out" || { cat "$W/out"; fail "precision = commune not published"; }
same_as "$REF/stream-commune"
pass "precision = commune: republished, the reference bytes"

# --- a crash while the files are half written ---------------------------------------------------
rm -rf "$W/snap"
cp -a "$OUT" "$W/snap"
db "UPDATE entries SET status = 'pending' WHERE id = 3"
ESSAIM_FAILPOINT=publish-mid-stream expect_rc 99 "$ESSAIM" publish 2> "$W/err"
grep -q "failpoint publish-mid-stream" "$W/err" || fail "the failpoint was not reached"
diff -r -x '.essaim-tmp-*' "$W/snap" "$OUT" > /dev/null || fail "a crash mid-stream changed the published files"
[ -n "$(find "$OUT" -maxdepth 1 -name '.essaim-tmp-dynamiques.geojson.*')" ] || fail "no half-written temporary file: the crash was not mid-stream"
expect_rc 0 "$ESSAIM" -v publish > "$W/out"
grep -q "14 entries published" "$W/out" || { cat "$W/out"; fail "publication after the crash"; }
[ -z "$(find "$OUT" -name '.essaim-tmp-*')" ] || fail "temporary files left after a good run"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["features"]) == 14' "$OUT/dynamiques.geojson" ||
	fail "GeoJSON after the crash"
pass "a crash mid-stream leaves the previous files whole; the next run cleans up"
