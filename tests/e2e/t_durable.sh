#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What `ingest` acknowledges is on disk: the log of the database
# (essaim.db-wal) is synced after the last write to it, before exit 0, on
# each path (a form processed; a message whose processing fails for good).
# And the raw message is stored by a commit that does not wait for the disk
# (the processing's commit does, for both): one sync of the log per message.
# Read from the system calls themselves (strace -y names each descriptor).
. "$(dirname "$0")/lib.sh"

command -v strace > /dev/null || fail "strace missing (make deps)"

# syncs TRACE: how the log was written and synced, one word a line:
# "write" or "sync", in order.
syncs() {
	sed -n 's/.*\(pwrite64\|write\|fdatasync\|fsync\)(\([0-9]*\)<\([^>]*\)>.*/\1 \3/p' "$1" |
		awk '$2 ~ /essaim\.db-wal$/ { print ($1 ~ /sync/) ? "sync" : "write" }'
}

# check LABEL TRACE: the last write to the log is followed by a sync
check() {
	syncs "$2" > "$W/$1.seq"
	grep -q write "$W/$1.seq" || fail "$1: no write to the log traced: $(head -c 2000 "$2")"
	[ "$(tail -n 1 "$W/$1.seq")" = sync ] ||
		fail "$1: the log's last write is not synced before exit: $(uniq -c "$W/$1.seq" | tr '\n' ' ')"
}

# answers queued for `send` (a local transport would deliver them at once,
# with commits of its own)
mkconf <<EOF
[mail]
transport = smtp://127.0.0.1:9
EOF
"$ESSAIM" ingest < "$TOP/examples/inbox/07-english.eml" || fail "first ingest exited $?"
# (its log, under STORE_WAL_BYTES_MAX, stays: the first commit into an
# empty log also syncs the log's new header, and a process that closes a
# log past that size copies it into the database with syncs of its own;
# neither is what is counted below)
[ -s "$W/data/essaim.db-wal" ] || fail "the first ingest's log was truncated"

# --- a form: processed, answers queued ---------------------------------------------
strace -f -y -e trace=pwrite64,write,fdatasync,fsync -o "$W/form.trace" \
	"$ESSAIM" ingest < "$TOP/examples/inbox/01-thunderbird-flowed-groupe.eml" ||
	fail "ingest exited $?"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = submitted ] ||
	fail "the form was not submitted: $(db "SELECT outcome, detail FROM messages")"
check form "$W/form.trace"
n=$(grep -c sync "$W/form.seq")
[ "$n" -eq 1 ] || fail "a form's ingest synced the log $n times, want 1 (the raw message's commit waits for the disk?)"
pass "a form: stored, processed, one sync of the log after its last write"

# --- processing fails for good (a broken gazetteer in data_dir) -----------------------
mkdir -p "$W/override/data"
printf '84065\tC\tLauris\t84\t\t8436\t43.74716\t5.31346\tc\n' > "$W/override/data/communes.tsv"
mkconf <<EOF
data_dir = $W/override
[mail]
transport = smtp://127.0.0.1:9
EOF
strace -f -y -e trace=pwrite64,write,fdatasync,fsync -o "$W/failed.trace" \
	"$ESSAIM" ingest < "$TOP/examples/inbox/05-phone-reply-quoted-form.eml" 2> "$W/failed.err" ||
	fail "ingest exited $?: $(cat "$W/failed.err")"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = failed ] ||
	fail "not recorded as failed: $(db "SELECT outcome, detail FROM messages")"
check failed "$W/failed.trace"
pass "a message that cannot be processed: recorded as failed, synced before exit 0"
