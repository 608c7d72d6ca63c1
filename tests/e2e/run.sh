#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the end-to-end tests: tests/e2e/t_*.sh (quick, part of `make check`),
# plus tests/e2e/heavy/t_*.sh with "all" (`make e2e`); "heavy" runs those only. Each test is a script
# that exits 0 when it passes; a missing server or tool is a failure.
mode=${1:-quick}
cd "$(dirname "$0")/../.." || exit 1
quick=$(ls tests/e2e/t_*.sh 2>/dev/null || true)
heavy=$(ls tests/e2e/heavy/t_*.sh 2>/dev/null || true)
case "$mode" in
quick) tests=$quick ;;
heavy) tests=$heavy ;;
*) tests="$quick $heavy" ;;
esac
pass=0 fail=0 failed=""
for t in $tests; do
	name=$(basename "$t" .sh)
	start=$(date +%s)
	if sh "$t" > "build/e2e-$name.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok    $name ($(($(date +%s) - start))s)"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL  $name (log: build/e2e-$name.log)"
		tail -n 25 "build/e2e-$name.log" | sed 's/^/      /'
	fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
