#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run each libFuzzer binary for SECONDS, seeded from the project's messages
# (tests/data/**/*.eml, examples/inbox/*.eml, tests/data/fuzz-regressions/*)
# plus tests/fuzz/seeds/<name>/ when present; the corpus it grows is kept in
# build/fuzz/corpus/<name>/. Fails on a crash, a leak or a timeout (the
# reproducer is left in build/fuzz/crashes/<name>/); prints the executions.
# usage: sh tests/fuzz/run.sh SECONDS build/fuzz/fuzz_x...
set -u
[ $# -ge 2 ] || { echo "usage: $0 SECONDS BINARY..." >&2; exit 64; }
secs=$1
shift
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for bin in "$@"; do
	name=$(basename "$bin")
	[ -x "$bin" ] || { echo "FAIL  $name: $bin not built" >&2; status=1; continue; }
	corpus=build/fuzz/corpus/$name
	crashes=build/fuzz/crashes/$name
	seeds=build/fuzz/seeds/$name
	mkdir -p "$corpus" "$crashes"
	rm -rf "$seeds"
	mkdir -p "$seeds"
	# libFuzzer wants flat folders: copy the seeds in under unique names
	find tests/data examples -type f \( -name '*.eml' -o -path '*/fuzz-regressions/*' \) 2>/dev/null |
		while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr '/' '_')"; done
	[ -d "tests/fuzz/seeds/$name" ] && cp tests/fuzz/seeds/"$name"/* "$seeds"/ 2>/dev/null
	dict=
	[ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
	log=build/fuzz/$name.log
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$crashes/" $dict "$corpus" "$seeds" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		echo "FAIL  $name: exit $rc after ${execs:-?} executions (log: $log; reproducer in $crashes/)"
		grep -E 'ERROR|SUMMARY|fuzz_message:|^    #[0-9] ' "$log" | head -n 25 | sed 's/^/      /'
		status=1
	else
		echo "ok    $name: ${execs:-?} executions in ${secs}s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) inputs"
	fi
done
exit $status
