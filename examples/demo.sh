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
q() { sqlite3 -separator '  ' "$home/essaim.db" "$@"; }

echo "== essaim demo: built-in defaults, data under $home"
echo
echo "-- 1. the example inbox arrives, one message per process (as Postfix delivers)"
for f in examples/inbox/*.eml; do
	if "$essaim" ingest < "$f" 2>/dev/null; then rc=0; else rc=$?; fi
	printf '   %-42s exit %s\n' "$(basename "$f")" "$rc"
done
echo
echo "-- 2. what essaim made of each message"
q "SELECT printf('   #%-3d %-11s', m.id, m.outcome),
	  coalesce(printf('entry %d: %s (%s %s)', e.id,
	    (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'nom'),
	    (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'code_postal'),
	    (SELECT value FROM entry_fields WHERE entry_id = e.id AND key = 'commune')), m.subject)
   FROM messages m LEFT JOIN entries e ON e.id = m.entry_id ORDER BY m.id"
echo
echo "-- 3. the answers essaim wrote (Maildir $home/outbox/new/):"
for f in "$home"/outbox/new/*; do
	/usr/bin/python3 - "$f" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print("   to %-34s %s" % (m["to"], m["subject"]))
PY
done
echo
echo "-- 4. a redelivery changes nothing: messages stored before and after"
before=$(q 'SELECT count(*) FROM messages')
"$essaim" ingest < examples/inbox/01-thunderbird-flowed-groupe.eml 2>/dev/null
echo "   $before and $(q 'SELECT count(*) FROM messages'); outgoing mails: $(q 'SELECT count(*) FROM outbox')"
echo
echo "-- 5. the operator approves the pending entries (a local group is co-opted:"
echo "      it needs two moderators' approvals, so one approval leaves it pending)"
for id in $(q "SELECT id FROM entries WHERE status = 'pending' ORDER BY id"); do
	"$essaim" approve "$id" | sed 's/^/   /'
done
echo
echo "-- 6. publication (what cron runs)"
"$essaim" -v publish | sed 's/^/   /'
"$essaim" publish >/dev/null
echo "   a second run: $(stat -c %y "$home/public/dynamiques.geojson" | cut -c1-19) (unchanged)"
shot=
if command -v chromium >/dev/null 2>&1; then
	shot="$top/build/demo/map.png"
	if sh examples/screenshot.sh "$home/public" "$shot" 1280x800 >/dev/null 2>&1; then
		:
	else
		shot=
	fi
fi
echo
echo "-- 7. the operator's view"
"$essaim" list | sed 's/^/   /'
echo
"$essaim" status >/dev/null 2>&1 && echo "   essaim status: all well" ||
	echo "   essaim status: something needs attention (run: XDG_DATA_HOME=$XDG_DATA_HOME build/essaim status)"
echo
echo "Where to look:"
echo "   database:          $home/essaim.db   (build/essaim list / show ID, with XDG_DATA_HOME=$XDG_DATA_HOME)"
echo "   answers (Maildir): $home/outbox/new/"
echo "   published map:     $home/public/index.html (dynamiques.geojson, dynamiques.csv)"
[ -n "$shot" ] && echo "   map screenshot:    $shot"
echo "   configuration:     none (built-in defaults); see config/essaim.conf.example and essaim.conf(5)"
