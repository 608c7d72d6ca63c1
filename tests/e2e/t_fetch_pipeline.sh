#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim fetch commits a Maildir's batches without waiting for the disk and
# acknowledges each one (moves its files to cur/) only once a sync of the
# log that began after its commit has ended (src/store/syncer.h): when
# every sync fails, nothing leaves new/; the next pass recognises what was
# committed, takes the rest, and stores each message once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

M=$W/Maildir
mkmaildir "$M"
# every question answered (the hourly cap of 100 would stop the answers)
mkconf <<C
[mail]
max_answers_per_hour = 10000
[intake]
maildir = $M
C

# three batches (FETCH_BATCH_MAX is 100)
n=0
while [ $n -lt 250 ]; do
	n=$((n + 1))
	deliver "$M" $n
done

# Every sync of the log fails, as on a disk that refuses its writes.
rc=0
ESSAIM_FAILPOINT=syncer-fail $ESSAIM fetch 2> "$W/err" || rc=$?
[ $rc = 75 ] || fail "a failed sync: exit $rc, want 75 ($(cat "$W/err"))"
grep -q "cannot sync .*essaim.db-wal" "$W/err" || fail "the failed sync not said: $(cat "$W/err")"
[ "$(count_files "$M/new")" = 250 ] || fail "$(count_files "$M/cur") files acknowledged without a sync"
[ "$(count_files "$M/cur")" = 0 ] || fail "files moved to cur/ without a sync"
stored=$(db "SELECT count(*) FROM messages")
[ "$stored" -gt 0 ] || fail "no batch was committed before the sync failed"
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_result'")" = "temporary failure" ] ||
	fail "fetch result: $(db "SELECT value FROM state WHERE key = 'fetch.last_result'")"
pass "syncs failing: $stored messages committed, none acknowledged, exit 75"

# The disk is back: what was committed is recognised, the rest taken.
$ESSAIM fetch 2> /dev/null || fail "fetch after the failed syncs failed"
exactly_once 250
[ "$(count_files "$M/new")" = 0 ] || fail "new/ is not empty"
[ "$(ls "$M/cur" | grep -c ':2,S$')" = 250 ] || fail "not every message moved with S"
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_detail'")" = "250 messages" ] ||
	fail "fetch detail: $(db "SELECT value FROM state WHERE key = 'fetch.last_detail'")"
pass "the next pass stores each message once and acknowledges all 250"

# Batches acknowledged a batch late still all leave new/ in one pass.
while [ $n -lt 480 ]; do
	n=$((n + 1))
	deliver "$M" $n
done
$ESSAIM fetch || fail "pipelined fetch failed"
exactly_once 480
[ "$(count_files "$M/new")" = 0 ] || fail "$(count_files "$M/new") files left in new/"
[ "$(db "SELECT value FROM state WHERE key = 'fetch.last_detail'")" = "230 messages" ] ||
	fail "fetch detail: $(db "SELECT value FROM state WHERE key = 'fetch.last_detail'")"
pass "230 messages in three batches, each acknowledged after its sync"
