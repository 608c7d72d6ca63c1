#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The published map page in headless Chromium with N entries (default 300
# and 3000, from tests/e2e/publish_fixture.py "many"), opened from disk:
# milliseconds until the page is ready, for one région filter (map, list
# and counts), and for one search keystroke. Measured, never asserted.
#
#   sh bench/map_page.sh [N...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
essaim=$top/build/essaim
[ -x "$essaim" ] || { echo "$0: build essaim first (make)" >&2; exit 69; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/t.js" <<'EOF2'
(async () => {
	const ready = performance.now();
	const sel = document.getElementById('filtre-region');
	const region = Array.from(sel.options).map((o) => o.value).filter(Boolean)[0];
	let t = performance.now();
	sel.value = region;
	sel.dispatchEvent(new Event('change'));
	const filter = performance.now() - t;
	const input = document.getElementById('recherche');
	t = performance.now();
	input.value = 'st etienne';
	input.dispatchEvent(new Event('input'));
	const search = performance.now() - t;
	return { entries: window.carte.entrees.length, ready_ms: Math.round(ready),
		filter_ms: Math.round(filter), search_ms: Math.round(search * 10) / 10 };
})()
EOF2
printf '%8s %10s %10s %10s\n' entries ready_ms filter_ms search_ms
for n in ${*:-300 3000}; do
	rm -rf "$tmp/data" "$tmp/public"
	mkdir -p "$tmp/data"
	printf '[essaim]\ndatabase = %s\naddress = a@ssa.example\nsecret_file = %s\n[publish]\ndirectory = %s\ntile_url =\n' \
		"$tmp/data/essaim.db" "$tmp/data/secret" "$tmp/public" > "$tmp/essaim.conf"
	ESSAIM_CONFIG=$tmp/essaim.conf "$essaim" export > /dev/null
	/usr/bin/python3 "$top/tests/e2e/publish_fixture.py" "$tmp/data/essaim.db" many "$n"
	ESSAIM_CONFIG=$tmp/essaim.conf "$essaim" publish > /dev/null
	/usr/bin/python3 "$top/tools/chromium-cdp.py" eval "file://$tmp/public/index.html" "$tmp/t.js" \
		> "$tmp/r.json"
	/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; print("%(entries)8d %(ready_ms)10d %(filter_ms)10d %(search_ms)10.1f" % r)' "$tmp/r.json"
done
