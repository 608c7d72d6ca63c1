#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The map page's features in Debian's headless Chromium (issue 18): the
# outline drawn with no tiles, filters on type, stage, région and département
# for the map, the list and the counts, kept in the URL; the search phrasings;
# permalinks; overseas shortcuts; keyboard order, names and focus; the join
# block and formulaire.txt; a phone-sized screen; ?embed; the folder opened
# from disk (file://) with the embedded Leaflet; axe-core with no violation
# of any impact in map and list views; the published GeoJSON checked
# against RFC 7946 by @placemarkio/check-geojson.
# The data comes from a real `essaim publish`, then map_fixture.py replaces
# it with entries carrying the INSEE-derived properties (departement,
# region, geo_precision...).
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
HEAVY=$TOP/tests/e2e/heavy
CDP=$TOP/tools/chromium-cdp.py
ADDRESS=dynamiques@ssa.example
command -v chromium > /dev/null || fail "chromium is not installed (make deps)"
command -v node > /dev/null || fail "node is not installed (make deps)"
npm_tools
SRVPID=
trap 'if [ -n "$SRVPID" ]; then kill "$SRVPID" 2>/dev/null || true; fi; cleanup' EXIT

# conf DIR TILE_URL [more [publish] lines]
conf() {
	mkconf <<EOF2
[publish]
directory = $1
tile_url = $2
${3:-}
EOF2
}
conf "$W/public" ""
expect_rc 0 "$ESSAIM" export > /dev/null
$PY "$TOP/tests/e2e/publish_fixture.py" "$W/data/essaim.db" known
expect_rc 0 "$ESSAIM" publish

# RFC 7946: the GeoJSON of a real publication, and the fixture's
geojson_ok() {
	NODE_PATH=$NPM node -e '
const { getIssues } = require("@placemarkio/check-geojson");
const issues = getIssues(require("fs").readFileSync(process.argv[1], "utf8"));
if (issues.length) { console.error(JSON.stringify(issues).slice(0, 2000)); process.exit(1); }' "$1"
}
geojson_ok "$W/public/dynamiques.geojson" || fail "the published GeoJSON is not valid RFC 7946"
# the validator does refuse a broken file
sed 's/"coordinates":\[/"coordinates":[[/' "$W/public/dynamiques.geojson" > "$W/broken.geojson"
! geojson_ok "$W/broken.geojson" 2> /dev/null || fail "check-geojson accepted a broken file"
pass "published GeoJSON valid (RFC 7946, @placemarkio/check-geojson)"

# donnees.js holds carte.json and the GeoJSON, as published
NODE_PATH=$NPM node -e '
const fs = require("fs"), vm = require("vm"), assert = require("assert");
const d = process.argv[1], w = {};
vm.runInNewContext(fs.readFileSync(d + "/donnees.js", "utf8"), { window: w });
w.essaimDonnees = JSON.parse(JSON.stringify(w.essaimDonnees));	/* out of the other realm */
assert.deepStrictEqual(w.essaimDonnees.geojson, JSON.parse(fs.readFileSync(d + "/dynamiques.geojson", "utf8")));
assert.deepStrictEqual(w.essaimDonnees.carte, JSON.parse(fs.readFileSync(d + "/carte.json", "utf8")));
assert.strictEqual(w.essaimDonnees.carte.courriel_inscription, "dynamiques@ssa.example");' "$W/public" ||
	fail "donnees.js does not match carte.json and dynamiques.geojson"
pass "donnees.js matches carte.json and dynamiques.geojson"

# the fixture with the INSEE-derived properties
cp -r "$W/public" "$W/fx"
$PY "$HEAVY/map_fixture.py" "$W/fx" > "$W/expect.json" || fail "map_fixture.py"
geojson_ok "$W/fx/dynamiques.geojson" || fail "the fixture is not valid RFC 7946"

$PY "$TOP/tests/e2e/put_server.py" "$W/fx" "$W/port" u p 2> "$W/http.log" &
SRVPID=$!
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
[ -s "$W/port" ] || fail "the web server did not start"
PORT=$(cat "$W/port")

# run MODE URL [cdp options]: evaluate carte-features.js (after axe-core),
# check its verdict and that every request stayed in the folder
run() {
	mode=$1 url=$2
	shift 2
	{
		printf 'const MODE = "%s";\nconst ADDRESS = "%s";\nconst EXPECT = %s;\n' \
			"$mode" "$ADDRESS" "$(cat "$W/expect.json")"
		cat "$NPM/axe-core/axe.min.js"
		printf '\n;\n'
		cat "$HEAVY/carte-features.js"
	} > "$W/test-$mode.js"
	$PY "$CDP" eval "$url" "$W/test-$mode.js" "$@" > "$W/result-$mode.json" ||
		fail "chromium run ($mode) failed"
	$PY - "$W/result-$mode.json" "$url" <<'PYEOF' || { head -c 4000 "$W/result-$mode.json"; fail "map page ($mode)"; }
import json, sys
r = json.load(open(sys.argv[1]))
res = r["result"]
print("%s: %s" % (res["mode"], {k: v for k, v in res.items() if k not in ("errors", "clusters")}))
if res["errors"]:
    sys.exit("errors:\n  " + "\n  ".join(res["errors"]))
base = sys.argv[2].rsplit("/", 1)[0] + "/"
# OSM's tiles are asked for in the "tiles" run (and fail: no network here)
others = [u for u in r["requests"] if not u.startswith((base, "data:", "https://tile.openstreetmap.org/"))]
if others:
    sys.exit("requests outside the folder: %s" % others[:5])
PYEOF
}

URL=http://127.0.0.1:$PORT/index.html
run desktop "$URL" --size 1280x800
pass "desktop: outline, filters, URL, search, permalinks, overseas, keyboard, join, axe (map and list)"
run phone "$URL" --size 390x844 --mobile
pass "phone: folded filters, no horizontal scroll, popup not covered, axe"
run embed "$URL?embed" --size 800x500
pass "?embed: no header, a link to the full page"

# OSM's tiles configured (the default) but unreachable: the outline shows
# through, and the attribution passes axe-core
conf "$W/tiles" "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
expect_rc 0 "$ESSAIM" publish
$PY "$HEAVY/map_fixture.py" "$W/tiles" > /dev/null
kill "$SRVPID"
rm -f "$W/port"
$PY "$TOP/tests/e2e/put_server.py" "$W/tiles" "$W/port" u p 2> "$W/http.log" &
SRVPID=$!
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
[ -s "$W/port" ] || fail "the web server did not start"
run tiles "http://127.0.0.1:$(cat "$W/port")/index.html" --size 1280x800
grep -q 'tile.openstreetmap.org' "$W/result-tiles.json" || fail "no tile was asked for"
pass "tiles configured but unreachable: the outline is drawn, attribution accessible"

# from disk, with the Leaflet embedded in essaim (javascript_dir empty)
conf "$W/disk" "" "javascript_dir ="
expect_rc 0 "$ESSAIM" publish
cmp -s "$W/disk/vendor/leaflet.js" "$TOP/build/data/map/vendor/leaflet.js" ||
	fail "javascript_dir empty did not publish the embedded Leaflet"
$PY "$HEAVY/map_fixture.py" "$W/disk" > /dev/null
run file "file://$W/disk/index.html" --size 1280x800
pass "file://: the folder works opened from disk (embedded Leaflet)"

# from disk without donnees.js: a message that says what to do
rm "$W/disk/donnees.js"
printf '(() => document.documentElement.getAttribute("data-etat") + ": " + document.getElementById("etat").textContent)()\n' > "$W/msg.js"
$PY "$CDP" eval "file://$W/disk/index.html" "$W/msg.js" --error-ok > "$W/msg.json" 2>&1 ||
	{ cat "$W/msg.json"; fail "chromium run (no donnees.js) failed"; }
grep -q '"erreur: .*donnees.js manque' "$W/msg.json" || { cat "$W/msg.json"; fail "no explanation without donnees.js"; }
pass "file:// without donnees.js says what is missing"
