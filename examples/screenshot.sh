#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Take a PNG screenshot of a published map with Debian's headless Chromium.
#
#   examples/screenshot.sh PUBLISHED_FOLDER [OUT.png] [WIDTHxHEIGHT] [--mobile]
#
# The folder (what `essaim publish` wrote) is served on 127.0.0.1 for the
# time of the shot, as a static host would serve it (the page also works
# opened from disk: tools/screenshots.sh takes the README's shots that way).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 PUBLISHED_FOLDER [OUT.png] [WIDTHxHEIGHT] [--mobile]" >&2; exit 64; }
dir=$1
out=${2:-map.png}
size=${3:-1280x800}
mobile=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$dir/index.html" ] || { echo "$0: $dir/index.html not found: run essaim publish first" >&2; exit 66; }
command -v chromium > /dev/null || { echo "$0: chromium is not installed (make deps)" >&2; exit 69; }
tmp=$(mktemp -d)
srv=
trap 'if [ -n "$srv" ]; then kill "$srv" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$dir" "$tmp/port" 2> "$tmp/http.log" <<'PY' &
import functools, http.server, os, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
srv.serve_forever()
PY
srv=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { echo "$0: the local web server did not start" >&2; exit 70; }
/usr/bin/python3 "$top/tools/chromium-cdp.py" screenshot "http://127.0.0.1:$(cat "$tmp/port")/" \
	"$out" --size "$size" $mobile
echo "$out"
