# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=sh
# Sourced after lib.sh by the corpus tests: the project's own test messages
# plus the hostile MIME corpora that Debian ships, fetched with apt-get
# download at run time (cached under build/corpus-cache/). A corpus that
# cannot be fetched, or that holds no message, fails the test.

CORPUS_PACKAGES="golang-github-jhillyerd-enmime-dev libpython3.11-testsuite mailman3"
CORPUS_CACHE=$TOP/build/corpus-cache

# corpus_list FILE: write the path of every message, one a line, to FILE.
corpus_list() {
	out=$1
	mkdir -p "$CORPUS_CACHE" "$W/corpus"
	for p in $CORPUS_PACKAGES; do
		deb=$(ls "$CORPUS_CACHE/${p}_"*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			apt-cache show "$p" > /dev/null 2>&1 ||
				fail "corpus package $p is not known to apt (apt-get update?)"
			# apt's sandbox user cannot write into the cache: download as is
			(cd "$CORPUS_CACHE" && apt-get download -q "$p" > /dev/null 2>&1) ||
				fail "cannot download corpus package $p"
			deb=$(ls "$CORPUS_CACHE/${p}_"*.deb 2>/dev/null | head -n 1)
			[ -n "$deb" ] || fail "corpus package $p downloaded but not found"
		fi
		dpkg-deb -x "$deb" "$W/corpus/$p" || fail "cannot unpack $deb"
	done
	: > "$out"
	n_enmime=$(find "$W/corpus/golang-github-jhillyerd-enmime-dev" -path '*/enmime/testdata/*' \
		\( -path '*/low-quality/*' -o -path '*/mail/*' -o -path '*/parts/*' \) -type f \
		-name '*.raw' | LC_ALL=C sort | tee -a "$out" | wc -l)
	n_python=$(find "$W/corpus/libpython3.11-testsuite" -path '*/test_email/data/*' -type f \
		-name 'msg_*.txt' | LC_ALL=C sort | tee -a "$out" | wc -l)
	n_mailman=$(find "$W/corpus/mailman3" -path '*/mailman/*' -type f -name '*.eml' |
		LC_ALL=C sort | tee -a "$out" | wc -l)
	n_own=$(find "$TOP/tests/data" "$TOP/examples/inbox" -type f -name '*.eml' |
		LC_ALL=C sort | tee -a "$out" | wc -l)
	[ "$n_enmime" -ge 70 ] || fail "enmime corpus: $n_enmime messages, expected about 79"
	[ "$n_python" -ge 40 ] || fail "python email corpus: $n_python messages, expected about 47"
	[ "$n_mailman" -ge 10 ] || fail "mailman corpus: $n_mailman messages, expected about 13"
	[ "$n_own" -ge 20 ] || fail "own messages: $n_own, expected tests/data and examples/inbox"
	echo "corpus: $n_enmime enmime, $n_python python, $n_mailman mailman, $n_own own messages"
}
