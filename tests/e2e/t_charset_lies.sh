#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Charset lies, end to end through `essaim ingest` (issue 16, item 8): a form
# declared UTF-8 but written in Latin-1 (or Windows-1252) is read as the
# person wrote it, becomes an entry with its accents, and the confirmation
# says the accents were repaired; an honest UTF-8 form gets no such note.
. "$(dirname "$0")/lib.sh"
mkconf <<EOC
[mail]
transport = maildir:$W/out
EOC
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}

# form FROM NAME COMMUNE PHONE-LINE: an initiative's form, charset=utf-8 declared;
# the caller's bytes go through as they are (printf '\351' is a Latin-1 é).
form() {
	printf 'From: %s\nTo: dynamiques@ssa.example\nSubject: Inscription\n' "$1"
	printf 'Message-ID: <%s>\nMIME-Version: 1.0\n' "$1"
	printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
	printf 'Bonjour,\n\nType : initiative\nNom : %b\nStructure porteuse : %b\n' "$2" "$2"
	printf 'Statut de la structure : association\nCommune : %b\nCode postal : 84360\n' "$3"
	printf '%b\nDescription : Un comit%b citoyen de l%balimentation d%bcide.\n' \
	    "$4" '\351' '\222' '\351'
	printf 'Personne r%bf%brente : Camille Martin\nAdh%bsion %b la charte : oui\n' \
	    '\351' '\351' '\351' '\340'
}

# 1. Latin-1 bytes in a part declared UTF-8: the whole part is windows-1252
form latin1@example.org 'Communaut\351 d\222Entraide' 'Lauris' \
    '\311tat d\222avancement : en exp\351rimentation' | "$E" ingest
[ "$(db "SELECT outcome FROM messages WHERE message_id = 'latin1@example.org'")" = submitted ] ||
	fail "a Latin-1 form declared UTF-8 was not taken: $(db 'SELECT outcome FROM messages')"
[ "$(db "SELECT value FROM entry_fields WHERE key = 'nom'")" = "Communauté d’Entraide" ] ||
	fail "name stored as '$(db "SELECT value FROM entry_fields WHERE key = 'nom'")'"
[ "$(db "SELECT value FROM entry_fields WHERE key = 'etat'")" = "en expérimentation" ] ||
	fail "stage stored as '$(db "SELECT value FROM entry_fields WHERE key = 'etat'")'"
$MB body "$W/out" latin1@example.org 'Inscription reçue' > "$W/conf1"
grep -q 'nous avons rétabli les accents' "$W/conf1" || { cat "$W/conf1"; fail "the confirmation does not say the accents were repaired"; }
grep -q 'Communauté d’Entraide' "$W/conf1" || fail "the confirmation does not show the repaired name"
grep -q 'caractères illisibles\|illisible' "$W/conf1" && fail "the confirmation speaks of unreadable characters"
pass "a Latin-1 form declared UTF-8 is read, stored and the repair said"

# 2. one line in Latin-1 among UTF-8 lines: each invalid sequence is windows-1252,
# the UTF-8 kept as is
form mixed@example.org 'Le Potager des Cordeli\350res' 'Lauris' \
    'État d’avancement : en expérimentation' | "$E" ingest
[ "$(db "SELECT outcome FROM messages WHERE message_id = 'mixed@example.org'")" = submitted ] ||
	fail "a mixed UTF-8 / Latin-1 form was not taken"
[ "$(db "SELECT value FROM entry_fields f JOIN entries e ON e.id = f.entry_id WHERE e.submitter = 'mixed@example.org' AND key = 'nom'")" = "Le Potager des Cordelières" ] ||
	fail "mixed: name stored as '$(db "SELECT value FROM entry_fields f JOIN entries e ON e.id = f.entry_id WHERE e.submitter = 'mixed@example.org' AND key = 'nom'")'"
[ "$(db "SELECT value FROM entry_fields f JOIN entries e ON e.id = f.entry_id WHERE e.submitter = 'mixed@example.org' AND key = 'etat'")" = "en expérimentation" ] ||
	fail "mixed: the UTF-8 stage was not kept"
$MB body "$W/out" mixed@example.org 'Inscription reçue' | grep -q 'rétabli les accents' ||
	fail "mixed: the repair is not said"
pass "a Latin-1 line among UTF-8 lines: each sequence read as the person wrote it"

# 3. an honest UTF-8 form: no note
"$E" ingest < "$DATA/mail/initiative-lauris.eml"
$MB body "$W/out" camille.martin@aumaquis.example 'Inscription reçue' > "$W/conf3"
grep -q 'Au Maquis' "$W/conf3" || fail "no confirmation for the UTF-8 form"
grep -q 'accents' "$W/conf3" && fail "an honest UTF-8 form is told its accents were repaired"

# 4. English: the same repair, said in English
{
	printf 'From: en@example.org\nTo: dynamiques@ssa.example\nSubject: Registration\n'
	printf 'Message-ID: <en@example.org>\nMIME-Version: 1.0\n'
	printf 'Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n'
	printf 'Type: initiative\nName: Caf\351 solidaire\nOrganisation: Caf\351 solidaire\n'
	printf 'Legal status: association\nTown: Lauris\nPostcode: 84360\nStage: experimenting\n'
	printf 'Description: A citizens committee chooses the food that is covered.\n'
	printf 'Contact person: Camille Martin\nCharter: yes\n'
} | "$E" ingest
$MB body "$W/out" en@example.org 'Registration received' > "$W/conf4" ||
	fail "no English confirmation: $(db "SELECT outcome FROM messages WHERE message_id = 'en@example.org'")"
grep -q 'repaired the accents' "$W/conf4" || { cat "$W/conf4"; fail "the English confirmation does not say the accents were repaired"; }
grep -q 'Café solidaire' "$W/conf4" || fail "English: the name is not repaired"
pass "an honest UTF-8 form gets no note; the English confirmation says it in English"
