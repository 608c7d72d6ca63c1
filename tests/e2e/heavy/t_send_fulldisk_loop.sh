#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A disk that fills again and again while `essaim send` delivers: the test
# SMTP server fills the database's disk (a 4 MiB tmpfs) before answering 250
# to every third mail, FULLDISK_ROUNDS times (20) four answers are queued
# and sent; after each refused run (75) the filler is removed and send runs
# again. Deliveries per message: at most 1, none lost. Prints the figures.
# Needs root (a tmpfs in a private mount namespace).
[ "$(id -u)" -eq 0 ] || { echo "FAIL: this test needs root (tmpfs mount)" >&2; exit 1; }
[ -n "${ESSAIM_IN_NS:-}" ] || ESSAIM_IN_NS=1 exec unshare -m sh "$0" "$@"
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/e2e/lib_smtp.sh"
. "$TOP/tests/e2e/intake-lib.sh"

ROUNDS=${FULLDISK_ROUNDS:-20}
mkdir -p "$W/data"
mount -t tmpfs -o size=4m tmpfs "$W/data"
trap 'stop_smtpd; umount "$W/data" 2>/dev/null; cleanup' EXIT
start_smtpd "$W/smtp" --fill "$W/data/fill" --fill-every 3
mkconf <<EOF2
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
max_answers_per_sender_per_day = 100000
max_answers_per_hour = 100000
EOF2
r=0 n=0 refused=0
while [ $r -lt $ROUNDS ]; do
	r=$((r + 1))
	for k in 1 2 3 4; do
		n=$((n + 1))
		mkmsg $n | "$ESSAIM" ingest 2>> "$W/ingest.log" || fail "ingest $n failed"
	done
	# an empty log: each mark needs new blocks of the disk
	db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	tries=0
	until "$ESSAIM" send 2>> "$W/send.log"; do
		refused=$((refused + 1))
		tries=$((tries + 1))
		[ $tries -lt 10 ] || fail "round $r: send does not empty the outbox"
		# the same run once more on the full disk: nothing may go
		before=$(received "$W/smtp")
		"$ESSAIM" send 2>> "$W/send.log" && fail "round $r: send succeeded on a full disk"
		[ "$(received "$W/smtp")" -eq "$before" ] || fail "round $r: a mail was sent on a full disk"
		rm -f "$W/data/fill"
	done
done
figures=$($PY "$TOP/tests/e2e/copies.py" "$W/data/essaim.db" "$W/smtp")
echo "full disk: $refused runs refused (75) in $ROUNDS rounds; $figures"
set -- $figures
[ "$2" -eq $n ] || fail "$2 outbox rows, want $n"
[ "$4" -eq 0 ] || fail "$4 mails lost"
[ "$6" -eq 0 ] || fail "$6 mails delivered more than once on a full disk"
[ $refused -ge $((ROUNDS / 2)) ] || fail "only $refused runs met a full disk: the test proves little"
pass "full disk, $ROUNDS rounds ($n mails, $refused refused runs): each mail delivered once, none lost"
