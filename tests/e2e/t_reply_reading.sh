#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Replies read as people write them (issue 16, items 4, 11 and 13), end to
# end through `essaim ingest`: commands inside sentences, greetings and
# signatures skipped, thanks alone unanswered, negated or asked decisions
# never taken (one question back), and a moderator writing from another
# address: an alias counts as that moderator, a stranger holding a
# moderator's token is told how to add one and changes nothing.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example
aliases = paul.perso@gmail.example=m1@ssa.example
quorum_groupe = 2
[mail]
transport = maildir:$W/out
# one moderator asked back six times in a day: above the default cap of 5
max_answers_per_sender_per_day = 20
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
outcome() { db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1"; }
mails() { $MB count "$OUT" "$1" "${2:-}"; }
expect_status() { [ "$(status "$1")" = "$2" ] || fail "$3: entry $1 is $(status "$1"), want $2"; }
expect_outcome() { [ "$(outcome)" = "$1" ] || fail "$2: outcome $(outcome), want $1"; }

"$E" ingest < "$DATA/mail/groupe-landes.eml"		# entry 1 (groupe, quorum 2)
"$E" ingest < "$DATA/mail/initiative-lauris.eml"	# entry 2 (initiative, quorum 1)
"$E" ingest < "$DATA/mail/groupe-landes-bis.eml"	# entry 3 (groupe)
expect_status 1 pending "submitted"

# --- item 11: decisions in sentences, never a guessed yes -------------------
for text in 'Je ne valide pas' 'à valider par Paul ?' 'pas encore' 'Validé ?' \
    'Valide pas encore, on attend la charte' \
    'Bonjour,\n\nJe ne valide pas encore, j attends leur réponse.\n\nMarie'; do
	before=$(mails m2@ssa.example 'souhaitez-vous VALIDER')
	reply m2@ssa.example m2@ssa.example '#1 ' "$text"
	[ "$(votes 1)" = 0 ] || fail "'$text' counted as an approval"
	expect_outcome reply_unsure "'$text'"
	[ "$(mails m2@ssa.example 'souhaitez-vous VALIDER')" -gt "$before" ] ||
		fail "'$text': no question back"
done
# the question carries the token: answering it with a sentence decides
reply m2@ssa.example m2@ssa.example 'souhaitez-vous' 'Bonjour, je valide.'
expect_outcome decision "'Bonjour, je valide.'"
[ "$(votes 1)" = 1 ] || fail "'Bonjour, je valide.' not counted"
[ "$(db "SELECT moderator FROM votes WHERE entry_id = 1")" = m2@ssa.example ] || fail "vote of m2"
# Outlook's way: no '>' markers, the notification below a header block
SUBJ2=$($MB subject "$OUT" m2@ssa.example '#2 ')
{
	printf 'From: Marie Dupont <m2@ssa.example>\nTo: dynamiques@ssa.example\n'
	printf 'Subject: RE: %s\nMessage-ID: <outlook.1@test.example>\n' "$SUBJ2"
	printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
	printf 'Bonjour,\r\n\r\nJe refuse : hors charte\r\n\r\nCordialement,\r\nMarie Dupont\r\n\r\n'
	printf 'De : Dynamiques locales SSA <dynamiques@ssa.example>\r\n'
	printf 'Envoyé : lundi 9 mars 2026 10:00\r\nÀ : m2@ssa.example\r\nObjet : %s\r\n\r\n' "$SUBJ2"
	$MB body "$OUT" m2@ssa.example '#2 '
} | "$E" ingest
expect_status 2 rejected "'Je refuse : hors charte'"
$MB body "$OUT" camille.martin@aumaquis.example 'hors charte' > /dev/null ||
	fail "the reason did not reach the submitter"
pass "decisions in sentences"

# --- item 13: a moderator writing from another address ----------------------
SUBJ=$($MB subject "$OUT" m1@ssa.example '#1 ')
TOK1=$(echo "$SUBJ" | sed -n 's/.*\[essaim #1 \([a-z2-7]*\)\].*/\1/p')
[ -n "$TOK1" ] || fail "no token in '$SUBJ'"
# a stranger with m1's valid token: nothing changes, told how to add an alias
forgeries=$(db "SELECT count(*) FROM events WHERE kind = 'forgery'")
reply inconnu@ailleurs.example m1@ssa.example '#1 ' 'VALIDER'
[ "$(votes 1)" = 1 ] || fail "a stranger's vote counted"
expect_outcome reply_refused "a stranger with a moderator's token"
[ "$(db "SELECT count(*) FROM events WHERE kind = 'forgery'")" -gt "$forgeries" ] ||
	fail "the moderators were not told of the stranger"
BODY=$($MB body "$OUT" inconnu@ailleurs.example 'aliases')
echo "$BODY" | grep -q 'aliases = inconnu@ailleurs.example=' || fail "no alias line: $BODY"
echo "$BODY" | grep -q 'm…@ssa.example' || fail "the known address is not hinted: $BODY"
echo "$BODY" | grep -q 'essaim vous connaît' || fail "no French: $BODY"
if echo "$BODY" | grep -q 'm1@ssa.example'; then fail "the full moderator address was given away"; fi
if $MB subject "$OUT" inconnu@ailleurs.example 'aliases' | grep -q "$TOK1"; then
	fail "the token was sent to the stranger"
fi
# the alias, with the main address's token, is m1: the second vote approves
reply paul.perso@gmail.example m1@ssa.example '#1 ' 'Validé !\n\n-- \nPaul\nEnvoyé de mon iPhone'
expect_outcome decision "the alias"
expect_status 1 approved "quorum reached by m1 through the alias"
[ "$(db "SELECT count(*) FROM votes WHERE entry_id = 1 AND moderator = 'm1@ssa.example'")" = 1 ] ||
	fail "the alias's vote is not m1's"
pass "moderator aliases"

# a moderator's reply with field lines only corrects; it decides nothing
reply m2@ssa.example m2@ssa.example '#3 ' 'Bonjour,\n\nSite web : https://marsan.example.org\n\nMarie'
expect_status 3 pending "a correction alone"
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 3 AND key = 'site_web'")" = https://marsan.example.org ] ||
	fail "the moderator's correction was not stored"
for d in 'Inscription validée' 'Inscription non retenue'; do
	[ "$(mails sacha@example.org "$d")" = 0 ] || fail "a correction alone sent the submitter '$d'"
done
[ "$(db "SELECT count(*) FROM votes WHERE entry_id = 3")" = 0 ] || fail "a correction alone voted"

# --- item 4: the submitter's commands in sentences, thanks alone ------------
before=$(mails dominique.lafitte@orange.example)
reply dominique.lafitte@orange.example dominique.lafitte@orange.example '#1 ' 'Bonjour,\n\nMerci beaucoup, bonne journée !\n\nDominique'
expect_outcome reply_thanks "thanks alone"
[ "$(mails dominique.lafitte@orange.example)" = "$before" ] || fail "thanks alone got an answer"
# field lines come before thanks
reply dominique.lafitte@orange.example dominique.lafitte@orange.example '#1 ' 'Bonjour,\n\nSite web : https://ssa40.example.org\n\nMerci beaucoup !\nDominique'
expect_outcome correction "a field line between greetings and thanks"
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'site_web'")" = https://ssa40.example.org ] ||
	fail "the field line under a greeting was not read"
reply dominique.lafitte@orange.example dominique.lafitte@orange.example '#1 ' 'Bonjour,\n\nRETIRER\n\nMerci, Léa'
expect_status 1 withdrawn "'Bonjour, RETIRER, Merci, Léa'"
reply sacha@example.org sacha@example.org '#3 ' 'Bonjour,\nPouvez-vous retirer notre fiche ?\nSacha'
expect_outcome reply_unsure "a withdrawal asked as a question"
expect_status 3 pending "a question is not a withdrawal"
$MB body "$OUT" sacha@example.org 'RETIRER votre inscription' > /dev/null || fail "no question back"
reply sacha@example.org sacha@example.org 'RETIRER votre' 'Je souhaite retirer notre inscription'
expect_status 3 withdrawn "'Je souhaite retirer notre inscription'"
pass "submitter commands in sentences"
