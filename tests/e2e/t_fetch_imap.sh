#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim fetch over IMAP against a real Dovecot on loopback: essaim's mail
# moves to the processed folder, mail for the volunteers stays unread in the
# inbox and is not read again, a UIDVALIDITY change brings no duplicate, the
# COPY/EXPUNGE fallback when MOVE is not advertised, exit codes.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

start_dovecot
mkconf <<C
$(imap_conf)
C

imap 'append(1); append(2, "auto"); append(3, "list"); append(4)'
$ESSAIM fetch || fail "fetch failed"
exactly_once 4
imap 'assert count() == 2, count(); assert count("Traites") == 2; assert unseen() == 2, unseen()'
[ "$(db "SELECT count(*) FROM messages WHERE source = 'imap'")" = 4 ] || fail "source is not imap"
pass "auto-reply and list mail moved, questions left unread in the inbox"

# Nothing new: the two questions are not fetched again.
ESSAIM_CURL_VERBOSE=1 $ESSAIM fetch 2> "$W/trace" || fail "second fetch failed"
grep -q 'BODY\[\]' "$W/trace" && fail "messages left in the inbox were fetched again"
exactly_once 4
pass "mail left for the volunteers is remembered, not read again"

# A volunteer reads a question: its \Seen stays.
imap 'M.store("1", "+FLAGS", "\\Seen")'
imap 'append(5, "auto"); append(6)'
$ESSAIM fetch || fail "third fetch failed"
exactly_once 6
imap 'assert count() == 3, count(); assert count("Traites") == 3; assert unseen() == 2, unseen()'
pass "new mail taken; a read question stays read"

# UIDVALIDITY changes (the server lost its UID list): every message has a new
# UID, and all of the inbox is read again without a duplicate.
old=$(db "SELECT value FROM state WHERE key LIKE '%uidvalidity'")
stop_dovecot
rm -f "$W/imap/essaim/dovecot-uidlist" "$W/imap/essaim/dovecot.index"*
sleep 1		# UIDVALIDITY is a time in seconds
start_dovecot_again() {
	dovecot -c "$W/dovecot/dovecot.conf" || fail "dovecot did not restart"
	DOVECOT_STARTED=1
	sleep 0.5
}
start_dovecot_again
imap 'append(7, "auto"); append(8)'
$ESSAIM fetch || fail "fetch after the UIDVALIDITY change failed"
new=$(db "SELECT value FROM state WHERE key LIKE '%uidvalidity'")
[ "$old" != "$new" ] || fail "UIDVALIDITY did not change ($old): the test proves nothing"
exactly_once 8
imap 'assert count() == 4, count(); assert count("Traites") == 4; assert unseen() == 3, unseen()'
pass "UIDVALIDITY $old -> $new: no duplicate"

# A server without MOVE: COPY, \Deleted, EXPUNGE.
stop_dovecot
sed -i '/^imap_capability/d' "$W/dovecot/dovecot.conf"
echo 'imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE UIDPLUS' >> "$W/dovecot/dovecot.conf"
start_dovecot_again
imap 'append(9, "list"); append(10, "auto")'
ESSAIM_CURL_VERBOSE=1 $ESSAIM fetch 2> "$W/trace" || { cat "$W/trace"; fail "fetch without MOVE failed"; }
grep -q 'UID COPY' "$W/trace" || fail "COPY was not used"
grep -q 'UID MOVE' "$W/trace" && fail "MOVE used although not advertised"
exactly_once 10
imap 'assert count() == 4, count(); assert count("Traites") == 6, count("Traites")'
pass "COPY + STORE \\Deleted + UID EXPUNGE without MOVE"

# Wrong password: 78 (configuration); server down: 75 (try again later).
printf 'wrong\n' > "$W/imap-password"
expect_rc 78 $ESSAIM fetch
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_result'")" = "configuration error" ] ||
	fail "fetch result not recorded"
printf 's3cret-imap\n' > "$W/imap-password"
chmod 644 "$W/imap-password"
expect_rc 78 $ESSAIM fetch
chmod 600 "$W/imap-password"
stop_dovecot
expect_rc 75 $ESSAIM fetch
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_result'")" = "temporary failure" ] ||
	fail "fetch result not recorded"
pass "bad password or password file: 78; server down: 75"
