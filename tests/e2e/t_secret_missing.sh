#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The secret behind every token is made on first use only. Once tokens were
# made with it, a missing secret is never silently made anew (that would
# break every outstanding token): ingest exits 75 and leaves the message
# received for the MTA's retry, `check` exits 78 naming the problem,
# `status` reports it. A damaged secret is a temporary failure too, never
# a message marked failed for good.
. "$(dirname "$0")/lib.sh"

export ESSAIM_NOW=1772442000
mkconf <<EOF2
[mail]
transport = maildir:$W/out
EOF2
S=$W/data/secret
# ingest_rc WANT FILE: ingest FILE (stderr in $W/ingest.log), fail unless it exits WANT
ingest_rc() {
	set +e
	"$ESSAIM" ingest < "$2" 2> "$W/ingest.log"
	got=$?
	set -e
	[ "$got" -eq "$1" ] || { cat "$W/ingest.log" >&2; fail "ingest $2 exited $got, want $1"; }
}
outcome() { db "SELECT outcome FROM messages WHERE message_id = '$1'"; }

[ ! -e "$S" ] || fail "a secret before the first use"
expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
[ -f "$S" ] || fail "no secret made on first use"
pass "first use: the secret is made"

mv "$S" "$W/secret.saved"
ingest_rc 75 "$DATA/mail/groupe-landes.eml"
[ ! -e "$S" ] || fail "the missing secret was made anew"
grep -q "secret file $S is missing" "$W/ingest.log" || { cat "$W/ingest.log" >&2; fail "ingest does not say why"; }
[ "$(outcome groupe-landes.1@mail.example.net)" = received ] || fail "the message is $(outcome groupe-landes.1@mail.example.net), not received"
[ "$(db "SELECT count(*) FROM entries")" -eq 1 ] || fail "an entry was made without the secret"
expect_rc 78 "$ESSAIM" check > "$W/check.out"
grep -q "secret file $S is missing, but tokens were made" "$W/check.out" || { cat "$W/check.out" >&2; fail "check does not name the problem"; }
expect_rc 1 "$ESSAIM" status > "$W/status.out"
grep -q "the secret file $S is missing" "$W/status.out" || fail "status does not report it"
[ -n "$(db "SELECT value FROM state WHERE key = 'secret.used'")" ] || fail "the first use is not recorded"
pass "secret missing after use: ingest 75 (message kept received), check 78, status says it"

cp "$W/secret.saved" "$S"
chmod 600 "$S"
expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/groupe-landes.eml"
[ "$(outcome groupe-landes.1@mail.example.net)" = submitted ] || fail "the retry gives $(outcome groupe-landes.1@mail.example.net)"
expect_rc 0 "$ESSAIM" check > /dev/null
pass "restored: the MTA's retry processes the message"

printf 'essaim-secret 1\ncurrent abc 0\n' > "$S"
ingest_rc 75 "$DATA/mail/groupe-landes-bis.eml"
[ "$(outcome groupe-landes-bis.1@mail.example.org)" = received ] ||
	fail "with a damaged secret the message is $(outcome groupe-landes-bis.1@mail.example.org), not received"
expect_rc 78 "$ESSAIM" check > "$W/check.out"
grep -q "not an essaim secret file" "$W/check.out" || fail "check does not name the damage"
cp "$W/secret.saved" "$S"
expect_rc 0 "$ESSAIM" ingest < "$DATA/mail/groupe-landes-bis.eml"
[ "$(outcome groupe-landes-bis.1@mail.example.org)" != received ] || fail "the retry left it received"
pass "damaged secret: 75, message kept received; restored, processed"

rm -f "$S"
expect_rc 0 "$ESSAIM" rotate-secret > "$W/rotate.out"
[ -f "$S" ] && grep -q "was missing: a new secret" "$W/rotate.out" || fail "rotate-secret does not make a new secret on request"
pass "rotate-secret makes a new one when the operator asks"
