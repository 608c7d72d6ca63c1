#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Without any config, answers go to the Maildir outbox under
# $XDG_DATA_HOME/essaim, right after ingest's commit; `send` has nothing left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_smtp.sh"

export ESSAIM_NOW=1767225600
# built-in defaults, except the size limit (the config file only sets that)
cat > "$W/essaim.conf" <<EOF2
[intake]
max_message_bytes = 2k
EOF2
export ESSAIM_CONFIG="$W/essaim.conf"
too_large_mail 'Élodie <elodie@example.org>' 'Grosse pièce jointe' > "$W/a.eml"
expect_rc 0 "$ESSAIM" ingest < "$W/a.eml"
out="$XDG_DATA_HOME/essaim/outbox/new"
[ "$(ls "$out" | wc -l)" -eq 1 ] || fail "no mail in $out"
dbf="$W/essaim.db"	# relative to the config file
[ "$(sqlite3 "$dbf" "SELECT status FROM outbox")" = sent ] || fail "row not marked sent"
# the envelope sender first, as a delivering MTA writes it
[ "$(head -n 1 "$out"/*)" = "Return-Path: <$(sqlite3 "$dbf" "SELECT envelope_from FROM outbox")>" ] ||
	fail "Return-Path: $(head -n 1 "$out"/*)"
# a Maildir file has local line ends; put CRLF back to read it as on the wire
# (where the Return-Path line is not: the delivering MTA adds it)
sed -e '1d' -e 's/$/\r/' "$out"/* > "$W/wire.eml"
mailcheck "$W/wire.eml" auto-replied > "$W/parsed" || fail "mail client check failed"
grep -q '^Subject: Re: Message trop volumineux$' "$W/parsed" || fail "$(grep Subject "$W/parsed")"
grep -q '^To: elodie@example.org$' "$W/parsed" || fail "$(grep '^To' "$W/parsed")"
grep -q 'dépasse la taille que nous acceptons' "$W/parsed" || fail "French body"
expect_rc 0 "$ESSAIM" send
[ "$(ls "$out" | wc -l)" -eq 1 ] || fail "sent twice"
pass "default Maildir outbox filled by ingest, once"
