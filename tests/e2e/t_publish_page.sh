#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The map page's files from `essaim publish`: Leaflet from Debian's
# libjs-leaflet (javascript_dir) when all of it is there, the embedded copy
# otherwise (missing file, empty setting), never a mix, and essaim check
# warns of it; a change of the
# system's copy is published at the next run; the outline (fond-carte.js:
# every département drawn, overseas included, and the régions' borders);
# formulaire.txt as `essaim form` prints it; the address to join in
# carte.json and donnees.js.
. "$(dirname "$0")/lib.sh"
OUT=$W/public
SYS=/usr/share/javascript/leaflet
EMB=$TOP/build/data/map/vendor
[ -f "$SYS/leaflet.min.js" ] && [ -f "$SYS/leaflet.markercluster.min.js" ] ||
	fail "Debian's libjs-leaflet and libjs-leaflet.markercluster are not installed (make deps)"

conf() {
	mkconf <<EOF2
[publish]
directory = $OUT
tile_url =
$1
EOF2
}
strip() { sed -e '/^\/\/# sourceMappingURL=/d' -e '/^\/\*# sourceMappingURL=.*\*\/$/d' "$1"; }

# 1. the default: Debian's files, cleaned as tools/vendor-map.sh does
conf ""
expect_rc 0 "$ESSAIM" export > /dev/null
expect_rc 0 "$ESSAIM" -v publish > "$W/out1"
grep -q "Leaflet: /usr/share/javascript's" "$W/out1" || { cat "$W/out1"; fail "Leaflet not taken from Debian"; }
strip "$SYS/leaflet.min.js" | cmp -s - "$OUT/vendor/leaflet.js" || fail "vendor/leaflet.js is not Debian's"
strip "$SYS/leaflet.markercluster.min.js" | cmp -s - "$OUT/vendor/leaflet.markercluster.js" ||
	fail "vendor/leaflet.markercluster.js is not Debian's"
strip "$SYS/leaflet.css" | cmp -s - "$OUT/vendor/leaflet.css" || fail "vendor/leaflet.css is not Debian's"
cmp -s "$SYS/images/marker-icon.png" "$OUT/vendor/images/marker-icon.png" || fail "images not Debian's"
! grep -q sourceMappingURL "$OUT/vendor/leaflet.js" "$OUT/vendor/leaflet.css" || fail "source-map comment kept"
expect_rc 0 "$ESSAIM" check > "$W/check1" 2>&1
! grep -q "javascript_dir" "$W/check1" || { cat "$W/check1"; fail "essaim check warns with Debian's Leaflet there"; }
pass "Leaflet from Debian's libjs-leaflet by default"

# 2. a system folder of our own: taken, and a change there is published
mkdir -p "$W/js"
cp -r "$SYS" "$W/js/leaflet"
printf '\n/* local copy 1 */\n//# sourceMappingURL=leaflet.js.map\n' >> "$W/js/leaflet/leaflet.min.js"
conf "javascript_dir = $W/js"
expect_rc 0 "$ESSAIM" publish
grep -q 'local copy 1' "$OUT/vendor/leaflet.js" || fail "javascript_dir not used"
sed -i 's/local copy 1/local copy 2/' "$W/js/leaflet/leaflet.min.js"
expect_rc 0 "$ESSAIM" -v publish > "$W/out2"
grep -q 'local copy 2' "$OUT/vendor/leaflet.js" || { cat "$W/out2"; fail "an update of the system's Leaflet was not published"; }
grep -qx '  vendor/leaflet.js' "$W/out2" || { cat "$W/out2"; fail "vendor/leaflet.js not listed as written"; }
pass "javascript_dir's Leaflet published, and republished when it changes"

# 3. one file missing there: the whole embedded copy, said so
rm "$W/js/leaflet/MarkerCluster.css"
expect_rc 0 "$ESSAIM" -v publish > "$W/out3"
grep -q "Leaflet: the embedded copy (.*MarkerCluster.css is missing)" "$W/out3" ||
	{ cat "$W/out3"; fail "the fallback is not explained"; }
for f in leaflet.js leaflet.markercluster.js leaflet.css MarkerCluster.css; do
	cmp -s "$EMB/$f" "$OUT/vendor/$f" || fail "vendor/$f is not the embedded copy"
done
expect_rc 0 "$ESSAIM" check > "$W/check3" 2>&1
grep -q "warning: \[publish\] javascript_dir: .*MarkerCluster.css is missing; the map will use the Leaflet built into essaim" \
	"$W/check3" || { cat "$W/check3"; fail "essaim check does not warn of an incomplete javascript_dir"; }
pass "an incomplete javascript_dir: the embedded copy, never a mix; essaim check warns"

# 4. javascript_dir empty: the embedded copy
conf "javascript_dir ="
expect_rc 0 "$ESSAIM" -v publish > "$W/out4"
! grep -q "Leaflet: " "$W/out4" || { cat "$W/out4"; fail "javascript_dir empty still looked for Leaflet"; }
cmp -s "$EMB/leaflet.js" "$OUT/vendor/leaflet.js" || fail "javascript_dir empty: not the embedded copy"
pass "javascript_dir empty: the embedded copy"

# the rest of the page: outline, blank form, address to join
cmp -s "$TOP/data/map/fond-carte.js" "$OUT/fond-carte.js" || fail "fond-carte.js not published"
# what the page draws: every département of departements.tsv but the
# overseas collectivities (975, 977 and up), each once with its région, and
# the régions' borders
python3 - "$OUT/fond-carte.js" "$TOP/data/departements.tsv" <<'PYEOF' || fail "fond-carte.js: not the outline the page needs"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
head = "window.essaimFond = "
i = text.find(head)
if i < 0:
    sys.exit("no window.essaimFond")
fc = json.loads(text[i + len(head):].rstrip().rstrip(";"))
want = {}
for line in open(sys.argv[2], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if not line.startswith("#") and (len(f[0]) == 2 or f[0] in ("971", "972", "973", "974", "976")):
        want[f[0]] = f[2]
deps = [f for f in fc["features"] if "code" in f["properties"]]
have = {f["properties"]["code"]: f["properties"]["region"] for f in deps}
if len(deps) != len(have) or have != want:
    sys.exit("départements: %d features, missing %s, unexpected %s, région differs %s" % (
        len(deps), sorted(set(want) - set(have)), sorted(set(have) - set(want)),
        sorted(c for c in have if c in want and have[c] != want[c])))
for f in deps:
    g = f["geometry"]
    if g["type"] != "MultiPolygon" or not g["coordinates"] or any(len(r) < 4 for p in g["coordinates"] for r in p):
        sys.exit("département %s: no outline" % f["properties"]["code"])
if not any(f["properties"].get("limite") == "region" and f["geometry"]["coordinates"] for f in fc["features"]):
    sys.exit("no région borders")
print("%d départements, %d rings" % (len(deps), sum(len(p) for f in deps for p in f["geometry"]["coordinates"])))
PYEOF
expect_rc 0 "$ESSAIM" form > "$W/form.txt"
cmp -s "$W/form.txt" "$OUT/formulaire.txt" || fail "formulaire.txt differs from essaim form"
grep -q '"courriel_inscription": "dynamiques@ssa.example"' "$OUT/carte.json" || fail "no address in carte.json"
grep -q '^window.essaimDonnees = {"carte": ' "$OUT/donnees.js" || fail "donnees.js"
grep -q 'dynamiques@ssa.example' "$OUT/donnees.js" || fail "no address in donnees.js"
for f in index.html carte.js carte.css fond-carte.js donnees.js formulaire.txt; do
	[ "$(stat -c %a "$OUT/$f")" = 644 ] || fail "$f is not 0644"
done
pass "outline, formulaire.txt (= essaim form), address to join"
