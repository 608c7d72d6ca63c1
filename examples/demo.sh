#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make demo: run essaim on its built-in defaults (no configuration file) over
# the example inbox, then say what happened and where to look. Everything is
# written under build/demo/ (as $XDG_DATA_HOME), never in your own data folder.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
essaim="$top/build/essaim"
export XDG_DATA_HOME="$top/build/demo"
unset ESSAIM_CONFIG || true
home="$XDG_DATA_HOME/essaim"
rm -rf "$XDG_DATA_HOME"

echo "== essaim demo: built-in defaults, data under $home"
echo
echo "-- ingesting examples/inbox/ (as Postfix would, one message per process)"
for f in examples/inbox/*.eml; do
	if "$essaim" ingest < "$f"; then rc=0; else rc=$?; fi
	printf '   %-45s exit %s\n' "$(basename "$f")" "$rc"
done
echo
echo "-- what essaim recorded for each message (outcome)"
sqlite3 -separator '  ' "$home/essaim.db" \
	"SELECT printf('   #%-3d', id), printf('%-14s', outcome), coalesce(subject, '') FROM messages ORDER BY id"
echo
echo "-- redelivering the first message changes nothing:"
first=$(ls examples/inbox/*.eml | head -n 1)
"$essaim" ingest < "$first"
echo "   messages stored: $(sqlite3 "$home/essaim.db" 'SELECT count(*) FROM messages')"
echo
echo "Where to look:"
echo "   database:        $home/essaim.db   (sqlite3 $home/essaim.db .tables)"
[ -d "$home/outbox" ] && echo "   answers (Maildir): $home/outbox/new/"
[ -d "$home/public" ] && echo "   published map:   $home/public/index.html"
echo "   configuration:   none (built-in defaults); see config/essaim.conf.example"
