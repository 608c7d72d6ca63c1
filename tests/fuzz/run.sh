#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run each libFuzzer binary for SECONDS on a seed corpus from tests/data
# (tests/data/<name> for build/fuzz/fuzz_<name> when it exists, else all of
# tests/data), plus tests/fuzz/seeds/<name>/ (hand-written inputs) and the
# dictionary tests/fuzz/fuzz_<name>.dict when they exist; fail on the first
# crash, leak or timeout. The corpus grown
# during the run is kept under build/fuzz/corpus-<name>.
# usage: sh tests/fuzz/run.sh SECONDS BINARY...
set -u
secs=$1; shift
fail=0
for bin in "$@"; do
	name=${bin##*/fuzz_}
	seeds=tests/data/$name
	[ -d "$seeds" ] || seeds=tests/data
	corpus=build/fuzz/corpus-$name
	mkdir -p "$corpus" "build/fuzz/crashes-$name"
	# seed files flattened into the working corpus (libFuzzer reads one level)
	find "$seeds" -type f -size -64k | while read -r f; do
		cp "$f" "$corpus/seed-$(printf %s "$f" | cksum | cut -d' ' -f1)"
	done
	if [ -d "tests/fuzz/seeds/$name" ]; then
		for f in tests/fuzz/seeds/"$name"/*; do cp "$f" "$corpus/hand-${f##*/}"; done
	fi
	dict=
	[ -f "tests/fuzz/fuzz_$name.dict" ] && dict=-dict=tests/fuzz/fuzz_$name.dict
	log=build/fuzz/$name.log
	echo "== fuzz $name for ${secs}s (seeds: $seeds)"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
	"$bin" -max_total_time="$secs" -max_len=20000 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build/fuzz/crashes-$name/" $dict \
		"$corpus" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	echo "   $name: ${execs:-?} executions, exit $rc"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: $name crashed; see $log and build/fuzz/crashes-$name/" >&2
		grep -E "ERROR|SUMMARY" "$log" | head -5 >&2
		fail=1
	fi
done
exit $fail
