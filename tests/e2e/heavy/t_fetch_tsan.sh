#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fetch's threads under ThreadSanitizer: first the unit tests of the
# read-ahead thread (src/intake/readahead.c), of the checkpoint thread
# (src/store/checkpointer.c) and of the log's sync thread
# (src/store/syncer.c), then
# a batch of a few hundred Maildir messages (forms from bench/gen.py, some
# HTML-only and some with attachments, attached .odt and .docx documents,
# questions, auto-replies, malformed mail, redeliveries, a FIFO and a link),
# with moderators configured so that notifications are composed, then the
# moderators' and the submitters' replies to what was sent. build/tsan/essaim
# must finish each pass without a report (halt_on_error) and reach the same
# outcomes, in the same order, as build/essaim on the same mail. Last, a
# daemon under TSan stopped by SIGTERM in the middle of a batch joins its
# thread and acknowledges nothing it did not commit.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

TSAN_ESSAIM=$TOP/build/tsan/essaim
[ -x "$TSAN_ESSAIM" ] || fail "build/tsan/essaim is missing (make build/tsan/essaim)"
# reports go to files (the daemon's stderr is its log); the daemon runs as nobody
mkdir -p "$W/tsanlog"
chmod 777 "$W/tsanlog"
# GLib 2.74's slice allocator hands memory between threads under its own
# futex locks, which TSan cannot see: plain malloc, which it intercepts
export G_SLICE=always-malloc
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:log_path=$W/tsanlog/report"
# tsan_clean WHAT: fail when ThreadSanitizer wrote a report
tsan_clean() {
	if [ -n "$(ls "$W/tsanlog")" ]; then
		cat "$W"/tsanlog/* >&2
		fail "ThreadSanitizer report from $1"
	fi
}
for t in readahead checkpointer syncer; do
	[ -x "$TOP/build/tsan/test_$t" ] || fail "build/tsan/test_$t is missing (make build/tsan/test_$t)"
	(cd "$TOP" && ESSAIM_TEST_DATA=tests/data "build/tsan/test_$t") > "$W/unit-$t" 2>&1 ||
		{ cat "$W/unit-$t" >&2; fail "build/tsan/test_$t failed"; }
	tsan_clean "test_$t"
done
N=${TSAN_MESSAGES:-300}
ATTACH="$PY $TOP/tests/e2e/attach.py"

# --- the mail: the same files for both builds ------------------------------
S=$W/src
mkmaildir "$S"
$PY "$TOP/bench/gen.py" maildir "$N" "$S" > /dev/null
i=0
for f in "$TOP"/tests/data/mime/*.eml "$TOP"/tests/data/mail/*.eml; do
	i=$((i + 1))
	cp "$f" "$S/new/1772359$((200 + i * 3)).M9$i.extra"
done
for d in form.odt form-table.docx not-a-zip.docx; do
	i=$((i + 1))
	$ATTACH "Doc $i <doc$i@example.org>" "doc$i@example.org" "Bonjour, le formulaire est joint." \
		"$TOP/tests/data/documents/$d" application/octet-stream > "$S/new/1772359$((200 + i * 5)).M9$i.doc"
done
# malformed: no header at all, binary, NUL bytes, an empty file, a broken
# multipart, a header line over the limit
head -c 3000 /dev/urandom > "$S/new/1772359210.M8001.bad"
printf 'just some text\nwithout any header\n' > "$S/new/1772359220.M8002.bad"
printf 'From: a@example.org\nSubject: nul\n\nA\000B\000C\n' > "$S/new/1772359230.M8003.bad"
: > "$S/new/1772359240.M8004.bad"
printf 'From: b@example.org\nSubject: broken\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="zz"\n\n--zz\nContent-Type: text/html\n\n<p>Nom de l<b>initiative : X\n--z' > "$S/new/1772359250.M8005.bad"
{ printf 'From: c@example.org\nSubject: '; head -c 20000 /dev/zero | tr '\0' 'a'; printf '\n\nlong\n'; } > "$S/new/1772359260.M8006.bad"
# redeliveries (an MTA retry): recognised, not stored twice
for n in 3 40 41; do
	f=$(ls "$S/new" | sed -n "${n}p")
	cp "$S/new/$f" "$S/new/$f.again"
done
files=$(count_files "$S/new")
echo "$files files"

# run_fetch BIN DIR: one fetch of DIR's Maildir with BIN, then a send of
# the outbox to DIR/out (maildir: transport); two moderators.
run_fetch() {
	cat > "$2/essaim.conf" <<C
[essaim]
database = $2/essaim.db
address = dynamiques@ssa.example
secret_file = $2/secret
[moderation]
moderators = m1@ssa.example;m2@ssa.example
[mail]
transport = maildir:$2/out
max_answers_per_sender_per_day = 100000
max_answers_per_hour = 1000000
[intake]
maildir = $2/Maildir
C
	set +e
	"$1" -c "$2/essaim.conf" fetch 2>> "$2/fetch.log"
	rc=$?
	set -e
	tsan_clean "$1 fetch"
	[ $rc = 0 ] || { tail "$2/fetch.log" >&2; fail "$1 fetch exited $rc"; }
	[ "$(count_files "$2/Maildir/new")" = 0 ] || fail "$1: $(count_files "$2/Maildir/new") files left in new/"
	# what was queued goes to DIR/out, where the replies come from
	# (OUTBOX_BATCH_MAX a run: the first says how many are left, exit 75)
	for k in 1 2 3 4 5 6; do
		[ $k -lt 6 ] || fail "$1 send: mail still queued"
		set +e
		"$1" -c "$2/essaim.conf" send 2>> "$2/fetch.log"
		rc=$?
		set -e
		tsan_clean "$1 send"
		[ $rc = 0 ] && break
		[ $rc = 75 ] || fail "$1 send exited $rc"
	done
}

# replies DIR: into DIR's Maildir, a moderator's VALIDER to each notification
# (two of three) or REFUSER (the others), and a submitter's thanks to the
# first answers; named so that both runs read them in the same order.
replies() {
	$PY - "$1/out" "$1/Maildir/new" <<'P'
import email, email.policy, os, re, sys
out, new = sys.argv[1], sys.argv[2]
mails = []
for sub in ("new", "cur"):
    d = os.path.join(out, sub)
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        with open(os.path.join(d, name), "rb") as f:
            mails.append(email.message_from_binary_file(f, policy=email.policy.default))
def reply_to(m, sender, msgid, text):
    r = email.message.EmailMessage(policy=email.policy.SMTP)
    r["From"] = sender
    r["To"] = str(m["from"])
    r["Subject"] = "Re: " + str(m["subject"] or "")
    r["Message-ID"] = msgid
    r["In-Reply-To"] = str(m["message-id"])
    r["Date"] = "Mon, 09 Mar 2026 10:00:00 +0100"
    r.set_content(text)
    return r.as_string()
people = {}
for m in mails:
    to = str(m["to"] or "").lower()
    subj = str(m["subject"] or "")
    num = re.search(r"#(\d+)", subj)
    if "m1@ssa.example" in to and num:
        n = int(num.group(1))
        with open(os.path.join(new, "1800000000.M%06d.mod" % n), "w") as f:
            f.write(reply_to(m, "m1@ssa.example", "<mod-%d@test.example>" % n,
                             "VALIDER\n" if n % 3 else "REFUSER hors sujet\n"))
    elif "ssa.example" not in to:
        # the same choice in both runs: by address, then subject
        people.setdefault(to, []).append((subj, m))
for to in sorted(people)[:40]:
    subj, m = min(people[to], key=lambda t: t[0])
    key = re.sub(r"[^a-z0-9]", "", to)
    with open(os.path.join(new, "1800000001.%s.thanks" % key), "w") as f:
        f.write(reply_to(m, to, "<thanks-%s@test.example>" % key, "Merci beaucoup, a bientot.\n"))
P
}

# outcomes DIR: what the database says, in the order it was stored
outcomes() {
	sqlite3 -batch -noheader "$1/essaim.db" \
		"SELECT id, coalesce(message_id, sha256), outcome FROM messages ORDER BY id;
		 SELECT id, status FROM entries ORDER BY id;
		 SELECT m.id, o.kind, o.recipient FROM outbox o JOIN messages m ON m.id = o.cause_message
		  ORDER BY m.id, o.kind, o.recipient;"
}

for b in plain tsan; do
	mkdir -p "$W/$b"
	cp -r "$S" "$W/$b/Maildir"
	# the read-ahead thread's reader moves these to quarantine/
	mkfifo "$W/$b/Maildir/new/1772359290.M7001.fifo"
	ln -s /etc/passwd "$W/$b/Maildir/new/1772359295.M7002.link"
done
run_fetch "$ESSAIM" "$W/plain"
run_fetch "$TSAN_ESSAIM" "$W/tsan"
first=$(sqlite3 "$W/plain/essaim.db" "SELECT count(*) FROM messages")
# stored in the order of the Maildir's names, as without the thread: the
# Message-IDs of the generated mail, file order against row order
for f in $(LC_ALL=C ls "$S/new" | grep '\.bench'); do
	sed -n 's/^Message-I[Dd]: *<\(.*\)>.*/\1/p' "$S/new/$f" | head -1
done | awk '!seen[$0]++' > "$W/order.want"
[ "$(wc -l < "$W/order.want")" -gt 250 ] || fail "too few Message-IDs in the generated mail"
for b in plain tsan; do
	sqlite3 "$W/$b/essaim.db" "SELECT message_id FROM messages ORDER BY id" |
		grep -Fx -f "$W/order.want" > "$W/order.$b"
	cmp -s "$W/order.want" "$W/order.$b" ||
		{ diff "$W/order.want" "$W/order.$b" | head >&2; fail "$b: not stored in the Maildir's order"; }
done
for b in plain tsan; do
	[ -p "$W/$b/Maildir/quarantine/1772359290.M7001.fifo" ] || fail "$b: the FIFO is not in quarantine/"
	replies "$W/$b"
done
[ "$(count_files "$W/tsan/Maildir/new")" -gt 20 ] || fail "too few replies written"
run_fetch "$ESSAIM" "$W/plain"
run_fetch "$TSAN_ESSAIM" "$W/tsan"

outcomes "$W/plain" > "$W/plain.out"
outcomes "$W/tsan" > "$W/tsan.out"
diff "$W/plain.out" "$W/tsan.out" > "$W/diff" || { head -20 "$W/diff" >&2; fail "the TSan build's outcomes differ"; }
forms=$(sqlite3 "$W/tsan/essaim.db" "SELECT count(*) FROM entries")
notified=$(sqlite3 "$W/tsan/essaim.db" "SELECT count(*) FROM outbox WHERE recipient = 'm1@ssa.example'")
decided=$(sqlite3 "$W/tsan/essaim.db" "SELECT count(*) FROM entries WHERE status IN ('approved', 'rejected', 'published')")
failed=$(sqlite3 "$W/tsan/essaim.db" "SELECT count(*) FROM messages WHERE outcome IN ('received', 'failed')")
stored=$(sqlite3 "$W/tsan/essaim.db" "SELECT count(*) FROM messages")
[ "$forms" -gt 100 ] || fail "only $forms entries"
[ "$notified" -gt 100 ] || fail "only $notified notifications composed"
[ "$decided" -gt 50 ] || fail "only $decided moderators' decisions taken"
[ "$failed" = 0 ] || fail "$failed messages without an outcome or failed"
echo "$stored messages stored, $forms entries, $notified notifications, $decided decisions"
pass "tsan: $stored messages in two passes, no report, same outcomes as the plain build"

# --- a daemon under TSan stopped by SIGTERM mid-batch -----------------------
D=$W/daemon
mkdir -p "$D"
cp -r "$S" "$D/Maildir"
cat > "$D/essaim.conf" <<C
[essaim]
database = $D/essaim.db
address = dynamiques@ssa.example
secret_file = $D/secret
user = nobody
[moderation]
moderators = m1@ssa.example
[mail]
transport = maildir:$D/out
max_answers_per_sender_per_day = 100000
max_answers_per_hour = 1000000
[intake]
maildir = $D/Maildir
poll_seconds = 3600
C
chown -R nobody:nogroup "$D"
chmod 711 "$W"
# GLib's own thread for signals and the Maildir watch: tsan-glib.supp says why
TSAN_OPTIONS="$TSAN_OPTIONS:suppressions=$TOP/tests/e2e/heavy/tsan-glib.supp" \
	"$TSAN_ESSAIM" -c "$D/essaim.conf" -f daemon 2> "$D/daemon.log" &
pid=$!
# stop it once a batch or two is in: messages taken, others still waiting
i=0
until [ "$(ls "$D/Maildir/cur" 2>/dev/null | wc -l)" -ge 100 ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat "$D/daemon.log" >&2; fail "the daemon took no batch"; }
	kill -0 $pid 2>/dev/null || { cat "$D/daemon.log" >&2; fail "the daemon died"; }
	sleep 0.1
done
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
tsan_clean "the daemon"
[ $rc = 0 ] || { tail "$D/daemon.log" >&2; fail "the daemon exited $rc at SIGTERM"; }
moved=$(ls "$D/Maildir/cur" | grep -c ':2,S$' || true)
left=$(count_files "$D/Maildir/new")
rows=$(sqlite3 "$D/essaim.db" "SELECT count(*) FROM messages")
[ "$left" -gt 0 ] || fail "the daemon was stopped too late to prove anything"
# every file moved to cur/ is stored: nothing acknowledged that was not committed
# (the redeliveries share a row with their first copy)
[ "$moved" -le $((rows + 3)) ] || fail "$moved files in cur/ but only $rows messages stored"
# the next pass takes the rest, each message once
runuser -u nobody -- "$ESSAIM" -c "$D/essaim.conf" fetch 2>> "$D/fetch.log" || fail "the fetch after SIGTERM failed"
[ "$(count_files "$D/Maildir/new")" = 0 ] || fail "messages left in new/ after the last fetch"
# the FIFO and the link are not there: the same messages as the first pass
[ "$(sqlite3 "$D/essaim.db" "SELECT count(*) FROM messages")" = "$first" ] ||
	fail "after the SIGTERM and a new pass, not every message stored exactly once"
pass "tsan: the daemon stopped by SIGTERM after $moved files of $files, thread joined, the rest taken by the next pass"
