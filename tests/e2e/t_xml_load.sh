#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# libxml2 is loaded at run time, by the first HTML-only message
# (src/base/xml_load.c): essaim is not linked with it, an `ingest` of plain text
# never loads it (nor ICU behind it), one of an HTML-only mail does. When it
# cannot be loaded (ESSAIM_LIBXML2, the test hook, naming a missing file),
# an HTML-only message is stored and left for the MTA's retry (exit 75,
# outcome 'received', the reason logged), never answered as if it held no
# form; the retry with libxml2 present reads it.
. "$(dirname "$0")/lib.sh"

NOLIB=/nonexistent/libxml2.so.2
HTML=$TOP/examples/inbox/03-gmail-html-only.eml
PLAIN=$TOP/examples/inbox/01-thunderbird-flowed-groupe.eml

not_linked 'libxml2|libicu' libxml2

mkconf < /dev/null
LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-plain" "$ESSAIM" ingest < "$PLAIN" || fail "ingest exited $?"
loaded plain > "$W/plain.libs"
grep -q 'libgmime' "$W/plain.libs" || fail "LD_DEBUG traced nothing: $(ls "$W")"
if grep -Ei 'libxml2|libicu' "$W/plain.libs"; then fail "a plain-text ingest loaded libxml2"; fi
pass "a plain-text ingest does not load libxml2"

answers=$(db "SELECT count(*) FROM outbox")
rc=0
ESSAIM_LIBXML2=$NOLIB "$ESSAIM" ingest < "$HTML" 2> "$W/html.err" || rc=$?
cat "$W/html.err"
[ "$rc" -eq 75 ] || fail "ingest without libxml2 exited $rc, want 75"
grep -q "cannot load $NOLIB: .*No such file" "$W/html.err" || fail "ingest does not say why"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = received ] ||
	fail "the message is not left as received: $(db "SELECT outcome, detail FROM messages")"
[ "$(db "SELECT count(*) FROM outbox")" -eq "$answers" ] ||
	fail "something was answered to the unread message: $(db "SELECT kind, recipient FROM outbox")"
pass "without libxml2 an HTML-only message is stored, not answered, and left for the retry"

LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-html" "$ESSAIM" ingest < "$HTML" || fail "retry exited $?"
loaded html > "$W/html.libs"
grep -q 'libxml2' "$W/html.libs" || fail "an HTML-only ingest did not load libxml2"
outcome=$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")
[ "$outcome" = submitted ] || fail "the retry gave $outcome: $(db "SELECT outcome, detail FROM messages")"
pass "the MTA's retry reads it with libxml2 (outcome $outcome)"
