# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced by end-to-end tests: a private work folder, a config, helpers.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
case "$TOP" in */tests) TOP=$(dirname "$TOP") ;; esac
ESSAIM=${ESSAIM:-$TOP/build/essaim}
ESSAIM_ASAN=$TOP/build/asan/essaim
DATA=$TOP/tests/data
W=$(mktemp -d "${TMPDIR:-/tmp}/essaim-e2e.XXXXXX")
export XDG_DATA_HOME="$W/xdg"
unset ESSAIM_CONFIG ESSAIM_NOW ESSAIM_FAILPOINT || true
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$W"; }
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# Write $W/essaim.conf from the lines given on stdin (after a base section).
mkconf() {
	mkdir -p "$W/data"
	{
		echo "[essaim]"
		echo "database = $W/data/essaim.db"
		echo "address = dynamiques@ssa.example"
		echo "secret_file = $W/data/secret"
		cat
	} > "$W/essaim.conf"
	export ESSAIM_CONFIG="$W/essaim.conf"
}

# The npm test tools pinned in tests/e2e/npm (axe-core, check-geojson):
# installed by `make deps`, or here when missing; sets NPM to node_modules.
npm_tools() {
	NPM=$TOP/tests/e2e/npm/node_modules
	if [ ! -f "$NPM/axe-core/axe.min.js" ] || [ ! -f "$NPM/@placemarkio/check-geojson/package.json" ]; then
		command -v npm > /dev/null || fail "npm is not installed (make deps)"
		(cd "$TOP/tests/e2e/npm" && npm ci --no-audit --no-fund --loglevel=error > /dev/null) ||
			fail "cannot install the npm test tools pinned in tests/e2e/npm"
	fi
}

db() { sqlite3 -batch -noheader "$W/data/essaim.db" "$@"; }

# expect_rc CODE CMD...: run CMD, fail unless it exits CODE.
expect_rc() {
	want=$1; shift
	set +e
	"$@"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || fail "expected exit $want, got $got: $*"
}

# hold_write_lock DB DIR: another process (the sqlite3 shell) takes DB's
# write lock and keeps it until release_write_lock; DIR holds its fifo.
hold_write_lock() {
	rm -f "$2/fifo" "$2/locked"
	mkfifo "$2/fifo"
	sqlite3 -batch "$1" < "$2/fifo" > "$2/locked" 2>&1 &
	lock_holder=$!
	exec 7> "$2/fifo"
	echo "BEGIN IMMEDIATE; SELECT 'locked';" >&7
	i=0
	until grep -q locked "$2/locked"; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "sqlite3 did not take the lock"
		sleep 0.1
	done
}

release_write_lock() {
	echo "COMMIT;" >&7
	exec 7>&-
	wait $lock_holder
}

# not_linked REGEX NAME: neither build/essaim nor its ASan build lists a
# library matching REGEX (case-insensitive) among those it is linked with
# (the libraries loaded at run time, src/base/lazylib.h).
not_linked() {
	for b in "$ESSAIM" "$ESSAIM_ASAN"; do
		[ -x "$b" ] || fail "$b missing (make; make build/asan/essaim)"
		ldd "$b" > "$W/ldd" || fail "ldd $b"
		# the listing is real (else the next check proves nothing)
		grep -q 'libgmime-3\.0' "$W/ldd" || fail "ldd $b lists no libgmime"
		if grep -Ei "$1" "$W/ldd"; then fail "$b is linked with $2"; fi
	done
	pass "essaim is not linked with $2"
}

# loaded LABEL: the libraries a run traced with LD_DEBUG=files
# LD_DEBUG_OUTPUT="$W/ld-LABEL" loaded (it writes $W/ld-LABEL.PID).
loaded() { cat "$W/ld-$1".* 2> /dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u; }
