#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# On a full disk, `status` still tells the truth: the ingests refused with
# 75 and a publication that failed (exit 75, documented) are recorded in the
# side log, whose blocks were allocated while there was room, and shown.
# Needs root (a tmpfs in a private mount namespace).
[ "$(id -u)" -eq 0 ] || { echo "FAIL: this test needs root (tmpfs mount)" >&2; exit 1; }
[ -n "${ESSAIM_IN_NS:-}" ] || ESSAIM_IN_NS=1 exec unshare -m sh "$0" "$@"
. "$(dirname "$0")/lib.sh"

export ESSAIM_NOW=1772442000
mkdir -p "$W/data"
mount -t tmpfs -o size=4m tmpfs "$W/data"
trap 'umount "$W/data" 2>/dev/null; cleanup' EXIT
mkconf <<EOF2
[mail]
transport = maildir:$W/out
[publish]
directory = $W/data/public
EOF2
expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
expect_rc 0 "$ESSAIM" publish > /dev/null
expect_rc 0 "$ESSAIM" approve "$(db "SELECT id FROM entries LIMIT 1")" > /dev/null
expect_rc 0 "$ESSAIM" status > /dev/null || true
dd if=/dev/zero of="$W/data/fill" bs=4k 2> /dev/null || true
export ESSAIM_NOW=1772442060

n=1
while [ $n -le 30 ]; do
	printf 'From: p%s@example.org\nTo: dynamiques@ssa.example\nSubject: Q %s\nMessage-ID: <full-%s@example.org>\n\nBonjour %s\n' \
		$n $n $n $n | { set +e; "$ESSAIM" ingest 2> /dev/null; echo $? > "$W/rc"; }
	[ "$(cat "$W/rc")" -eq 75 ] || fail "ingest $n on a full disk exited $(cat "$W/rc"), want 75"
	n=$((n + 1))
done
pass "30 ingests on a full disk: 75 each"
expect_rc 75 "$ESSAIM" publish 2> "$W/publish.log"
pass "publish on a full disk: 75"

set +e
"$ESSAIM" status > "$W/status.out" 2> /dev/null
rc=$?
set -e
[ $rc -eq 1 ] || { cat "$W/status.out" >&2; fail "status exited $rc on a full disk, want 1 (attention)"; }
grep -q "all well" "$W/status.out" && fail "status says all well after 30 refusals"
grep -q "^  count: 30$" "$W/status.out" || { cat "$W/status.out" >&2; fail "status does not count 30 refusals"; }
grep -q "ingest refused mail (exit 75, the MTA retries) 30 times" "$W/status.out" ||
	fail "the refusals are not in the attention list"
grep -q "the last publication failed" "$W/status.out" || { cat "$W/status.out" >&2; fail "status does not show the failed publication"; }
pass "status on the full disk: 30 refusals and the failed publication shown"

rm -f "$W/data/fill"
export ESSAIM_NOW=1772442120
expect_rc 0 "$ESSAIM" publish > /dev/null
set +e
"$ESSAIM" status > "$W/status.out" 2> /dev/null
set -e
grep -q "the last publication failed" "$W/status.out" && fail "a publication that worked since is still shown failed"
pass "a publication that works clears the failure"
