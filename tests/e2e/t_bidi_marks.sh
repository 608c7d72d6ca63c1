#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The invisible direction marks (LRM U+200E, RLM U+200F, ALM U+061C) are
# refused in a form like the other bidirectional controls: the form is
# invalid, no entry is made, the sender is told which field.
. "$(dirname "$0")/lib.sh"

export ESSAIM_NOW=1772442000
mkconf <<EOF2
[mail]
transport = maildir:$W/out
EOF2
# the same form without a mark is taken: the refusal below is the mark's
expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
[ "$(db "SELECT count(*) FROM entries")" -eq 1 ] || fail "the clean form made no entry"
for m in rlm lrm alm; do
	expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/bidi-$m.eml"
	got=$(db "SELECT outcome FROM messages WHERE message_id = 'bidi-$m@mail.example.net'")
	[ "$got" = invalid ] || fail "$m: outcome '$got', want invalid"
	n=$(db "SELECT count(*) FROM entries e JOIN entry_fields f ON f.entry_id = e.id
		WHERE f.key = 'nom' AND (instr(f.value, char(8206)) OR instr(f.value, char(8207))
		OR instr(f.value, char(1564)))")
	[ "$n" -eq 0 ] || fail "$m: a name holds a direction mark"
	pass "$m: the form is refused"
done
[ "$(db "SELECT count(*) FROM entries")" -eq 1 ] || fail "an entry was made from a marked form"
grep -l 'Nom' "$W"/out/new/* > /dev/null || fail "no answer names the field"
pass "direction marks never reach a name"
