#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The published map in Debian's headless Chromium, served on 127.0.0.1:
# markers and clusters for a known dataset, legend toggles, every popup, the
# list view and its search, a phone-sized screen, configured tiles, and
# script-bearing values in every public field that must not run (with the
# page's Content-Security-Policy, and without it, to prove the page's own
# code inserts them as text).
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
E2E=$TOP/tests/e2e
OUT=$W/public
CDP=$TOP/tools/chromium-cdp.py
command -v chromium > /dev/null || fail "chromium is not installed (make deps)"
TITRE='SSA <b>test</b> <img src=x onerror="window.__essaim_pwned='"'"'titre'"'"'">'
SRVPID=
trap 'if [ -n "$SRVPID" ]; then kill "$SRVPID" 2>/dev/null || true; fi; cleanup' EXIT

conf() {
	mkconf <<EOF2
name = $TITRE
$1
[publish]
directory = $OUT
tile_url = $2
EOF2
}
conf "" ""
expect_rc 0 "$ESSAIM" export > /dev/null
$PY "$E2E/publish_fixture.py" "$W/data/essaim.db" known
expect_rc 0 "$ESSAIM" publish

# the folder as a static host serves it
$PY "$E2E/put_server.py" "$OUT" "$W/port" u p 2> "$W/http.log" &
SRVPID=$!
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
[ -s "$W/port" ] || fail "the web server did not start"
PORT=$(cat "$W/port")
URL=http://127.0.0.1:$PORT/

# run MODE [cdp options]: evaluate carte-test.js, check its verdict
run() {
	mode=$1; shift
	{
		printf 'const MODE = "%s";\nconst TITRE = %s;\n' "$mode" \
			"$($PY -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$TITRE")"
		cat "$TOP/tests/e2e/heavy/carte-test.js"
	} > "$W/test.js"
	$PY "$CDP" eval "$URL" "$W/test.js" "$@" > "$W/result-$mode.json" ||
		fail "chromium run ($mode) failed"
	$PY - "$W/result-$mode.json" "$PORT" <<'PYEOF' || { cat "$W/result-$mode.json"; fail "map page ($mode)"; }
import json, sys
r = json.load(open(sys.argv[1]))
res = r["result"]
print("%(mode)s: %(markers)s markers, %(clusters)s clusters, %(popups)s popups, %(items)s list items" % res)
if res["errors"]:
    sys.exit("errors: %s" % res["errors"])
# no CDN: every request stays on the test server
local = "http://127.0.0.1:%s/" % sys.argv[2]
others = [u for u in r["requests"] if not u.startswith((local, "data:"))]
if others:
    sys.exit("requests outside the folder: %s" % others[:5])
PYEOF
}

run desktop --size 1280x800
pass "desktop: markers, clusters, toggles, popups, list, hostile values inert"

# without the Content-Security-Policy (an override of index.html in data_dir):
# the page's own code must keep hostile values inert
mkdir -p "$W/over/data/map"
grep -v 'Content-Security-Policy' "$OUT/index.html" > "$W/over/data/map/index.html"
! grep -q 'Content-Security-Policy' "$W/over/data/map/index.html" || fail "CSP not removed"
conf "data_dir = $W/over" ""
expect_rc 0 "$ESSAIM" publish
! grep -q 'Content-Security-Policy' "$OUT/index.html" || fail "data_dir override not published"
run nocsp --size 1280x800
pass "without CSP: hostile values still inserted as text"

conf "" ""
expect_rc 0 "$ESSAIM" publish
run mobile --size 390x844 --mobile
pass "phone-sized screen"

# tiles from the configured server (404s here: only the requests matter)
conf "" "http://127.0.0.1:$PORT/tuiles/{z}/{x}/{y}.png"
expect_rc 0 "$ESSAIM" publish
run tiles --size 1024x700
$PY - "$W/result-tiles.json" "$PORT" <<'PYEOF' || fail "tiles"
import json, sys
r = json.load(open(sys.argv[1]))
assert any("/tuiles/" in u for u in r["requests"]), "no tile requested"
assert r["result"]["outline"] >= 100 and r["result"]["outline_under_tiles"], "outline not under the tiles"
assert "Fond de carte : 127.0.0.1:%s" % sys.argv[2] in r["result"]["attribution"], r["result"]["attribution"]
PYEOF
pass "tiles from tile_url, with attribution; the outline under them (drawn where tiles fail)"
