#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The rules of the tree (docs/ARCHITECTURE.md, "The stages"): no include
# circle and no include pointing up the stage order (tools/include-graph.py,
# which is first shown to catch both on a small tree of its own); no .c file
# over 32 KB; no SQL outside src/store/; every header opens with its
# "Layer:" line naming its own folder; every path that README.md and
# docs/*.md cite exists, and no file cites ARCHITECTURE.md or FORM.md
# anywhere but in docs/; docs/ARCHITECTURE.md's contract names every command
# and every configuration key.
. "$(dirname "$0")/lib.sh"

# Files outside src/store/ that still prepare SQL while they are being moved
# into the store (issue 14, point 3). Being moved: the integrator empties this
# list as each one lands; any file NOT listed here that calls sqlite3_* or
# store_prepare fails the test.
SQL_BEING_MOVED=""

# Headers whose opening "Layer:" line is being written (issue 14, point 5).
# Being moved to the rule: emptied as they get theirs; a header NOT listed
# here without its Layer line fails the test.
LAYER_BEING_ADDED=""

listed() { # listed FILE LIST: whether FILE is a word of LIST
	for x in $2; do [ "$x" = "$1" ] && return 0; done
	return 1
}

command -v python3 >/dev/null || fail "python3 is not installed (packages.debian: python3)"
GRAPH="$TOP/tools/include-graph.py"

# 1. the checker itself catches a circle and an upward include
mkdir -p "$W/t/base" "$W/t/store" "$W/t/cli"
printf '#include "store/b.h"\n' > "$W/t/base/a.h"
printf '#include "base/a.h"\n' > "$W/t/store/b.h"
printf '#include "base/a.h"\n' > "$W/t/cli/c.c"
set +e
out=$(python3 "$GRAPH" "$W/t")
rc=$?
set -e
[ $rc -eq 1 ] || fail "include-graph.py exits $rc on a tree with a circle"
echo "$out" | grep -q '^circle: base/a store/b$' || fail "include-graph.py missed the circle: $out"
echo "$out" | grep -q '^upward: base/a.h -> store/b.h$' ||
	fail "include-graph.py missed the upward include: $out"
printf '/* nothing */\n' > "$W/t/base/a.h"
python3 "$GRAPH" "$W/t" > "$W/graph.out" || { cat "$W/graph.out"; fail "a clean tree is refused"; }
pass "include-graph.py finds circles and upward includes"

# 2. src/ has none
python3 "$GRAPH" "$TOP/src" > "$W/graph.out" || { cat "$W/graph.out"; fail "the include graph of src/ breaks the rules"; }
pass "no include circle, nothing includes up the stages: $(tail -n 1 "$W/graph.out")"

# 3. no .c over 32 KB
for f in "$TOP"/src/*/*.c; do
	n=$(wc -c < "$f")
	[ "$n" -le 32768 ] || fail "${f#$TOP/} is $n bytes (over 32 KB): split it"
done
pass "no .c file over 32 KB"

# 4. SQL in src/store/ only
bad= moved=
for f in $(grep -lE 'sqlite3_|store_prepare' "$TOP"/src/*/*.c "$TOP"/src/*/*.h); do
	rel=${f#$TOP/}
	case "$rel" in src/store/*) continue ;; esac
	listed "$rel" "$SQL_BEING_MOVED" || bad="$bad $rel"
done
for rel in $SQL_BEING_MOVED; do
	[ -f "$TOP/$rel" ] && grep -qE 'sqlite3_|store_prepare' "$TOP/$rel" || moved="$moved $rel"
done
[ -z "$bad" ] || fail "SQL outside src/store/ (call a store function instead):$bad"
[ -z "$moved" ] || echo "note: no SQL left in$moved: take them off SQL_BEING_MOVED"
pass "no new file outside src/store/ calls sqlite3_* or store_prepare"

# 5. headers open with "Layer: <their folder>"
for f in "$TOP"/src/*/*.h; do
	rel=${f#$TOP/}
	folder=${rel#src/}
	folder=${folder%%/*}
	if sed -n 3p "$f" | grep -qE '^ \* Layer: '; then
		sed -n 3p "$f" | grep -qE "^ \\* Layer: $folder([ .,(]|\$)" ||
			fail "$rel: its Layer line names another folder than $folder/"
	elif ! listed "$rel" "$LAYER_BEING_ADDED"; then
		fail "$rel does not open with ' * Layer: $folder. Uses ...' (line 3)"
	fi
done
pass "every header opens with its Layer line (or is listed as being given one)"

# 6. the documents cite what exists
for d in "$TOP/README.md" "$TOP"/docs/*.md; do
	grep -oE '(^|[^A-Za-z0-9_./~$-])(src|docs|tests|tools|config|templates|man|data|bench|examples)/[A-Za-z0-9_./*-]*' "$d" |
		sed -E 's/^[^a-z]//; s/[.]+$//' | sort -u > "$W/paths"
	[ -s "$W/paths" ] || fail "${d#$TOP/} cites no path at all"
	while read -r p; do
		# a glob (tests/e2e/t_*.sh) must match something
		set -- $TOP/$p
		[ -e "$1" ] || fail "${d#$TOP/} cites $p, which the repository lacks"
	done < "$W/paths"
done
for doc in docs/ARCHITECTURE.md docs/FORM.md docs/open-data.md; do
	[ -f "$TOP/$doc" ] || fail "$doc is missing"
done
# links between the documents lead somewhere
for d in "$TOP/README.md" "$TOP"/docs/*.md; do
	grep -oE '\]\([^)#]+' "$d" | sed 's/^](//' | grep -vE '^[a-z]+:' | sort -u |
	while read -r l; do
		[ -e "$(dirname "$d")/$l" ] || fail "${d#$TOP/} links to $l, which the repository lacks"
	done
done
# elsewhere, ARCHITECTURE.md and FORM.md are cited by their path, docs/...
grep -rnoE '[A-Za-z0-9_./-]*(ARCHITECTURE|FORM)\.md' "$TOP/README.md" "$TOP/BENCHMARKS.md" \
	"$TOP/NEWS.md" "$TOP/src" "$TOP/man" "$TOP/config" "$TOP/tests" "$TOP/bench" \
	"$TOP/tools" "$TOP/examples" "$TOP/templates" "$TOP/data" 2>/dev/null |
	grep -v "^$TOP/tests/e2e/t_layout.sh:" |
	grep -vE ':[0-9]+:([A-Za-z0-9_.-]*/)*docs/(ARCHITECTURE|FORM)\.md$' > "$W/cites" || true
[ ! -s "$W/cites" ] || { cat "$W/cites"; fail "a file cites a document the repository lacks (say docs/ARCHITECTURE.md or docs/FORM.md)"; }
pass "every path cited by README.md and docs/*.md exists"

# the contract of docs/ARCHITECTURE.md names every command of src/cli/main.c
# and every key of src/base/config.c, under its section
A="$TOP/docs/ARCHITECTURE.md"
for c in $(grep -oE '^[[:space:]]*\{ "[a-z-]+", cmd_' "$TOP/src/cli/main.c" | sed -E 's/.*"([a-z-]+)".*/\1/'); do
	grep -qE "^\| \`$c\` \|" "$A" || fail "command $c is missing from docs/ARCHITECTURE.md's contract"
done
keys=$(grep -oE '^[[:space:]]*\{ "[a-z]+", "[a-z_]+"' "$TOP/src/base/config.c" |
	sed -E 's/.*"([a-z]+)", "([a-z_]+)"/\1:\2/')
[ -n "$keys" ] || fail "no key found in src/base/config.c"
for gk in $keys; do
	awk -v g="$gk" '
		BEGIN { split(g, p, ":") }
		/^\| `\[[a-z]+\]` \|/ { sec = $2; gsub(/[`\[\]]/, "", sec) }
		/^\| / && sec == p[1] && index($0, "| `" p[2] "` |") { found = 1 }
		END { exit !found }' "$A" ||
		fail "[${gk%%:*}] ${gk#*:} is missing from docs/ARCHITECTURE.md's configuration keys"
done
pass "docs/ARCHITECTURE.md names every command and every configuration key"
