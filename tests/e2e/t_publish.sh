#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim publish and export: the GeoJSON checked by a real validator (npm
# @placemarkio/check-geojson, pinned in lib_npm.sh), the CSV, privacy, idempotence (mtimes), --force,
# atomicity (failpoints and kill -9 mid-publication), upload over HTTP PUT
# to a real server on 127.0.0.1, and the exit codes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_npm.sh"
PY=/usr/bin/python3
PUTPID=
trap 'if [ -n "$PUTPID" ]; then kill "$PUTPID" 2>/dev/null || true; fi; cleanup' EXIT
E2E=$TOP/tests/e2e
OUT=$W/public

# --- the validator, from npm (pinned in tests/e2e/npm) ------------------------
npm_tools
NPMDIR=$W/npm
mkdir -p "$NPMDIR"
ln -s "$NPM" "$NPMDIR/node_modules"
cat > "$NPMDIR/check-geojson.mjs" <<'EOF'
import { check } from '@placemarkio/check-geojson';
import { readFileSync } from 'node:fs';
try {
	check(readFileSync(process.argv[2], 'utf8'));
} catch (e) {
	console.error('invalid GeoJSON:', JSON.stringify(e.issues || e.message));
	process.exit(1);
}
EOF
validate() { node "$NPMDIR/check-geojson.mjs" "$1"; }
# the validator itself refuses a broken document (else this test proves nothing)
echo '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":["-4.49","48.39"]}}]}' > "$W/bad.geojson"
if validate "$W/bad.geojson" 2>/dev/null; then fail "the validator accepts a broken GeoJSON"; fi

mkconf <<EOF
name = Dynamiques locales SSA (test)
[publish]
directory = $OUT
tile_url =
EOF
expect_rc 0 "$ESSAIM" export --format json > /dev/null	# creates the schema
$PY "$E2E/publish_fixture.py" "$W/data/essaim.db" known

# --- a first publication ----------------------------------------------------------
export ESSAIM_NOW=1772524800	# 2026-03-03T08:00:00Z
expect_rc 0 "$ESSAIM" -v publish > "$W/out1"
grep -q "13 entries published: 8 initiatives, 5 local groups" "$W/out1" || { cat "$W/out1"; fail "summary"; }
grep -q "Auvergne-Rhône-Alpes *4" "$W/out1" || fail "no per-région count"
grep -q "La Réunion *1" "$W/out1" || fail "no count for La Réunion"
for f in index.html carte.js carte.css carte.json dynamiques.geojson dynamiques.csv \
	dynamiques.csvt schema.json LISEZMOI.txt \
	vendor/leaflet.js vendor/leaflet.css vendor/leaflet.markercluster.js \
	vendor/MarkerCluster.css vendor/MarkerCluster.Default.css vendor/images/layers.png; do
	[ -s "$OUT/$f" ] || fail "$f not published"
done
validate "$OUT/dynamiques.geojson" || fail "dynamiques.geojson is not valid GeoJSON"
pass "published, GeoJSON valid"

# --- content and privacy -------------------------------------------------------------
$PY - "$OUT" <<'EOF' || fail "content or privacy check"
import csv, io, json, os, sys
out = sys.argv[1]
gj = json.load(open(os.path.join(out, "dynamiques.geojson"), encoding="utf-8"))
assert gj["type"] == "FeatureCollection" and gj["generated_at"] == "2026-03-03T08:00:00Z"
ids = [f["id"] for f in gj["features"]]
assert ids == list(range(1, 14)), ids
PUBLIC = {"type", "nom", "structure", "statut_structure", "territoire", "echelle", "commune",
          "code_postal", "etat", "description", "historique", "partenaires", "site_web",
          "courriel_public"}
ADDED = {"id", "code_insee", "departement", "departement_nom", "region", "region_nom",
         "geo_precision", "date_creation", "date_maj"}
for f in gj["features"]:
    assert set(f["properties"]) == PUBLIC | ADDED, set(f["properties"]) ^ (PUBLIC | ADDED)
    assert f["properties"]["type"] in ("initiative", "groupe")
brest = gj["features"][7]
assert brest["geometry"]["coordinates"] == [-4.4861, 48.3904], brest["geometry"]
assert gj["features"][12]["geometry"] is None
raw = open(os.path.join(out, "dynamiques.geojson"), encoding="utf-8").read()
assert "[-4.486100,48.390400]" in raw
for name in os.listdir(out):
    p = os.path.join(out, name)
    if os.path.isfile(p):
        text = open(p, "rb").read().decode("utf-8", "replace")
        for bad in ("PRIVE-", "NE-PAS-PUBLIER", "prive1@exemple.fr"):
            assert bad not in text, (name, bad)
data = open(os.path.join(out, "dynamiques.csv"), "rb").read()
assert data.count(b"\r\n") >= 14
rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
head = rows[0]
assert head[:4] == ["id", "type", "nom", "structure"], head
lon = head.index("longitude")
brest = [r for r in rows if r[0] == "8"][0]
assert brest[lon] == "-4.486100", brest[lon]          # a number stays a number
assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows[1:]
           for i, c in enumerate(r) if i not in (head.index("latitude"), lon)), "formula"
assert len(rows) == 14, len(rows)
EOF
pass "content: public fields only, approved entries only, CSV neutralised"

# --- idempotence ----------------------------------------------------------------------
stamps() { (cd "$OUT" && find . -type f | LC_ALL=C sort | xargs stat -c '%n %Y.%y'); }
stamps > "$W/m1"
sleep 1.1
export ESSAIM_NOW=1772528400
expect_rc 0 "$ESSAIM" -v publish > "$W/out2"
grep -q "nothing changed" "$W/out2" || { cat "$W/out2"; fail "second run does not say nothing changed"; }
stamps > "$W/m2"
cmp -s "$W/m1" "$W/m2" || { diff "$W/m1" "$W/m2"; fail "a file was rewritten with nothing changed"; }
# quiet when not on a terminal and not verbose (cron)
expect_rc 0 "$ESSAIM" publish > "$W/out3" 2>&1
[ ! -s "$W/out3" ] || fail "publish is not quiet for cron: $(cat "$W/out3")"
expect_rc 0 "$ESSAIM" -v publish --force > "$W/out4"
grep -Eq "^([0-9]+) of \1 files written" "$W/out4" || { cat "$W/out4"; fail "--force did not rewrite"; }
stamps > "$W/m3"
[ "$(join "$W/m2" "$W/m3" | awk '$2 == $3' | wc -l)" -eq 0 ] || fail "--force left files untouched"
grep -q '"generated_at":"2026-03-03T09:00:00Z"' "$OUT/dynamiques.geojson" || fail "--force kept generated_at"
pass "idempotent: no rewrite when nothing changed, --force rewrites"

# --- a change rewrites the data files only -----------------------------------------
db "UPDATE entries SET status = 'approved' WHERE id = 14"
expect_rc 0 "$ESSAIM" -v publish > "$W/out5"
grep -Eq "^3 of [0-9]+ files written" "$W/out5" || { cat "$W/out5"; fail "change"; }
grep -q "NE-PAS-PUBLIER-pending" "$OUT/dynamiques.geojson" || fail "approved entry missing"
db "UPDATE entries SET status = 'erased' WHERE id = 14"
expect_rc 0 "$ESSAIM" publish
! grep -q "NE-PAS-PUBLIER" "$OUT/dynamiques.geojson" "$OUT/dynamiques.csv" || fail "erased entry still published"
pass "a change rewrites the dataset; an erased entry leaves it"

# --- atomicity ---------------------------------------------------------------------------
snapshot() { rm -rf "$1"; cp -a "$OUT" "$1"; }
snapshot "$W/before"
db "UPDATE entry_fields SET value = 'Nom changé' WHERE entry_id = 1 AND key = 'nom'"
ESSAIM_FAILPOINT=publish-before-rename expect_rc 99 "$ESSAIM" publish 2>/dev/null
diff -r -x '.essaim-tmp-*' "$W/before" "$OUT" > /dev/null || fail "a crash before the renames changed the published files"
ls -a "$OUT" | grep -q '^\.essaim-tmp-' || fail "the failpoint did not stop after writing the temporary files"
ESSAIM_FAILPOINT=publish-mid-rename expect_rc 99 "$ESSAIM" publish 2>/dev/null
validate "$OUT/dynamiques.geojson" || fail "GeoJSON broken by a crash between renames"
expect_rc 0 "$ESSAIM" publish
[ -z "$(find "$OUT" -name '.essaim-tmp-*')" ] || fail "temporary files left after a good run"
grep -q "Nom changé" "$OUT/dynamiques.geojson" || fail "publication after a crash"
pass "failpoints: crash before or between renames leaves whole files"

# kill -9 at spread moments of a publication of many entries: every file is
# always the old one or the new one, never a mix or a truncation
db "DELETE FROM entry_fields; DELETE FROM entries"
$PY "$E2E/publish_fixture.py" "$W/data/essaim.db" many 1000
expect_rc 0 "$ESSAIM" publish
snapshot "$W/stateA"
db "UPDATE entries SET status = 'pending' WHERE id % 2 = 0"
expect_rc 0 "$ESSAIM" publish
snapshot "$W/stateB"
db "UPDATE entries SET status = 'approved'"
expect_rc 0 "$ESSAIM" publish
$PY - "$ESSAIM" "$OUT" "$W/stateA" "$W/stateB" "$W/data/essaim.db" <<'EOF' || fail "kill -9"
import filecmp, os, signal, sqlite3, subprocess, sys, time
essaim, out, a, b, dbp = sys.argv[1:6]
names = ["dynamiques.geojson", "dynamiques.csv"]
def toggle(to_b):
    db = sqlite3.connect(dbp)
    with db:
        db.execute("UPDATE entries SET status = 'approved'")
        if to_b:
            db.execute("UPDATE entries SET status = 'pending' WHERE id % 2 = 0")
    db.close()
t = time.monotonic(); toggle(True)
subprocess.run([essaim, "publish"], check=True)
full = time.monotonic() - t
toggle(False); subprocess.run([essaim, "publish"], check=True)
mixed = 0
for i in range(10):
    toggle(i % 2 == 0)
    p = subprocess.Popen([essaim, "publish"])
    time.sleep(full * i / 10)
    p.send_signal(signal.SIGKILL)
    p.wait()
    states = []
    for n in names:
        f = os.path.join(out, n)
        if filecmp.cmp(f, os.path.join(a, n), shallow=False):
            states.append("A")
        elif filecmp.cmp(f, os.path.join(b, n), shallow=False):
            states.append("B")
        else:
            sys.exit("after kill %d, %s is neither the old nor the new file" % (i, n))
    subprocess.run([essaim, "publish"], check=True)
print("kill -9 runs: full publication %.0f ms, files always whole" % (full * 1000))
EOF
pass "kill -9 mid-publication leaves whole files"

# --- export -------------------------------------------------------------------------------
expect_rc 0 "$ESSAIM" export --format csv > "$W/export.csv"
cmp -s "$W/export.csv" "$OUT/dynamiques.csv" || fail "export --format csv differs from the published CSV"
expect_rc 0 "$ESSAIM" export --format geojson > "$W/export.geojson"
cmp -s "$W/export.geojson" "$OUT/dynamiques.geojson" || fail "export --format geojson differs from the published GeoJSON"
validate "$W/export.geojson" || fail "export --format geojson is not valid"
expect_rc 0 "$ESSAIM" export --format json > "$W/export.json"
$PY -c "import json,sys; a=json.load(open(sys.argv[1])); assert [e['id'] for e in a]==sorted(e['id'] for e in a) and len(a)==1000 and a[0]['fields']['referent']=='PRIVE-referent-1', a[0]" "$W/export.json" ||
	fail "export --format json"
expect_rc 64 "$ESSAIM" export --format xml 2>/dev/null
expect_rc 64 "$ESSAIM" publish --now 2>/dev/null
pass "export csv|geojson|json"

# --- upload ----------------------------------------------------------------------------------
REMOTE=$W/remote
mkdir -p "$REMOTE/site"
printf 'motdepasse\n' > "$W/upload.pw"
chmod 600 "$W/upload.pw"
start_put() {
	rm -f "$W/port"
	$PY "$E2E/put_server.py" "$REMOTE" "$W/port" essaim motdepasse 2> "$W/put.log" &
	PUTPID=$!
	for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
	[ -s "$W/port" ] || fail "the upload server did not start"
}
start_put
PORT=$(cat "$W/port")
mkconf <<EOF
[publish]
directory = $OUT
tile_url =
upload_url = http://essaim@127.0.0.1:$PORT/site/
upload_password_file = $W/upload.pw
EOF
expect_rc 0 "$ESSAIM" publish --force
diff -r "$OUT" "$REMOTE/site" || fail "uploaded files differ"
kill "$PUTPID"; wait "$PUTPID" 2>/dev/null || true
db "UPDATE entries SET status = 'pending' WHERE id = 1"
expect_rc 1 "$ESSAIM" publish 2> "$W/up.err"
grep -q "upload failed" "$W/up.err" || fail "no upload error message"
! grep -q '"id":1,' "$OUT/dynamiques.geojson" || fail "local files not updated when the upload failed"
[ "$(db "SELECT value FROM state WHERE key = 'publish_upload_pending'")" = 1 ] || fail "pending upload not recorded"
start_put
PORT2=$(cat "$W/port")
sed -i "s/127.0.0.1:$PORT/127.0.0.1:$PORT2/" "$W/essaim.conf"
expect_rc 0 "$ESSAIM" publish	# nothing changed locally, but the last upload failed
diff -r "$OUT" "$REMOTE/site" || fail "upload not retried"
kill "$PUTPID"; wait "$PUTPID" 2>/dev/null || true
chmod 644 "$W/upload.pw"
expect_rc 78 "$ESSAIM" publish 2>/dev/null
pass "upload over HTTP PUT, retried after a failure; exit 1 and 78"

# --- the same commands under ASan + UBSan ----------------------------------------------------
chmod 600 "$W/upload.pw"
mkconf <<EOF2
[publish]
directory = $W/public-asan
tile_url =
EOF2
expect_rc 0 "$ESSAIM_ASAN" -v publish --force > /dev/null
expect_rc 0 "$ESSAIM_ASAN" -v publish > /dev/null
expect_rc 0 "$ESSAIM_ASAN" export --format json > /dev/null
expect_rc 0 "$ESSAIM_ASAN" export --format csv > /dev/null
expect_rc 0 "$ESSAIM_ASAN" export --format geojson > /dev/null
pass "publish and export clean under ASan"
