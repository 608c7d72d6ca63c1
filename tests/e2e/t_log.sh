#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Where essaim's messages go (essaim(1), LOGGING):
# - commands run by hand: standard error, "essaim: ..." without priority;
# - standard error that systemd's journal reads (JOURNAL_STREAM names it):
#   each line with its sd-daemon priority, "<4>essaim: ...", "<7>" for -v;
#   a stream that JOURNAL_STREAM does not name (redirected) gets none;
# - daemon -f: priorities without JOURNAL_STREAM;
# - ingest and the daemon without -f: syslog, facility mail (<20> = mail.warning),
#   read from a real Unix datagram socket put at /dev/log in a private mount
#   namespace (needs root and unshare); ingest writes standard error too.
. "$(dirname "$0")/lib.sh"
[ -x "$ESSAIM" ] || fail "$ESSAIM missing (make)"
mkconf < /dev/null

msg() {
	printf 'From: Claire Dupont <claire@example.org>\nTo: dynamiques@ssa.example\n'
	printf 'Message-ID: <%s@example.org>\nSubject: Formulaire\n\nNom : Le Jardin\n' "$1"
}

# by hand: no priority
set +e
"$ESSAIM" -c "$W/missing.conf" status 2> "$W/err"
set -e
grep -q '^essaim: .*missing.conf' "$W/err" || { cat "$W/err"; fail "no plain message on stderr"; }
grep -q '^<' "$W/err" && fail "priority prefix without the journal"
pass "by hand: plain messages on standard error"

# the journal's stream: JOURNAL_STREAM is DEVICE:INODE of standard error
: > "$W/journal"
js=$(stat -c '%d:%i' "$W/journal")
set +e
JOURNAL_STREAM=$js "$ESSAIM" -c "$W/missing.conf" status 2>> "$W/journal"
set -e
grep -q '^<4>essaim: .*missing.conf' "$W/journal" || { cat "$W/journal"; fail "no <4> warning for the journal"; }
grep -qv '^<[0-7]>essaim: ' "$W/journal" && { cat "$W/journal"; fail "a line without priority"; }
msg one | JOURNAL_STREAM=$js "$ESSAIM" -v ingest 2>> "$W/journal" ||
	fail "ingest failed"
grep -q '^<7>essaim: message stored as ' "$W/journal" || { cat "$W/journal"; fail "no <7> debug line"; }
pass "under the journal: <4> warnings, <7> debug lines"

# inherited JOURNAL_STREAM, but standard error redirected elsewhere
set +e
JOURNAL_STREAM=$js "$ESSAIM" -c "$W/missing.conf" status 2> "$W/err"
set -e
grep -q '^essaim: .*missing.conf' "$W/err" || { cat "$W/err"; fail "redirected stream got priorities"; }
JOURNAL_STREAM=garbage "$ESSAIM" -c "$W/missing.conf" status 2> "$W/err" && fail "status exit 0"
grep -q '^essaim: ' "$W/err" || fail "a malformed JOURNAL_STREAM changed the output"
pass "JOURNAL_STREAM naming another stream: no priorities"

# daemon -f: priorities without JOURNAL_STREAM (as root without [essaim] user
# it refuses to run: a warning, exit 78)
[ "$(id -u)" -eq 0 ] || fail "this test needs root (daemon refusal, mount namespace)"
set +e
"$ESSAIM" -f daemon 2> "$W/err"
rc=$?
set -e
[ $rc -eq 78 ] || { cat "$W/err"; fail "daemon as root exited $rc, not 78"; }
grep -q '^<4>essaim: refusing to run the daemon as root' "$W/err" ||
	{ cat "$W/err"; fail "daemon -f: no <4> prefix"; }
pass "daemon -f: priorities"

# syslog: a private /dev with a listening socket as /dev/log
command -v unshare > /dev/null || fail "unshare missing (util-linux)"
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$W/dev"
for n in null zero full random urandom; do : > "$W/dev/$n"; done
"$PY" "$TOP/tests/e2e/syslog_listen.py" "$W/dev/log" "$W/syslog" &
listener=$!
trap 'kill $listener 2> /dev/null || true; cleanup' EXIT
i=0
until [ -e "$W/syslog.ready" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the syslog listener did not start"
	sleep 0.1
done
# in_ns CMD...: run CMD with /dev replaced by $W/dev (devices bound in)
in_ns() {
	unshare -m --propagation private sh -c '
		d=$1; shift
		for n in null zero full random urandom; do mount --bind /dev/$n "$d/$n"; done
		mount --rbind "$d" /dev
		exec "$@"' sh "$W/dev" "$@"
}
# ingest refusing a message: syslog (mail.warning) and standard error
set +e
msg two | in_ns "$ESSAIM" -c "$W/missing.conf" ingest 2> "$W/err"
rc=$?
set -e
[ $rc -eq 75 ] || fail "ingest exited $rc, not 75"
grep -q '^essaim: message not stored; the MTA will retry' "$W/err" ||
	{ cat "$W/err"; fail "ingest: nothing on standard error"; }
# the daemon without -f: syslog only
set +e
in_ns "$ESSAIM" daemon 2> "$W/err-daemon"
set -e
[ -s "$W/err-daemon" ] && { cat "$W/err-daemon"; fail "daemon without -f wrote to standard error"; }
i=0
until grep -q 'refusing to run the daemon' "$W/syslog" 2> /dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || { cat "$W/syslog"; fail "nothing reached syslog"; }
	sleep 0.1
done
grep -qE '^<20>.* essaim\[[0-9]+\]: message not stored; the MTA will retry' "$W/syslog" ||
	{ cat "$W/syslog"; fail "ingest: no mail.warning (<20>) line in syslog"; }
grep -qE '^<20>.* essaim\[[0-9]+\]: refusing to run the daemon as root' "$W/syslog" ||
	{ cat "$W/syslog"; fail "daemon: no mail.warning (<20>) line in syslog"; }
pass "ingest and the daemon log to syslog with the mail facility"
