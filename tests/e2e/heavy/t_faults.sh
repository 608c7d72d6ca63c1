#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Faults under load, over the whole per-message path (whatever it does today):
# 1. concurrent ingests: 8 processes x 500 messages at once into one
#    database; each exits 0, or 75 and then 0 on a retry as an MTA would; every
#    message is stored exactly once.
# 2. a disk that fills up message after message (a small tmpfs in a private
#    mount namespace): every ingest exits 0 or 75; after each 75 the database
#    passes integrity_check, has no half-written message (no row without an
#    outcome, no orphan row in the tables that point to messages); once space
#    is back every refused message is delivered again and stored once.
# 3. a write lock held longer than busy_timeout while 20 messages arrive: all
#    75; released: all 0, each stored once. (t_ingest.sh checks the timing.)
# 4. fetch (batch transactions) from a Maildir onto a disk that fills up:
#    exit 75; whatever left new/ is stored with its outcome (a batch the disk
#    refused is not moved); once space is back the next fetch takes the rest,
#    each message stored once.
# Needs root for the tmpfs mount (unshare -m). N_PROC and N_EACH scale part 1.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || fail "this test needs root (tmpfs mount in a private namespace)"
command -v unshare > /dev/null || fail "unshare missing (util-linux)"
command -v sqlite3 > /dev/null || fail "sqlite3 missing (make deps)"
[ -x "$ESSAIM" ] || fail "$ESSAIM missing (make)"
PY=/usr/bin/python3
N_PROC=${N_PROC:-8}
N_EACH=${N_EACH:-500}

setup() {
	d=$1
	shift
	mkdir -p "$d"
	{
		echo "[essaim]"
		echo "database = $d/db/essaim.db"
		echo "address = dynamiques@ssa.example"
		echo "secret_file = $d/secret"
		for l in "$@"; do echo "$l"; done
		echo "[mail]"
		echo "transport = maildir:$d/outbox"
	} > "$d/essaim.conf"
}
q() { sqlite3 -batch -noheader "$1/db/essaim.db" "$2"; }

# consistent DIR WHAT: integrity_check ok, every message has an outcome, no
# row points to a message or entry that does not exist.
consistent() {
	[ "$(q "$1" "PRAGMA integrity_check")" = ok ] || fail "$2: integrity_check: $(q "$1" "PRAGMA integrity_check")"
	[ "$(q "$1" "PRAGMA foreign_key_check")" = "" ] || fail "$2: foreign_key_check: $(q "$1" "PRAGMA foreign_key_check")"
	n=$(q "$1" "SELECT count(*) FROM messages WHERE outcome IN ('received', 'too_large_pending')")
	[ "$n" = 0 ] || fail "$2: $n messages stored but left unprocessed after exit"
	n=$(q "$1" "SELECT (SELECT count(*) FROM events WHERE message_id IS NOT NULL AND message_id NOT IN (SELECT id FROM messages))
		+ (SELECT count(*) FROM outbox WHERE cause_message IS NOT NULL AND cause_message NOT IN (SELECT id FROM messages))
		+ (SELECT count(*) FROM entry_fields WHERE entry_id NOT IN (SELECT id FROM entries))
		+ (SELECT count(*) FROM messages WHERE entry_id IS NOT NULL AND entry_id NOT IN (SELECT id FROM entries))")
	[ "$n" = 0 ] || fail "$2: $n orphan rows"
}

# ---------------------------------------------------------------- concurrency
d=$W/conc
setup "$d" "busy_timeout = 2"
$PY "$TOP/bench/gen.py" files $((N_PROC * N_EACH)) "$d/msgs" > /dev/null
# a few exact redeliveries inside the mix: still one row each
cp "$d/msgs/000001.eml" "$d/msgs/dup-a.eml"
cp "$d/msgs/000002.eml" "$d/msgs/dup-b.eml"
distinct=$((N_PROC * N_EACH))
ls "$d/msgs" | split -n r/"$N_PROC" - "$d/part."
start=$(date +%s)
for p in "$d"/part.*; do
	(
		retries=0
		while read -r f; do
			tries=0
			while :; do
				set +e
				"$ESSAIM" -c "$d/essaim.conf" ingest < "$d/msgs/$f" 2>> "$p.err"
				rc=$?
				set -e
				case $rc in
				0) break ;;
				75) tries=$((tries + 1)); retries=$((retries + 1))
					[ $tries -lt 20 ] || { echo "$f: 75 twenty times" >> "$p.bad"; break; } ;;
				*) echo "$f: exit $rc" >> "$p.bad"; break ;;
				esac
			done
		done < "$p"
		echo $retries > "$p.retries"
	) &
done
wait
secs=$(($(date +%s) - start))
cat "$d"/part.*.bad 2> /dev/null && fail "concurrent ingests: exits other than 0 or 75-then-0"
retries=$(cat "$d"/part.*.retries | awk '{ s += $1 } END { print s }')
n=$(q "$d" "SELECT count(*) FROM messages")
[ "$n" = "$distinct" ] || fail "concurrent ingests: $n rows for $distinct distinct messages"
n=$(q "$d" "SELECT count(DISTINCT message_id) FROM messages")
[ "$n" = "$distinct" ] || fail "concurrent ingests: $n distinct Message-IDs for $distinct messages"
consistent "$d" "concurrent ingests"
pass "$N_PROC processes x $N_EACH messages in ${secs}s: $distinct rows, $retries retries after 75, no other exit"

# ----------------------------------------------------------------- disk full
d=$W/full
setup "$d"
mkdir -p "$d/db"
$PY "$TOP/bench/gen.py" files 400 "$d/msgs" > /dev/null
# shellcheck disable=SC2016
unshare -m sh -c '
	set -u
	d=$1 bin=$2
	mount -t tmpfs -o size=3m tmpfs "$d/db" || exit 2
	: > "$d/refused"
	: > "$d/codes"
	for f in "$d"/msgs/*.eml; do
		"$bin" -c "$d/essaim.conf" ingest < "$f" 2>> "$d/stderr"
		rc=$?
		echo "$rc" >> "$d/codes"
		[ $rc -eq 75 ] && echo "$f" >> "$d/refused"
		if [ $rc -eq 75 ] && [ ! -e "$d/first" ]; then
			# the first refusal: the database must be whole right now
			touch "$d/first"
			sqlite3 "$d/db/essaim.db" "PRAGMA integrity_check" > "$d/check-full"
		fi
	done
	sqlite3 "$d/db/essaim.db" "PRAGMA integrity_check" > "$d/check-end"
	# space is back: a bigger tmpfs, the same files
	mkdir -p "$d/save"
	cp -a "$d"/db/. "$d/save/"
	umount "$d/db"
	mount -t tmpfs -o size=64m tmpfs "$d/db"
	cp -a "$d"/save/. "$d/db/"
	: > "$d/codes2"
	while read -r f; do
		"$bin" -c "$d/essaim.conf" ingest < "$f" 2>> "$d/stderr2"
		echo $? >> "$d/codes2"
	done < "$d/refused"
	# a stale -wal left in save/ would be replayed: copy into an empty folder
	rm -rf "$d/save"
	mkdir "$d/save"
	cp -a "$d"/db/. "$d/save/"
' sh "$d" "$ESSAIM"
rc=$?
[ $rc -eq 0 ] || fail "disk full: the tmpfs could not be mounted (exit $rc)"
rm -rf "$d/db"
mv "$d/save" "$d/db"
bad=$(grep -cvxE '0|75' "$d/codes" || true)
[ "$bad" = 0 ] || fail "disk full: $bad ingests exited other than 0 or 75"
refused=$(wc -l < "$d/refused")
[ "$refused" -gt 0 ] || fail "disk full: the 3 MiB disk never filled (no 75)"
[ -e "$d/first" ] && [ "$(cat "$d/check-full")" = ok ] || fail "disk full: integrity_check at the first 75: $(cat "$d/check-full")"
[ "$(cat "$d/check-end")" = ok ] || fail "disk full: integrity_check while full: $(cat "$d/check-end")"
grep -q "disk is full\|No space left" "$d/stderr" || fail "disk full: the reason is not said"
bad=$(grep -cvx 0 "$d/codes2" || true)
[ "$bad" = 0 ] || { tail -n 5 "$d/stderr2"; fail "disk full: $bad redeliveries failed once space was back"; }
n=$(q "$d" "SELECT count(*) FROM messages")
[ "$n" = 400 ] || fail "disk full: $n rows for 400 messages after redelivery"
consistent "$d" "disk full"
pass "disk full (3 MiB tmpfs): $((400 - refused)) stored, $refused refused with 75, database whole; redelivered: 400 rows"

# ------------------------------------------------------------ long write lock
d=$W/lock
setup "$d" "busy_timeout = 1"
$PY "$TOP/bench/gen.py" files 20 "$d/msgs" > /dev/null
"$ESSAIM" -c "$d/essaim.conf" list > /dev/null
hold_write_lock "$d/db/essaim.db" "$d"
pids=
for f in "$d"/msgs/*.eml; do
	"$ESSAIM" -c "$d/essaim.conf" ingest < "$f" 2>> "$d/stderr" &
	pids="$pids $!"
done
codes=
for j in $pids; do
	set +e
	wait "$j"
	codes="$codes $?"
	set -e
done
release_write_lock
for c in $codes; do [ "$c" = 75 ] || fail "write lock: an ingest exited $c while the lock was held"; done
[ "$(q "$d" "SELECT count(*) FROM messages")" = 0 ] || fail "write lock: something was stored under the lock"
for f in "$d"/msgs/*.eml; do
	expect_rc 0 "$ESSAIM" -c "$d/essaim.conf" ingest < "$f"
done
[ "$(q "$d" "SELECT count(*) FROM messages")" = 20 ] || fail "write lock: not 20 rows after release"
consistent "$d" "write lock"
pass "write lock held past busy_timeout: 20 ingests 75; released: 20 rows"

# ------------------------------------------------------- fetch on a full disk
d=$W/fetchfull
setup "$d" "[intake]" "maildir = $d/Maildir"
mkdir -p "$d/db" "$d/Maildir/cur" "$d/Maildir/tmp"
$PY "$TOP/bench/gen.py" maildir 400 "$d/Maildir" > /dev/null
# shellcheck disable=SC2016
unshare -m sh -c '
	set -u
	d=$1 bin=$2
	mount -t tmpfs -o size=3m tmpfs "$d/db" || exit 2
	"$bin" -c "$d/essaim.conf" fetch 2> "$d/stderr"
	echo $? > "$d/code"
	sqlite3 "$d/db/essaim.db" "PRAGMA integrity_check" > "$d/check-full"
	mkdir -p "$d/save"
	cp -a "$d"/db/. "$d/save/"
	rm -rf "$d/full-copy"
	mkdir "$d/full-copy"
	cp -a "$d"/db/. "$d/full-copy/"
	umount "$d/db"
	mount -t tmpfs -o size=64m tmpfs "$d/db"
	cp -a "$d"/save/. "$d/db/"
	ls "$d/Maildir/cur" > "$d/moved-when-full"
	"$bin" -c "$d/essaim.conf" fetch 2> "$d/stderr2"
	echo $? > "$d/code2"
	rm -rf "$d/save"
	mkdir "$d/save"
	cp -a "$d"/db/. "$d/save/"
' sh "$d" "$ESSAIM"
rc=$?
[ $rc -eq 0 ] || fail "fetch, disk full: the tmpfs could not be mounted (exit $rc)"
rm -rf "$d/db"
mv "$d/save" "$d/db"
[ "$(cat "$d/code")" = 75 ] || { tail -n 3 "$d/stderr"; fail "fetch, disk full: exit $(cat "$d/code"), not 75"; }
[ "$(cat "$d/check-full")" = ok ] || fail "fetch, disk full: integrity_check: $(cat "$d/check-full")"
moved=$(wc -l < "$d/moved-when-full")
[ "$moved" -lt 400 ] || fail "fetch, disk full: the 3 MiB disk never filled"
# every message moved out of new/ while the disk was full is in the database
# as it was then, with an outcome
$PY - "$d/Maildir/cur" "$d/moved-when-full" "$d/full-copy/essaim.db" <<'PYEOF' || fail "fetch, disk full: a message left new/ without being stored"
import email, email.policy, os, sqlite3, sys
cur, listing, dbp = sys.argv[1:4]
db = sqlite3.connect(dbp)
for name in open(listing).read().split():
    with open(os.path.join(cur, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    mid = str(m["Message-ID"]).strip("<> ")
    row = db.execute("SELECT outcome FROM messages WHERE message_id = ?", (mid,)).fetchone()
    if row is None or row[0] in ("received", "too_large_pending"):
        sys.exit("%s moved to cur/ but %s" % (name, "not stored" if row is None else row[0]))
PYEOF
[ "$(cat "$d/code2")" = 0 ] || { tail -n 3 "$d/stderr2"; fail "fetch once space was back: exit $(cat "$d/code2")"; }
[ "$(ls "$d/Maildir/new" | wc -l)" = 0 ] || fail "fetch once space was back: messages left in new/"
n=$(q "$d" "SELECT count(*) FROM messages")
[ "$n" = 400 ] || fail "fetch, disk full: $n rows for 400 messages"
consistent "$d" "fetch, disk full"
pass "fetch on a full disk: 75 with $moved of 400 taken, none moved unstored; space back: 400 rows"
