#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A disk that fills while `essaim send` runs: the server accepted a mail,
# its row cannot be marked sent. It is never sent again: the process keeps
# the fact (and a note in the side log, whose blocks were allocated
# beforehand), stops the pass, and every later run on the full disk sends
# nothing (the 'sending' mark cannot be written); once there is room, the
# row is marked sent and the rest goes, each mail once. `status` shows the
# mail accepted but not marked. Needs root (a tmpfs in a private mount
# namespace).
[ "$(id -u)" -eq 0 ] || { echo "FAIL: this test needs root (tmpfs mount)" >&2; exit 1; }
[ -n "${ESSAIM_IN_NS:-}" ] || ESSAIM_IN_NS=1 exec unshare -m sh "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

export ESSAIM_NOW=1767225600
mkdir -p "$W/data"
mount -t tmpfs -o size=4m tmpfs "$W/data"
trap 'stop_smtpd; umount "$W/data" 2>/dev/null; cleanup' EXIT
start_smtpd "$W/smtp" --fill "$W/data/fill"
mkconf <<EOF2
[mail]
transport = smtp://127.0.0.1:$SMTP_PORT
[intake]
max_message_bytes = 2k
EOF2
for n in 1 2 3; do
	too_large_mail "p$n@example.org" "Question $n" > "$W/m$n.eml"
	expect_rc 0 "$ESSAIM" ingest < "$W/m$n.eml"
done
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'queued'")" -eq 3 ] || fail "3 answers not queued"
# an empty log: the marks after the server's answer need new blocks
db "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null

expect_rc 75 "$ESSAIM" send 2> "$W/send1.log"
[ "$(received "$W/smtp")" -eq 1 ] || fail "received $(received "$W/smtp") on the first run, want 1"
for run in 1 2 3 4 5; do
	expect_rc 75 "$ESSAIM" send 2> /dev/null
done
[ "$(received "$W/smtp")" -eq 1 ] || fail "received $(received "$W/smtp") after 5 more runs on a full disk, want 1"
pass "disk full after the server's 250, then 5 more runs on the full disk: nothing sent again (75)"
grep -q "cannot be marked so; it is not sent again" "$W/send1.log" || { cat "$W/send1.log" >&2; fail "no clear message"; }
grep -q " sent " "$W/data/essaim.db.sidelog" || fail "no note in the side log"
set +e
"$ESSAIM" status > "$W/status.out" 2>&1
set -e
grep -q "sent_not_marked: 1" "$W/status.out" || { cat "$W/status.out" >&2; fail "status does not show the unmarked mail"; }
pass "the fact is kept in the side log and shown by status"

rm -f "$W/data/fill"
expect_rc 0 "$ESSAIM" send
[ "$(received "$W/smtp")" -eq 3 ] || fail "received $(received "$W/smtp") once there is room, want 3"
[ "$(grep -h -i '^Message-ID:' "$W"/smtp/*.eml | sort | uniq -d | wc -l)" -eq 0 ] ||
	fail "a Message-ID arrived twice"
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'sent' AND in_doubt = 0")" -eq 3 ] ||
	fail "not every row marked sent (or one taken for in doubt)"
set +e
"$ESSAIM" status > "$W/status.out" 2>&1
set -e
grep -q "sent_not_marked: 0" "$W/status.out" || fail "the note is not resolved"
pass "room again: the accepted mail is marked sent, the rest goes, each mail once"
