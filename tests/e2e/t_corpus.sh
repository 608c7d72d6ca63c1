#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# essaim ingest exits 0 on every message of our own test messages and of
# the hostile corpora Debian ships (enmime, CPython's email tests, Mailman),
# under the ASan/UBSan build, and records an outcome for each.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/corpus.sh"

[ -x "$ESSAIM_ASAN" ] || fail "$ESSAIM_ASAN missing (make build/asan/essaim)"
corpus_list "$W/list"
mkconf < /dev/null

n=0 failed=0
while IFS= read -r f; do
	n=$((n + 1))
	set +e
	"$ESSAIM_ASAN" ingest < "$f" > /dev/null 2> "$W/err"
	rc=$?
	set -e
	if [ $rc -ne 0 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$W/err"; then
		failed=$((failed + 1))
		echo "FAIL (exit $rc): $f" >&2
		head -n 30 "$W/err" >&2
	fi
done < "$W/list"
[ $failed -eq 0 ] || fail "$failed of $n messages did not ingest cleanly"

stored=$(db "SELECT count(*) FROM messages")
pending=$(db "SELECT count(*) FROM messages WHERE outcome = 'received' OR outcome IS NULL")
[ "$pending" -eq 0 ] || fail "$pending messages stored without an outcome"
# a few corpus files are the same message twice: fewer rows, never more
[ "$stored" -le "$n" ] ||
	fail "$stored rows for $n messages"
db "SELECT outcome, count(*) FROM messages GROUP BY outcome ORDER BY outcome" | sed 's/^/  /'
pass "$n messages ingested under ASan/UBSan, $stored rows, every one with an outcome"
