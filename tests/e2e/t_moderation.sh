#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Moderation by e-mail, end to end through `essaim ingest`: quorum, refusal,
# hold, note, corrections, withdrawal, erasure; and every forgery leaves the
# entry unchanged.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example; m3@ssa.example
quorum_groupe = 2
[mail]
transport = maildir:$W/out
EOF2
OUT=$W/out
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
n=0
# reply FROM TO-WHOM TEXT-IN-MAIL BODY: answer the newest mail to TO-WHOM
reply() {
	n=$((n + 1))
	$MB reply "$OUT" "$2" "$3" "$1" "$4" "<reply.$n@test.example>" | "$E" ingest
}
status() { db "SELECT status FROM entries WHERE id = $1"; }
votes() { db "SELECT count(*) FROM votes WHERE entry_id = $1 AND decision = 'approve'"; }
expect_status() { [ "$(status "$1")" = "$2" ] || fail "$3: entry $1 is $(status "$1"), want $2"; }

"$E" ingest < "$DATA/mail/groupe-landes.eml"		# entry 1 (groupe, quorum 2)
"$E" ingest < "$DATA/mail/initiative-lauris.eml"	# entry 2 (initiative, quorum 1)
expect_status 1 pending "submitted"
for m in m1 m2 m3; do
	[ "$($MB count "$OUT" $m@ssa.example '#1 ')" = 1 ] || fail "$m has no notification for #1"
done
[ "$($MB count "$OUT" dominique.lafitte@orange.example '#1 ')" = 1 ] || fail "no confirmation"
SUBJ1=$($MB subject "$OUT" m1@ssa.example '#1 ')
TOK1=$(echo "$SUBJ1" | sed -n 's/.*\[essaim #1 \([a-z2-7]*\)\].*/\1/p')
[ -n "$TOK1" ] || fail "no token in '$SUBJ1'"
forgeries=0
forgery_told() {
	forgeries=$((forgeries + 1))
	got=$(db "SELECT count(*) FROM events WHERE kind = 'forgery'")
	[ "$got" = "$forgeries" ] || fail "$1: $got forgery events, want $forgeries"
	[ "$($MB count "$OUT" m2@ssa.example 'refus')" -ge "$forgeries" ] ||
		fail "$1: moderators not told"
}

# --- forgeries: none changes the entry ---------------------------------
# 1. From spoofed by a non-moderator, with m1's valid token
reply intrus@evil.example m1@ssa.example '#1 ' 'VALIDER'
expect_status 1 pending "spoofed From"; [ "$(votes 1)" = 0 ] || fail "spoofed vote counted"
forgery_told "spoofed From"
# 2. m1's token of another entry used for #1
SUBJ2=$($MB subject "$OUT" m1@ssa.example '#2 ')
TOK2=$(echo "$SUBJ2" | sed -n 's/.*\[essaim #2 \([a-z2-7]*\)\].*/\1/p')
printf 'From: m1@ssa.example\nTo: dynamiques@ssa.example\nSubject: Re: [essaim #1 %s]\nMessage-ID: <f2@t>\n\nVALIDER\n' "$TOK2" | "$E" ingest
expect_status 1 pending "token of another entry"; forgery_told "token of another entry"
# 3. another moderator's token
printf 'From: m2@ssa.example\nTo: dynamiques@ssa.example\nSubject: Re: [essaim #1 %s]\nMessage-ID: <f3@t>\n\nVALIDER\n' "$TOK1" | "$E" ingest
expect_status 1 pending "another moderator's token"; forgery_told "another moderator's token"
# 4. a tampered token
BAD=$(echo "$TOK1" | sed 's/^\(.\{10\}\)./\1q/'); [ "$BAD" != "$TOK1" ] || BAD=$(echo "$TOK1" | sed 's/^\(.\{10\}\)./\1r/')
printf 'From: m1@ssa.example\nTo: dynamiques@ssa.example\nSubject: Re: [essaim #1 %s]\nMessage-ID: <f4@t>\n\nVALIDER\n' "$BAD" | "$E" ingest
expect_status 1 pending "tampered token"; forgery_told "tampered token"
# 5. an expired token (the clock moved a year on)
ESSAIM_NOW=$(( $(date +%s) + 400 * 86400 )) reply m1@ssa.example m1@ssa.example '#1 ' 'VALIDER'
expect_status 1 pending "expired token"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = token_expired ] || fail "expired token not recognised"
# 6. a moderator's reply without token is not a decision (nor an entry)
printf 'From: m1@ssa.example\nTo: dynamiques@ssa.example\nSubject: Re: Collectif SSA 40\nMessage-ID: <f6@t>\n\nVALIDER\n' | "$E" ingest
expect_status 1 pending "no token"; [ "$(db 'SELECT count(*) FROM entries')" = 2 ] || fail "no-token reply made an entry"
# 7. a spoofed reply quoting the whole notification, with a form in it
reply intrus@evil.example m1@ssa.example '#1 ' 'Type : groupe\nNom : Faux groupe\nCommune : Lauris\nCode postal : 84360'
expect_status 1 pending "quoted notification"; forgery_told "quoted notification"
[ "$(db 'SELECT count(*) FROM entries')" = 2 ] || fail "a quoted notification became an entry"
# 8. several mailboxes in From
printf 'From: m1@ssa.example, intrus@evil.example\nTo: dynamiques@ssa.example\nSubject: Re: [essaim #1 %s]\nMessage-ID: <f8@t>\n\nVALIDER\n' "$TOK1" | "$E" ingest
expect_status 1 pending "two senders"; [ "$(votes 1)" = 0 ] || fail "multi-From vote counted"

# --- quorum, hold, note, replay --------------------------------------------
reply m1@ssa.example m1@ssa.example '#1 ' 'VALIDER'
expect_status 1 pending "first approval of a groupe"; [ "$(votes 1)" = 1 ] || fail "m1 vote"
# the same decision replayed under a new Message-ID does not count twice
reply m1@ssa.example m1@ssa.example '#1 ' 'VALIDER'
expect_status 1 pending "replayed approval"; [ "$(votes 1)" = 1 ] || fail "replay counted"
# the very same message redelivered changes nothing either
last=$(db "SELECT id FROM messages ORDER BY id DESC LIMIT 1")
$MB reply "$OUT" m1@ssa.example '#1 ' m1@ssa.example 'VALIDER' "<reply.$n@test.example>" | "$E" ingest
[ "$(db "SELECT id FROM messages ORDER BY id DESC LIMIT 1")" = "$last" ] || fail "redelivery stored twice"
reply m2@ssa.example m2@ssa.example '#1 ' 'ATTENDRE : on les appelle'
expect_status 1 pending "hold"
reply m3@ssa.example m3@ssa.example '#1 ' 'NOTE : je connais ce collectif'
[ "$(db "SELECT count(*) FROM events WHERE entry_id = 1 AND kind = 'note' AND detail = 'je connais ce collectif'")" = 1 ] || fail "note not recorded"
[ "$($MB count "$OUT" dominique.lafitte@orange.example 'je connais')" = 0 ] || fail "note reached the submitter"
[ "$($MB count "$OUT" m1@ssa.example 'je connais')" = 1 ] || fail "note not shared with moderators"
# a moderator's correction under the command
# (a change of content: m1's approval was for the earlier version, so m3's
# VALIDER is the only approval of this one, and the moderators see the change)
reply m3@ssa.example m3@ssa.example '#1 ' 'VALIDER\nSite web : https://ssa40.example.org'
expect_status 1 pending "a correction begins a new round"
$MB body "$OUT" m1@ssa.example 'ssa40.example.org' | grep -q '→' || fail "the change is not shown to the moderators"
reply m1@ssa.example m1@ssa.example '#1 ' 'VALIDER'
expect_status 1 approved "quorum of two"
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'site_web'")" = https://ssa40.example.org ] || fail "moderator correction"
[ "$($MB count "$OUT" dominique.lafitte@orange.example 'valid')" -ge 1 ] || fail "submitter not told of approval"
# a late decision: already decided
reply m2@ssa.example m2@ssa.example '#1 ' 'REFUSER : trop tard'
expect_status 1 approved "late refusal"
$MB body "$OUT" m2@ssa.example 'déjà été décidée' | grep 'm1@ssa.example' >/dev/null || fail "no 'already decided by' answer"

# --- refusal with a reason ---------------------------------------------------
reply m2@ssa.example m2@ssa.example '#2 ' 'REFUSER : pas de lien avec la SSA pour le moment'
expect_status 2 rejected "refusal"
$MB body "$OUT" camille.martin@aumaquis.example 'pas de lien avec la SSA' >/dev/null || fail "reason not sent to submitter"

# --- submitter follow-ups ----------------------------------------------------
# correction after approval: back to moderation, moderators notified again
before=$($MB count "$OUT" m1@ssa.example 'modérer')
reply dominique.lafitte@orange.example dominique.lafitte@orange.example 'valid' 'Territoire : Landes et Pays basque'
expect_status 1 pending "correction after approval"
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'territoire'")" = "Landes et Pays basque" ] || fail "correction not stored"
[ "$($MB count "$OUT" m1@ssa.example 'modérer')" -gt "$before" ] || fail "moderators not notified again"
[ "$(votes 1)" = 2 ] || true
# withdrawal; a withdrawn entry can no longer be approved
reply dominique.lafitte@orange.example dominique.lafitte@orange.example '#1 ' 'RETIRER'
expect_status 1 withdrawn "withdrawal"
reply m1@ssa.example m1@ssa.example '#1 ' 'VALIDER'
expect_status 1 withdrawn "approval after withdrawal"
# erasure: no trace of the person remains; a redelivery does not recreate it
reply camille.martin@aumaquis.example camille.martin@aumaquis.example '#2 ' 'SUPPRIMER'
expect_status 2 erased "erasure"
for pat in camille 'Camille Martin' aumaquis; do
	hits=$(sqlite3 "$W/data/essaim.db" .dump | grep -ci "$pat" || true)
	[ "$hits" = 0 ] || fail "erasure left '$pat' in the database ($hits lines)"
done
"$E" ingest < "$DATA/mail/initiative-lauris.eml"
[ "$(db 'SELECT count(*) FROM entries')" = 2 ] || fail "redelivery recreated an erased entry"
pass "moderation paths and forgeries"
