#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The published dataset as open data (docs/open-data.md), read by readers
# that share no code with essaim: Python's csv module, GDAL's ogrinfo and
# ogr2ogr (Debian's gdal-bin), an RFC 7946 validator and a Table Schema
# validator (npm, pinned in lib_npm.sh). Entries sit in départements where
# the postcode misleads: Corse (2A, 2B), Guadeloupe (971), Saint-Pierre-et-
# Miquelon (975), Saint-Barthélemy (977, postcode 97133), communes served
# by another département's postcode (Buxeuil 86 in 37160, Laveyrune 07 in
# 48250), a leading zero (01000), a Paris arrondissement; [publish] licence.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_npm.sh"
PY=/usr/bin/python3
OUT=$W/public
for t in ogrinfo ogr2ogr node npm; do
	command -v $t > /dev/null || fail "$t is not installed (packages.debian: gdal-bin, nodejs)"
done

mkconf <<EOF2
name = Dynamiques locales SSA (test)
[publish]
directory = $OUT
base_url = https://carte.ssa.example/
tile_url =
EOF2
expect_rc 0 "$ESSAIM" export --format json > /dev/null	# creates the schema

# id type commune code_postal geo_precision lat lon, then what the gazetteer must say
$PY - "$W/data/essaim.db" <<'EOF2'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = [
    (1, "initiative", "Ajaccio", "20000", "commune", 41.91886, 8.73812),
    (2, "groupe", "Bastia", "20200", "locality", 42.70219, 9.45123),
    (3, "initiative", "Pointe-à-Pitre", "97110", "coordinates", 16.24125, -61.53614),
    (4, "initiative", "Saint-Pierre", "97500", "postcode", 46.77914, -56.1773),
    (5, "groupe", "Saint-Barthélemy", "97133", "intercommunality", 17.89618, -62.84978),
    (6, "initiative", "Buxeuil", "37160", "address", 46.818107, 0.572264),
    (7, "initiative", "Laveyrune", "48250", "departement", 44.80349, 3.97125),
    (8, "initiative", "Bourg-en-Bresse", "01000", "commune", 46.20574, 5.2258),
    (9, "groupe", "Paris", "75011", "commune", 48.8592, 2.3806),
    (10, "initiative", "Lyon", "13001", "none", None, None),
]
for i, typ, commune, cp, prec, lat, lon in rows:
    db.execute("INSERT INTO entries(id, type, status, submitter, lat, lon, geo_precision,"
               " created_at, updated_at) VALUES (?, ?, 'approved', ?, ?, ?, ?,"
               " '2026-03-01T10:00:00Z', ?)",
               (i, typ, "prive%d@exemple.fr" % i, lat, lon, prec, "2026-03-0%dT09:30:00Z" % (i % 9 + 1)))
    f = dict(type=typ, nom="Dynamique %d de %s" % (i, commune), commune=commune,
             code_postal=cp, description="Une dynamique locale, avec \"guillemets\",\nsur deux lignes.",
             referent="PRIVE-referent", courriel_referent="prive%d@exemple.fr" % i,
             adresse="PRIVE-adresse", telephone="0600000000", charte="oui")
    if typ == "initiative":
        f.update(structure="+33 Collectif" if i == 1 else "Association %d" % i,
                 etat="en fonctionnement", statut_structure="association")
    else:
        f.update(territoire="-Quartier nord" if i == 2 else "Territoire %d" % i,
                 echelle="intercommunalité", non_lucratif="oui")
    if i == 3:
        f["site_web"] = "https://pap.exemple.org/"
        f["courriel_public"] = "contact@pap.exemple.org"
        f["historique"] = "=1+1 n'est pas une formule"
    for k, v in f.items():
        db.execute("INSERT INTO entry_fields(entry_id, key, value) VALUES (?, ?, ?)", (i, k, v))
db.commit()
EOF2

export ESSAIM_NOW=1772524800	# 2026-03-03T08:00:00Z
expect_rc 0 "$ESSAIM" publish
for f in dynamiques.csv dynamiques.csvt schema.json LISEZMOI.txt dynamiques.geojson; do
	[ -s "$OUT/$f" ] || fail "$f not published"
done
pass "published: CSV, .csvt, schema.json, LISEZMOI.txt, GeoJSON"

# --- Python's csv module: names, shape, the places, the guard ----------------------------
$PY - "$OUT" <<'EOF2' || fail "the CSV read by Python's csv module"
import csv, io, json, os, sys
out = sys.argv[1]
raw = open(os.path.join(out, "dynamiques.csv"), "rb").read()
assert not raw.startswith(b"\xef\xbb\xbf"), "BOM"
text = raw.decode("utf-8")
rows = list(csv.reader(io.StringIO(text, newline=""), dialect="excel", strict=True))
# RFC 4180: each record ends in CRLF; a LF alone is inside a quoted cell
assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == len(rows), "line ends"
assert raw.count(b"\n") - raw.count(b"\r\n") == sum(c.count("\n") for r in rows for c in r)
head, body = rows[0], rows[1:]
schema = json.load(open(os.path.join(out, "schema.json"), encoding="utf-8"))
names = [f["name"] for f in schema["fields"]]
assert head == names, (head, names)
assert schema["primaryKey"] == "id"
import re
for n in head:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", n), n
for n in ("code_insee", "departement", "departement_nom", "region", "region_nom",
          "geo_precision", "date_creation", "date_maj", "code_postal", "commune", "nom", "type"):
    assert n in head, n
enums = {f["name"]: f["constraints"].get("enum") for f in schema["fields"]}
for n in ("type", "etat", "echelle", "geo_precision"):
    assert enums[n], n
assert enums["geo_precision"] == ["coordinates", "address", "commune", "postcode",
                                  "intercommunality", "locality", "departement", "none"]
assert set(enums["type"]) == {"initiative", "groupe"}
for f in schema["fields"]:
    assert f["title"] and f["description"] and f["type"] and f["format"], f
assert "apostrophe" in schema["description"], "the schema does not tell of the formula guard"
assert len(body) == 10 and all(len(r) == len(head) for r in body), len(body)
by = {r[0]: dict(zip(head, r)) for r in body}
want = {  # id: code_insee, departement, departement_nom, region, region_nom
    "1": ("2A004", "2A", "Corse-du-Sud", "94", "Corse"),
    "2": ("2B033", "2B", "Haute-Corse", "94", "Corse"),
    "3": ("97120", "971", "Guadeloupe", "01", "Guadeloupe"),
    "4": ("97502", "975", "Saint-Pierre-et-Miquelon", "975", "Saint-Pierre-et-Miquelon"),
    "5": ("97701", "977", "Saint-Barthélemy", "977", "Saint-Barthélemy"),
    "6": ("86042", "86", "Vienne", "75", "Nouvelle-Aquitaine"),
    "7": ("07136", "07", "Ardèche", "84", "Auvergne-Rhône-Alpes"),
    "8": ("01053", "01", "Ain", "84", "Auvergne-Rhône-Alpes"),
    "9": ("75111", "75", "Paris", "11", "Île-de-France"),
    "10": ("", "13", "Bouches-du-Rhône", "93", "Provence-Alpes-Côte d'Azur"),
}
for i, w in want.items():
    got = tuple(by[i][k] for k in ("code_insee", "departement", "departement_nom", "region", "region_nom"))
    assert got == w, (i, got, w)
assert by["8"]["code_postal"] == "01000"
assert by["4"]["geo_precision"] == "postcode" and by["5"]["geo_precision"] == "intercommunality"
assert by["10"]["geo_precision"] == "none" and by["10"]["latitude"] == "" and by["10"]["longitude"] == ""
assert by["1"]["latitude"] == "41.918860" and by["3"]["longitude"] == "-61.536140"
assert by["1"]["date_creation"] == "2026-03-01T10:00:00Z" and by["3"]["date_maj"] == "2026-03-04T09:30:00Z"
assert by["1"]["description"] == "Une dynamique locale, avec \"guillemets\",\nsur deux lignes."
# private fields never leave
for bad in ("PRIVE", "prive", "0600000000", "non_lucratif", "charte", "referent"):
    assert bad not in text, bad
# the guard: a text cell starting with = + - @ gets a '; the GeoJSON has the value
gj = json.load(open(os.path.join(out, "dynamiques.geojson"), encoding="utf-8"))
assert by["1"]["structure"] == "'+33 Collectif" and by["2"]["territoire"] == "'-Quartier nord"
assert by["3"]["historique"] == "'=1+1 n'est pas une formule"
props = {str(f["id"]): f["properties"] for f in gj["features"]}
for i, row in by.items():
    p = props[i]
    assert set(p) == set(head) - {"latitude", "longitude"}, set(p) ^ set(head)
    for k in p:
        v = p[k]
        if k == "id":
            assert v == int(row[k])
        elif v is None:
            assert row[k] == "", (i, k)
        else:
            assert row[k] in (v, "'" + v), (i, k, row[k], v)
            assert (row[k] != v) == v.startswith(("=", "+", "-", "@", "\t", "\r")), (i, k)
assert props["1"]["structure"] == "+33 Collectif"
EOF2
pass "Python csv: header = schema.json's names, places from the INSEE code (2A, 2B, 971, 975, 977, 86 in 37160, 07 in 48250), zeros kept, guard"

# --- GDAL: types from the .csvt, zeros kept both ways --------------------------------------
ogrinfo -ro -so -al "$OUT/dynamiques.csv" > "$W/ogr.so" 2>&1 || { cat "$W/ogr.so"; fail "ogrinfo cannot read the CSV"; }
for want in "id: Integer" "code_postal: String" "code_insee: String" "departement: String" \
	"region: String" "latitude: Real" "date_creation: DateTime" "date_maj: DateTime" \
	"Geometry: Point" "Feature Count: 10"; do
	grep -q "^$want" "$W/ogr.so" || { cat "$W/ogr.so"; fail "ogrinfo: no '$want'"; }
done
ogr2ogr -f GeoJSON "$W/from-csv.geojson" "$OUT/dynamiques.csv" 2> "$W/ogr.err" || { cat "$W/ogr.err"; fail "ogr2ogr CSV → GeoJSON"; }
ogr2ogr -f CSV "$W/from-geojson.csv" "$OUT/dynamiques.geojson" 2> "$W/ogr.err" || { cat "$W/ogr.err"; fail "ogr2ogr GeoJSON → CSV"; }
ogrinfo -ro -so -al "$OUT/dynamiques.geojson" > "$W/ogr-gj.so" 2>&1 || fail "ogrinfo cannot read the GeoJSON"
grep -q "^code_postal: String" "$W/ogr-gj.so" && grep -q "^id: Integer" "$W/ogr-gj.so" &&
	grep -q "^Feature Count: 10" "$W/ogr-gj.so" || { cat "$W/ogr-gj.so"; fail "ogrinfo on the GeoJSON"; }
$PY - "$W/from-csv.geojson" "$W/from-geojson.csv" <<'EOF2' || fail "GDAL lost a leading zero or a point"
import csv, json, sys
gj = json.load(open(sys.argv[1], encoding="utf-8"))
p = {f["properties"]["id"]: f for f in gj["features"]}
assert p[8]["properties"]["code_postal"] == "01000", p[8]["properties"]["code_postal"]
assert p[8]["properties"]["code_insee"] == "01053" and p[3]["properties"]["region"] == "01"
assert p[7]["properties"]["departement"] == "07"
assert p[1]["geometry"]["coordinates"] == [8.73812, 41.91886], p[1]["geometry"]
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8", newline=""))}
assert rows["8"]["code_postal"] == "01000" and rows["7"]["code_insee"] == "07136"
EOF2
# without its .csvt, GDAL's type detection makes the postcode a number:
# the sidecar is what keeps the zeros (else this test proves nothing)
mkdir -p "$W/nocsvt" && cp "$OUT/dynamiques.csv" "$W/nocsvt/"
ogrinfo -ro -so -al -oo AUTODETECT_TYPE=YES "$W/nocsvt/dynamiques.csv" > "$W/ogr-nocsvt.so" 2>&1
grep -q "^code_postal: Integer" "$W/ogr-nocsvt.so" || { cat "$W/ogr-nocsvt.so"; fail "control: GDAL kept postcodes as text without the .csvt"; }
pass "ogrinfo/ogr2ogr: postcodes, INSEE, département and région codes stay strings; the CSV has points"

# --- RFC 7946 and Table Schema validators ----------------------------------------------------
check_geojson "$OUT/dynamiques.geojson" || fail "dynamiques.geojson is not valid RFC 7946"
echo '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":["8.7","41.9"]}}]}' > "$W/bad.geojson"
if check_geojson "$W/bad.geojson" 2>/dev/null; then fail "the GeoJSON validator accepts a broken document"; fi
n=$(check_table_schema "$OUT/schema.json" "$OUT/dynamiques.csv") || fail "the CSV does not satisfy schema.json"
[ "$n" = 10 ] || fail "the Table Schema reader read $n rows"
sed 's/,postcode,/,postal,/' "$OUT/dynamiques.csv" > "$W/bad.csv"
cmp -s "$W/bad.csv" "$OUT/dynamiques.csv" && fail "control: nothing changed"
if check_table_schema "$OUT/schema.json" "$W/bad.csv" > /dev/null 2>&1; then
	fail "the Table Schema validator accepts a geo_precision outside the enum"
fi
pass "RFC 7946 validator and Table Schema validator agree"

# --- attribution, licence, LISEZMOI ------------------------------------------------------------
$PY - "$OUT" <<'EOF2' || fail "attribution or licence"
import json, os, sys
out = sys.argv[1]
gj = json.load(open(os.path.join(out, "dynamiques.geojson"), encoding="utf-8"))
sc = json.load(open(os.path.join(out, "schema.json"), encoding="utf-8"))
readme = open(os.path.join(out, "LISEZMOI.txt"), encoding="utf-8").read()
assert "GeoNames" in gj["attribution"] and "CC BY 4.0" in gj["attribution"]
assert "Etalab" in gj["attribution"] and "Licence Ouverte 2.0" in gj["attribution"]
assert gj["licence"]["name"] == "etalab-2.0" and sc["licenses"][0]["name"] == "etalab-2.0"
assert sc["path"] == "https://carte.ssa.example/schema.json"
for want in ("Licence Ouverte / Open Licence version 2.0", "GeoNames", "CC BY 4.0",
             "dynamiques@ssa.example", "15 minutes", "code_insee", "apostrophe",
             "https://carte.ssa.example/"):
    assert want in readme, want
EOF2
sed -i 's/^tile_url =$/tile_url =\nlicence = ODbL-1.0/' "$W/essaim.conf"
expect_rc 0 "$ESSAIM" publish
grep -q '"licence":{"name":"ODbL-1.0"' "$OUT/dynamiques.geojson" || fail "[publish] licence not in the GeoJSON"
grep -q '"name": "ODbL-1.0"' "$OUT/schema.json" || fail "[publish] licence not in schema.json"
grep -q "Open Database License" "$OUT/LISEZMOI.txt" || fail "[publish] licence not in LISEZMOI.txt"
cp -a "$OUT" "$W/before"
sed -i 's/^licence = ODbL-1.0$/licence = WTFPL/' "$W/essaim.conf"
expect_rc 78 "$ESSAIM" publish 2> "$W/lic.err"
grep -q "licence.*'WTFPL' is not a licence essaim knows" "$W/lic.err" || { cat "$W/lic.err"; fail "no clear answer to an unknown licence"; }
"$ESSAIM" check > "$W/check.out" 2>&1 && fail "essaim check accepts an unknown licence"
grep -q "\[publish\] licence" "$W/check.out" || { cat "$W/check.out"; fail "essaim check does not name [publish] licence"; }
diff -r "$W/before" "$OUT" > /dev/null || fail "a refused publication changed the files"
sed -i 's/^licence = WTFPL$/licence = etalab-2.0/' "$W/essaim.conf"
pass "attribution in the GeoJSON and LISEZMOI.txt; [publish] licence used, an unknown one refused"

# --- export prints exactly the published files ---------------------------------------------------
expect_rc 0 "$ESSAIM" publish
export ESSAIM_NOW=1772528400	# later: the GeoJSON keeps the generated_at it was published with
expect_rc 0 "$ESSAIM" export --format csv > "$W/export.csv"
cmp "$W/export.csv" "$OUT/dynamiques.csv" || fail "export --format csv differs from the published CSV"
expect_rc 0 "$ESSAIM" export --format geojson > "$W/export.geojson"
cmp "$W/export.geojson" "$OUT/dynamiques.geojson" || fail "export --format geojson differs from the published GeoJSON"
expect_rc 0 "$ESSAIM_ASAN" export --format csv > "$W/export-asan.csv"
cmp -s "$W/export-asan.csv" "$OUT/dynamiques.csv" || fail "export under ASan"
pass "export --format csv|geojson prints the published files byte for byte"
