#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Maildir transport after a crash between delivering a file and marking
# its row: the MTA's retry of ingest finds the row in doubt and delivers it
# again under the same name, which replaces the file the first attempt
# left: one copy in the Maildir. A reader who moved it to cur/ already is
# not given a second one either.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/intake-lib.sh"

export ESSAIM_NOW=1772442000
mkconf <<EOF2
[mail]
transport = maildir:$W/out
EOF2
copies() { grep -il "^Message-ID: <$1>" "$W"/out/new/* "$W"/out/cur/* 2> /dev/null | wc -l; }

mkmsg 1 > "$W/m1.eml"
ESSAIM_FAILPOINT=after-send-before-mark expect_rc 99 "$ESSAIM" ingest < "$W/m1.eml" 2> /dev/null
[ "$(ls "$W/out/new" | wc -l)" -eq 1 ] || fail "the first attempt did not deliver"
expect_rc 0 "$ESSAIM" ingest < "$W/m1.eml" 2> /dev/null
mid=$(db "SELECT message_id FROM outbox")
[ "$(copies "$mid")" -eq 1 ] || fail "$(copies "$mid") copies of $mid after the retry, want 1"
[ "$(db "SELECT status || ' ' || in_doubt FROM outbox")" = "sent 1" ] || fail "row: $(db "SELECT status, in_doubt FROM outbox")"
pass "crash after the Maildir delivery: the retry rewrites the same file, one copy"

mkmsg 2 > "$W/m2.eml"
ESSAIM_FAILPOINT=after-send-before-mark expect_rc 99 "$ESSAIM" ingest < "$W/m2.eml" 2> /dev/null
mid=$(db "SELECT message_id FROM outbox ORDER BY id DESC LIMIT 1")
# a mail reader takes it to cur/ before the retry
for f in "$W"/out/new/*; do
	grep -iq "^Message-ID: <$mid>" "$f" && mv "$f" "$W/out/cur/$(basename "$f"):2,S"
done
expect_rc 0 "$ESSAIM" ingest < "$W/m2.eml" 2> /dev/null
[ "$(copies "$mid")" -eq 1 ] || fail "$(copies "$mid") copies of $mid after the retry, want 1"
pass "already read (in cur/): not delivered again"
