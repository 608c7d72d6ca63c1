#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kill -9 of `essaim send` at random moments, SIGKILL_RUNS times (100):
# three answers are queued, a send is started and killed at a random moment
# of its run (up to the time one send took), then send runs until the
# outbox is empty. Every mail reaches the real SMTP server (lost: 0); a
# Message-ID arrives twice only where its row was recorded in doubt (cut
# off between the server's answer and its mark). Prints the figures.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/e2e/lib_smtp.sh"
. "$TOP/tests/e2e/intake-lib.sh"

RUNS=${SIGKILL_RUNS:-100}
seed=${SIGKILL_SEED:-$(date +%s)}
start_smtpd "$W/smtp"
mkconf <<EOF2
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
max_answers_per_sender_per_day = 100000
max_answers_per_hour = 100000
EOF2
kills=0 r=0 n=0
# one send of three mails timed first: the kills land anywhere in a run
for k in 1 2 3; do
	n=$((n + 1))
	mkmsg $n | "$ESSAIM" ingest 2>> "$W/ingest.log" || fail "ingest $n failed"
done
t0=$(date +%s%N)
"$ESSAIM" send 2>> "$W/send.log" || fail "the first send failed"
dur=$(( ($(date +%s%N) - t0) / 1000 ))
echo "seed $seed, $RUNS runs, one send of three mails takes ${dur} us"
# the delays, drawn beforehand (python's start-up would add its own)
$PY -c "import random; random.seed($seed); [print(round(random.uniform(0, $dur / 1e6), 4)) for _ in range($RUNS)]" > "$W/delays"
while [ $r -lt $RUNS ]; do
	r=$((r + 1))
	for k in 1 2 3; do
		n=$((n + 1))
		mkmsg $n | "$ESSAIM" ingest 2>> "$W/ingest.log" || fail "ingest $n failed"
	done
	"$ESSAIM" send 2>> "$W/send.log" &
	pid=$!
	sleep "$(sed -n "${r}p" "$W/delays")"
	if kill -KILL $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null || true
	tries=0
	until "$ESSAIM" send 2>> "$W/send.log"; do
		tries=$((tries + 1))
		[ $tries -lt 5 ] || fail "run $r: send does not empty the outbox"
	done
done
figures=$($PY "$TOP/tests/e2e/copies.py" "$W/data/essaim.db" "$W/smtp")
echo "send: $kills SIGKILLs that landed in $RUNS runs; $figures"
set -- $figures
[ "$2" -eq $n ] || fail "$2 outbox rows, want $n"
[ "$4" -eq 0 ] || fail "$4 mails lost"
[ "${12}" -eq 0 ] || fail "${12} mails duplicated without being in doubt"
[ $((kills * 5)) -ge "$RUNS" ] || fail "only $kills kills landed: the test proves little"
pass "kill -9 of send, $RUNS runs: 0 lost, $8 extra copies, all of rows in doubt (${10} in doubt)"
