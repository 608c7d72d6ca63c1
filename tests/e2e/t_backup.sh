#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim backup: a consistent copy of the live database and the secret that
# essaim runs on once copied back; rotate-secret keeps the secret private.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
EOF2

msg() {
	printf 'From: Camille <camille@example.org>\nTo: dynamiques@ssa.example\n'
	printf 'Subject: test %s\nMessage-ID: <%s@example.org>\n\nBonjour\n' "$1" "$1"
}
for i in 1 2 3; do msg "m$i" | "$ESSAIM" ingest; done
"$ESSAIM" rotate-secret >/dev/null
[ "$(stat -c %a "$W/data/secret")" = 600 ] || fail "secret is not 0600"

# a write in progress elsewhere does not stop the backup
"$ESSAIM" backup "$W/backup.db" > "$W/out"
grep -q "database copied" "$W/out" || fail "backup said: $(cat "$W/out")"
[ "$(stat -c %a "$W/backup.db")" = 600 ] || fail "backup is not 0600"
[ "$(stat -c %a "$W/backup.db.secret")" = 600 ] || fail "secret copy is not 0600"
cmp -s "$W/data/secret" "$W/backup.db.secret" || fail "secret copy differs"
[ "$(sqlite3 "$W/backup.db" 'PRAGMA integrity_check')" = ok ] || fail "backup not intact"
[ "$(sqlite3 "$W/backup.db" 'SELECT count(*) FROM messages')" = 3 ] || fail "backup lacks messages"

# restore: copy both back in a new place and run essaim there
mkdir -p "$W/restored"
cp "$W/backup.db" "$W/restored/essaim.db"
cp -p "$W/backup.db.secret" "$W/restored/secret"
sed -e "s|$W/data/essaim.db|$W/restored/essaim.db|" -e "s|$W/data/secret|$W/restored/secret|" \
	"$W/essaim.conf" > "$W/restored.conf"
export ESSAIM_CONFIG="$W/restored.conf"
msg m3 | "$ESSAIM" ingest
msg m4 | "$ESSAIM" ingest
[ "$(sqlite3 "$W/restored/essaim.db" 'SELECT count(*) FROM messages')" = 4 ] ||
	fail "restored database did not dedupe m3 or store m4"
"$ESSAIM" list >/dev/null || fail "list on the restored database"
pass "backup and restore"
