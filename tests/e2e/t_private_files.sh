#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Whatever the caller's umask (an MTA's pipe, cron, a shell: 022 here),
# what essaim creates for itself is its user's only: the database and its
# -wal and -shm files, the locks, the side log, the outgoing Maildir. The
# published map stays readable by the web server (0644 files, 0755 folders).
. "$(dirname "$0")/lib.sh"

export ESSAIM_NOW=1772442000
mkconf <<EOF2
[mail]
transport = maildir:$W/out
[publish]
directory = $W/public/carte
EOF2
umask 022
expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
id=$(db "SELECT id FROM entries LIMIT 1")
expect_rc 0 "$ESSAIM" approve "$id" > /dev/null
expect_rc 0 "$ESSAIM" send
expect_rc 0 "$ESSAIM" publish > /dev/null
n=0
for f in "$W"/data/essaim.db "$W"/data/essaim.db-wal "$W"/data/essaim.db-shm \
	"$W"/data/essaim.db.* "$W"/data/secret "$W"/out/new/*; do
	[ -e "$f" ] || fail "$f missing"
	m=$(stat -c %a "$f")
	case $m in
	600 | 700) n=$((n + 1)) ;;
	*) fail "$f has mode $m under umask 022 (readable by others)" ;;
	esac
done
[ $n -ge 7 ] || fail "only $n files checked"
pass "$n files essaim made for itself are 0600 under umask 022"
for f in "$W"/public/carte/*; do
	[ -f "$f" ] || continue
	[ "$(stat -c %a "$f")" = 644 ] || fail "published $f has mode $(stat -c %a "$f")"
done
[ "$(stat -c %a "$W/public/carte")" = 755 ] || fail "the published folder is $(stat -c %a "$W/public/carte")"
[ "$(stat -c %a "$W/public")" = 755 ] || fail "the published folder's parent is $(stat -c %a "$W/public")"
pass "the published map stays readable (0644 files, 0755 folders)"
