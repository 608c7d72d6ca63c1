#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kill -9 of `essaim ingest` with the Maildir transport (ingest delivers its
# answers itself), SIGKILL_RUNS times (100): each message is given to
# ingest, killed at a random moment of its run (up to the time one ingest
# took), then given again until ingest exits 0 (an MTA's retry). Every
# answer reaches the Maildir (lost: 0); a Message-ID is there twice only
# where its row was recorded in doubt: a redelivery rewrites the file the
# interrupted one left. Prints the figures.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

RUNS=${SIGKILL_RUNS:-100}
seed=${SIGKILL_SEED:-$(date +%s)}
mkconf <<EOF2
[mail]
transport = maildir:$W/out
max_answers_per_sender_per_day = 100000
max_answers_per_hour = 100000
EOF2
# one ingest timed first (after another that makes the database): the
# kills land anywhere from its start to its end
mkmsg 1000000 | "$ESSAIM" ingest 2>> "$W/ingest.log" || fail "the first ingest failed"
mkmsg 1000001 > "$W/m.eml"
t0=$(date +%s%N)
"$ESSAIM" ingest < "$W/m.eml" 2>> "$W/ingest.log" || fail "the second ingest failed"
dur=$(( ($(date +%s%N) - t0) / 1000 ))
echo "seed $seed, $RUNS runs, one ingest takes ${dur} us"
# the delays, drawn beforehand (python's start-up would add its own)
$PY -c "import random; random.seed($seed); [print(round(random.uniform(0, $dur / 1e6), 4)) for _ in range($RUNS)]" > "$W/delays"
kills=0 r=0
while [ $r -lt $RUNS ]; do
	r=$((r + 1))
	mkmsg $r > "$W/m.eml"
	"$ESSAIM" ingest < "$W/m.eml" 2>> "$W/ingest.log" &
	pid=$!
	sleep "$(sed -n "${r}p" "$W/delays")"
	if kill -KILL $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null || true
	tries=0
	until "$ESSAIM" ingest < "$W/m.eml" 2>> "$W/ingest.log"; do
		tries=$((tries + 1))
		[ $tries -lt 5 ] || fail "run $r: ingest keeps failing"
	done
done
# what a killed ingest left queued or in doubt goes now
"$ESSAIM" send 2>> "$W/send.log" || fail "the last send failed"
figures=$($PY "$TOP/tests/e2e/copies.py" "$W/data/essaim.db" "$W/out")
echo "ingest: $kills SIGKILLs that landed in $RUNS runs; $figures"
set -- $figures
[ "$2" -eq $((RUNS + 2)) ] || fail "$2 outbox rows, want $((RUNS + 2)) (one answer each)"
[ "$4" -eq 0 ] || fail "$4 mails lost"
[ "${12}" -eq 0 ] || fail "${12} mails duplicated without being in doubt"
[ $((kills * 5)) -ge "$RUNS" ] || fail "only $kills kills landed: the test proves little"
pass "kill -9 of ingest, $RUNS runs: 0 lost, $8 extra copies, all of rows in doubt (${10} in doubt)"
