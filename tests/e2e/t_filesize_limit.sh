#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Under a file-size limit (Postfix's local(8) sets one on pipes), a write
# past it is a temporary failure: ingest exits 75 every time, never dies of
# SIGXFSZ, stores nothing half; once the limit is lifted, the MTA's retry
# stores each message once.
. "$(dirname "$0")/lib.sh"

export ESSAIM_NOW=1772442000
mkconf <<EOF2
[mail]
transport = maildir:$W/out
EOF2
msg() {
	printf 'From: p%s@example.org\nTo: dynamiques@ssa.example\nSubject: Question %s\n' "$1" "$1"
	printf 'Message-ID: <limit-%s@example.org>\n\n' "$1"
	k=0
	while [ $k -lt 200 ]; do echo "Bonjour, une question assez longue pour grossir la base $1."; k=$((k + 1)); done
}
i=1
while [ $i -le 25 ]; do
	msg $i > "$W/m$i.eml"
	set +e
	# 64 blocks of 512 bytes (dash): less than one stored message
	(ulimit -f 64; exec "$ESSAIM" ingest < "$W/m$i.eml") 2> "$W/err$i"
	rc=$?
	set -e
	[ $rc -eq 75 ] || { cat "$W/err$i" >&2; fail "ingest $i under ulimit -f exited $rc, want 75"; }
	i=$((i + 1))
done
pass "25 ingests under a file-size limit: each exits 75, none killed by SIGXFSZ"
i=1
while [ $i -le 25 ]; do
	expect_rc 0 "$ESSAIM" ingest < "$W/m$i.eml"
	i=$((i + 1))
done
[ "$(db "SELECT count(*) FROM messages")" -eq 25 ] || fail "$(db "SELECT count(*) FROM messages") rows, want 25"
[ "$(db "SELECT count(*) FROM messages WHERE outcome IN ('received', 'failed')")" -eq 0 ] ||
	fail "a message is left unprocessed or failed"
pass "the retries store each message once"
