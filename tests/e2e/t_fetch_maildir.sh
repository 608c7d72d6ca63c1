#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim fetch over a Maildir: new/ and unread cur/ messages are stored once
# and moved to cur/ with the S flag; a redelivery adds nothing; exit codes.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

M=$W/Maildir
mkmaildir "$M"
mkconf <<C
[intake]
maildir = $M
C

deliver "$M" 1
deliver "$M" 2 auto
deliver "$M" 3 list
deliver "$M" 4 nomid
# a message a mail client already moved to cur/ without reading it
mkmsg 5 > "$M/cur/1700000000.M5.test:2,F"
# one a person has read (S): not essaim's to take
mkmsg 6 > "$M/cur/1700000000.M6.test:2,S"

$ESSAIM fetch || fail "fetch failed"
exactly_once 5
[ "$(count_files "$M/new")" = 0 ] || fail "new/ is not empty"
[ -f "$M/cur/1700000000.M5.test:2,FS" ] || fail "flags of a cur/ message not kept: $(ls "$M/cur")"
[ "$(ls "$M/cur" | grep -c ':2,.*S')" = 6 ] || fail "not every message carries S: $(ls "$M/cur")"
[ "$(db "SELECT outcome FROM messages WHERE message_id = 'msg-auto-2@example.org'")" = auto_reply ] ||
	fail "auto-reply not classified"
[ "$(db "SELECT source FROM messages GROUP BY source")" = maildir ] || fail "source is not maildir"
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_result'")" = ok ] || fail "no fetch result in state"
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_detail'")" = "5 messages" ] ||
	fail "fetch detail: $(db "SELECT value FROM state WHERE key = 'fetch.last_detail'")"
pass "new and unread cur messages taken once, moved with S"

# The same messages delivered again (an MTA retry): recognised, moved, no row.
deliver "$M" 1
deliver "$M" 4 nomid
$ESSAIM fetch || fail "second fetch failed"
exactly_once 5
[ "$(count_files "$M/new")" = 0 ] || fail "redelivered messages left in new/"
pass "redeliveries recognised"

# A pass with nothing to do.
$ESSAIM fetch || fail "empty fetch failed"
pass "empty pass"

# Another fetch holding the lock: 75 at once, nothing taken.
deliver "$M" 7
flock "$W/data/essaim.db.fetch-lock" sleep 3 &
sleep 0.5
expect_rc 75 $ESSAIM fetch
[ "$(count_files "$M/new")" = 1 ] || fail "message taken despite the lock"
wait
$ESSAIM fetch || fail "fetch after the lock failed"
exactly_once 6
pass "one fetch at a time (75 while another runs)"

# Database unavailable (its folder cannot be created): 75, the message stays.
deliver "$M" 8
printf 'not a folder\n' > "$W/blocker"
sed "s|^database = .*|database = $W/blocker/essaim.db|" "$W/essaim.conf" > "$W/bad.conf"
expect_rc 75 $ESSAIM -c "$W/bad.conf" fetch
[ "$(count_files "$M/new")" = 1 ] || fail "message left new/ without being stored"
pass "database unavailable: 75, nothing lost"

# No mailbox configured: 78.
mkconf < /dev/null
expect_rc 78 $ESSAIM fetch
pass "no mailbox configured: 78"
