#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# French as a French person writes it, end to end through `essaim ingest`
# (issue 16, item 10): after forms, a forged decision, a vote, a withdrawal,
# a decision on a withdrawn entry, an approval from the command line and
# forms with one and with several problems, every French mail essaim wrote
# holds no English word (tests/data/english-words.txt), no « (s) », no
# nested brackets in its subject; counts agree in number; the audit log keeps
# its English.
. "$(dirname "$0")/lib.sh"
mkconf <<EOC
[moderation]
moderators = m1@ssa.example; m2@ssa.example
quorum_groupe = 2
[mail]
transport = maildir:$W/out
EOC
OUT=$W/out
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
n=0
reply() {
	n=$((n + 1))
	$MB reply "$OUT" "$2" "$3" "$1" "$4" "<reply.$n@test.example>" | "$E" ingest
}
body() { $MB body "$OUT" "$1" "$2" | tr '\n' ' ' | tr -s ' '; }

"$E" ingest < "$DATA/mail/groupe-landes.eml"		# entry 1 (groupe, quorum 2)
"$E" ingest < "$DATA/mail/initiative-lauris.eml"	# entry 2 (initiative)

# a stranger replies with m1's token: the moderators read why, in French
reply intrus@evil.example m1@ssa.example '#1 ' 'VALIDER'
body m2@ssa.example 'refusée' > "$W/forgery"
grep -q "Motif : l'expéditeur n'est ni une personne modératrice ni la personne inscrite" "$W/forgery" ||
	{ cat "$W/forgery"; fail "the forgery notice does not say why in French"; }
grep -q 'valid token from an address' "$W/forgery" && fail "the forgery notice speaks English"
# the audit log keeps the English detail
db "SELECT detail FROM events WHERE kind = 'forgery'" | grep -q '^from intrus@evil.example: a moderator.s valid token from an address' ||
	fail "the audit log lost its English detail: $(db "SELECT detail FROM events WHERE kind = 'forgery'")"
pass "a refused decision is explained in French; the audit log keeps English"

# a vote of a groupe's quorum of 2: « 2 nécessaires »
reply m1@ssa.example m1@ssa.example '#1 ' 'VALIDER'
body m2@ssa.example 'validation enregistrée' | grep -q 'validation enregistrée, 2 nécessaires pour publier' ||
	fail "the vote's broadcast: $(body m2@ssa.example 'validation enregistrée')"

# the submitter withdraws entry 2: « retirée par la personne qui l'a inscrite »
reply camille.martin@aumaquis.example camille.martin@aumaquis.example '#2 ' 'RETIRER'
body m1@ssa.example 'retirée' > "$W/withdrawn"
grep -q "retirée par la personne qui l'a inscrite" "$W/withdrawn" ||
	{ cat "$W/withdrawn"; fail "the withdrawal broadcast does not name the submitter in French"; }
grep -q 'par submitter' "$W/withdrawn" && fail "« par submitter »"
# a moderator decides on it: « déjà été décidée : retirée, par la personne… »
reply m1@ssa.example m1@ssa.example '#2 ' 'VALIDER'
body m1@ssa.example 'rien changé' > "$W/already"
grep -q "déjà été décidée : retirée, par la personne qui l'a inscrite" "$W/already" ||
	{ cat "$W/already"; fail "the already-decided answer"; }
grep -q 'T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' "$W/already" && fail "a raw ISO time in a French mail"
pass "actors and times are written in French"

# an approval from the command line
"$E" approve 1 > /dev/null
body m2@ssa.example 'validée' | grep -q "validée par l'équipe qui administre essaim, compte $(id -un)" ||
	fail "the operator is not named in French: $(body m2@ssa.example 'validée')"

# forms with one problem and with several: « 1 point », « 3 points »
printf 'From: a@example.org\nTo: dynamiques@ssa.example\nSubject: x\nMessage-ID: <one@t>\n\nType : initiative\nNom : Le Fournil\nStructure porteuse : Le Fournil\nStatut de la structure : association\nCommune : Lauris\nCode postal : 84360\nDescription : Un fournil coopératif et ses paniers.\nPersonne référente : Ana\nAdhésion à la charte : oui\n' | "$E" ingest
body a@example.org 'compléter' | grep -q 'inscription : 1 point à corriger' ||
	fail "one problem: $(body a@example.org 'compléter')"
printf 'From: b@example.org\nTo: dynamiques@ssa.example\nSubject: x\nMessage-ID: <three@t>\n\nType : initiative\nNom : Le Fournil\nCommune : Lauris\n' | "$E" ingest
body b@example.org 'compléter' | grep -Eq 'inscription : [2-9] points à corriger' ||
	fail "several problems: $(body b@example.org 'compléter')"
pass "counts agree: « 1 point », « N points »"

# every French mail written above
/usr/bin/python3 "$TOP/tests/e2e/french_words.py" "$OUT" 12 > "$W/checked" ||
	{ cat "$W/checked"; fail "English, « (s) » or nested brackets in a French mail"; }
pass "$(wc -l < "$W/checked") French mails hold no English word, no « (s) », no nested brackets"
