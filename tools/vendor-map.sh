#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copy Leaflet and Leaflet.markercluster from Debian's libjs-leaflet and
# libjs-leaflet.markercluster into DEST (build/data/map/vendor), to be
# embedded in the binary: the fallback that `essaim publish` uses when
# [publish] javascript_dir (/usr/share/javascript) lacks them
# (src/publish/publish_leaflet.c cleans the system's files the same way). The
# published map calls no CDN either way.
set -eu
dest=$1
src=${LEAFLET_DIR:-/usr/share/javascript/leaflet}
for f in leaflet.min.js leaflet.css leaflet.markercluster.min.js MarkerCluster.css \
	MarkerCluster.Default.css images/layers.png images/layers-2x.png \
	images/marker-icon.png images/marker-icon-2x.png images/marker-shadow.png; do
	if [ ! -f "$src/$f" ]; then
		echo "essaim: $src/$f is missing: install libjs-leaflet and" \
			"libjs-leaflet.markercluster (make deps)" >&2
		exit 1
	fi
done
rm -rf "$dest"
mkdir -p "$dest/images"
# the source maps are not shipped: drop the comment that asks for them
sed '/^\/\/# sourceMappingURL=/d' "$src/leaflet.min.js" > "$dest/leaflet.js"
sed '/^\/\/# sourceMappingURL=/d' "$src/leaflet.markercluster.min.js" > "$dest/leaflet.markercluster.js"
for f in leaflet.css MarkerCluster.css MarkerCluster.Default.css; do
	sed '/^\/\*# sourceMappingURL=.*\*\/$/d' "$src/$f" > "$dest/$f"
done
cp "$src"/images/layers.png "$src"/images/layers-2x.png "$src"/images/marker-icon.png \
	"$src"/images/marker-icon-2x.png "$src"/images/marker-shadow.png "$dest/images/"
# their licences travel with them
for p in libjs-leaflet libjs-leaflet.markercluster; do
	c=/usr/share/doc/$p/copyright
	[ -f "$c" ] && cp "$c" "$dest/COPYRIGHT-$p.txt"
done
exit 0
