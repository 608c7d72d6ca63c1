#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Refresh the screenshots of the map page shown in the README (make
# screenshots): a page published by build/essaim, with the entries of
# tests/e2e/heavy/map_fixture.py, taken by Debian's headless Chromium.
#   DEST/carte-bureau.png       a desktop, no tiles: the page's own outline
#   DEST/carte-telephone.png    a phone, one entry's popup open (#entree-4)
#   DEST/carte-hors-ligne.png   opened from disk (file://) with OSM's tiles
#                               configured but unreachable
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$top/docs}
essaim=$top/build/essaim
[ -x "$essaim" ] || { echo "$0: build essaim first (make)" >&2; exit 69; }
command -v chromium > /dev/null || { echo "$0: chromium is not installed (make deps)" >&2; exit 69; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest" "$tmp/data"
publish() {	# publish DIR TILE_URL
	cat > "$tmp/essaim.conf" <<EOF2
[essaim]
database = $tmp/data/essaim.db
address = dynamiques@ssa.example
secret_file = $tmp/data/secret
name = Dynamiques locales de la SSA
[publish]
directory = $1
tile_url = $2
EOF2
	ESSAIM_CONFIG=$tmp/essaim.conf "$essaim" publish > /dev/null
	/usr/bin/python3 "$top/tests/e2e/heavy/map_fixture.py" "$1" > /dev/null
}
ESSAIM_CONFIG=$tmp/essaim.conf
export ESSAIM_CONFIG
publish "$tmp/public" ""
publish "$tmp/offline" "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
cdp=$top/tools/chromium-cdp.py
/usr/bin/python3 "$cdp" screenshot "file://$tmp/public/index.html" "$dest/carte-bureau.png" --size 1280x800
/usr/bin/python3 "$cdp" screenshot "file://$tmp/public/index.html#entree-4" "$dest/carte-telephone.png" \
	--size 390x844 --mobile
/usr/bin/python3 "$cdp" screenshot "file://$tmp/offline/index.html" "$dest/carte-hors-ligne.png" --size 1280x800
ls "$dest"/carte-*.png
