#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The corpus (our own messages and Debian's hostile MIME corpora) through
# build/essaim ingest under valgrind: no invalid access, no definite leak.
# `make valgrind` and tests/e2e/heavy/t_valgrind.sh run it on everything;
# tests/e2e/t_valgrind.sh on a representative subset (argument "quick").
# Two messages at a time (the machine has 2 cores), one database.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/corpus.sh"

mode=${1:-all}
command -v valgrind > /dev/null || fail "valgrind missing (make deps)"
[ -x "$ESSAIM" ] || fail "$ESSAIM missing (make)"
corpus_list "$W/all"
if [ "$mode" = quick ]; then
	# every malformed enmime message, and one in ten of the rest
	grep '/low-quality/' "$W/all" > "$W/list"
	grep -v '/low-quality/' "$W/all" | awk 'NR % 10 == 1' >> "$W/list"
else
	cp "$W/all" "$W/list"
fi
mkconf < /dev/null
# GLib and GMime allocate once per process (type system, charset tables):
# reachable at exit, never "definitely lost"; plain malloc lets valgrind
# see GLib's slices. tests/valgrind.supp only covers PCRE2's JIT code (the
# quote rules, src/mail/quote.c).
export G_SLICE=always-malloc G_DEBUG=gc-friendly
mkdir -p "$W/vg"
cat > "$W/one.sh" <<'ONE'
n=$1 f=$2
valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
	--suppressions="$SUPP" --log-file="$VG/$n.log" "$ESSAIM" ingest < "$f" > /dev/null 2>> "$VG/$n.log"
echo "$? $f" > "$VG/$n.rc"
ONE
start=$(date +%s)
awk '{ printf "%d\t%s\n", NR, $0 }' "$W/list" | tr '\n' '\0' |
	SUPP="$TOP/tests/valgrind.supp" VG="$W/vg" ESSAIM="$ESSAIM" \
	xargs -0 -P 2 -n 1 sh -c 'n=${1%%	*}; f=${1#*	}; sh "$0" "$n" "$f"' "$W/one.sh"
secs=$(($(date +%s) - start))
n=$(wc -l < "$W/list")
failed=0
for rc in "$W"/vg/*.rc; do
	read -r code f < "$rc"
	if [ "$code" -ne 0 ]; then
		failed=$((failed + 1))
		echo "FAIL (exit $code): $f" >&2
		head -n 60 "${rc%.rc}.log" >&2
	fi
done
[ "$(ls "$W"/vg/*.rc | wc -l)" -eq "$n" ] || fail "not every message was run"
[ $failed -eq 0 ] || fail "valgrind: $failed of $n messages with errors, leaks or a non-zero exit"
pending=$(db "SELECT count(*) FROM messages WHERE outcome = 'received' OR outcome IS NULL")
[ "$pending" -eq 0 ] || fail "$pending messages stored without an outcome"
pass "valgrind ($mode): $n messages, 0 errors, 0 definite leaks, ${secs}s on 2 jobs"
