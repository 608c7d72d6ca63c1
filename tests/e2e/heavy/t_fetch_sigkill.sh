#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# SIGKILL at random moments during `essaim fetch` of a few thousand Maildir
# messages (some delivered twice), then runs again until one completes:
# every message is stored exactly once, has an outcome, and ends in cur/
# with the S flag.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

N=${SIGKILL_MESSAGES:-3000}
M=$W/Maildir
mkmaildir "$M"
# caps above N: exactly_once checks that every question got its answer once
mkconf <<C
[intake]
maildir = $M
[mail]
max_answers_per_sender_per_day = 100000
max_answers_per_hour = 100000
C

i=0 files=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	kind=person
	[ $((i % 7)) = 0 ] && kind=auto
	[ $((i % 11)) = 0 ] && kind=list
	[ $((i % 13)) = 0 ] && kind=nomid
	mkmsg $i $kind > "$M/new/1700000000.M$i.test"
	files=$((files + 1))
	if [ $((i % 100)) = 0 ]; then
		# the same message delivered a second time (an MTA retry)
		cp "$M/new/1700000000.M$i.test" "$M/new/1700000001.M$i.again"
		files=$((files + 1))
	fi
done

kills=0 runs=0
seed=${SIGKILL_SEED:-$(date +%s)}
echo "seed $seed, $N messages in $files files"
start=$(date +%s)
while :; do
	runs=$((runs + 1))
	[ $runs -le 200 ] || fail "no fetch completed in 200 runs"
	$ESSAIM fetch 2>> "$W/fetch.log" &
	pid=$!
	# a delay of 0.01 to 0.2 s, from the seed (a pass of 3000 messages
	# takes about a second since fetch commits in batches)
	delay=$($PY -c "import random; random.seed($seed + $runs); print(round(random.uniform(0.01, 0.2), 3))")
	sleep "$delay"
	if kill -KILL $pid 2>/dev/null; then
		wait $pid 2>/dev/null || true
		kills=$((kills + 1))
		# stop killing once most of the work is done, to end the test
		[ $kills -lt 40 ] || { $ESSAIM fetch 2>> "$W/fetch.log" || fail "final fetch failed"; break; }
	else
		wait $pid || fail "fetch failed (exit $?)"
		break
	fi
done
elapsed=$(($(date +%s) - start))
echo "$kills kills in $runs runs, ${elapsed}s"
[ $kills -ge 3 ] || fail "only $kills kills: the test proves little"
exactly_once $N
[ "$(count_files "$M/new")" = 0 ] || fail "$(count_files "$M/new") messages left in new/"
[ "$(ls "$M/cur" | grep -c ':2,S$')" = $files ] || fail "cur/ does not hold the $files files with S"
pass "$N messages ($files files), $kills SIGKILLs: each stored exactly once"
