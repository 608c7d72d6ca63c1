#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The form as a document, end to end through `essaim ingest` (issue 16,
# item 9): a form attached as OpenDocument text (.odt) or Office Open XML
# (.docx) becomes an entry; a zip bomb, a lying zip, a zip of too many
# entries, an XML entity bomb and a file that is no zip are refused cleanly
# (ingest exits 0, no entry, bounded memory) and the answer names the
# attachment and asks for its text; so does a PDF. Test files:
# tests/data/documents/make.py. Run against build/essaim and the ASan build.
. "$(dirname "$0")/lib.sh"
DOCS=$DATA/documents
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
ATTACH="/usr/bin/python3 $TOP/tests/e2e/attach.py"
# ENGINES: the binaries run (both by default)
if [ -z "${ENGINES:-}" ]; then
	[ -x "$ESSAIM_ASAN" ] || fail "$ESSAIM_ASAN missing (make build/asan/essaim)"
	ENGINES="$ESSAIM $ESSAIM_ASAN"
fi

for E in $ENGINES; do
rm -rf "$W/data" "$W/out"
mkconf <<EOC
[mail]
transport = maildir:$W/out
EOC
nom() { db "SELECT f.value FROM entry_fields f JOIN entries e ON e.id = f.entry_id WHERE e.submitter = '$1' AND f.key = '$2'"; }
outcome() { db "SELECT outcome FROM messages WHERE message_id = '$1'"; }

# 1. an .odt form, sent as application/octet-stream (the name tells)
$ATTACH odt@example.org odt@example.org "Bonjour, voici notre inscription. Léa" "$DOCS/form.odt" |
	"$E" ingest || fail "ingest of an .odt form exited $?"
[ "$(outcome odt@example.org)" = submitted ] || fail "the .odt form: $(outcome odt@example.org)"
[ "$(nom odt@example.org nom)" = "Les Paniers de la Durance" ] || fail ".odt name: '$(nom odt@example.org nom)'"
[ "$(nom odt@example.org structure)" = "Association Durance Solidaire" ] ||
	fail ".odt organisation: '$(nom odt@example.org structure)'"
[ "$(nom odt@example.org commune)" = "Lauris" ] || fail ".odt: the comment's commune was read"
[ "$(nom odt@example.org etat)" = "en expérimentation" ] || fail ".odt stage: '$(nom odt@example.org etat)'"
$MB body "$W/out" odt@example.org 'Inscription reçue' | grep -q 'Les Paniers de la Durance' ||
	fail "no confirmation for the .odt form"
pass "an .odt form becomes an entry ($E)"

# 2. a .docx form as a two-column table, with its proper type
$ATTACH docx@example.org docx@example.org "Bonjour" "$DOCS/form-table.docx" \
    application/vnd.openxmlformats-officedocument.wordprocessingml.document | "$E" ingest ||
	fail "ingest of a .docx form exited $?"
[ "$(outcome docx@example.org)" = submitted ] || fail "the .docx form: $(outcome docx@example.org)"
[ "$(nom docx@example.org nom)" = "La Cantine" ] || fail ".docx name: '$(nom docx@example.org nom)'"
[ "$(nom docx@example.org structure)" = "des Quartiers Nord" ] ||
	fail ".docx: deleted text read: '$(nom docx@example.org structure)'"
[ "$(nom docx@example.org etat)" = "en fonctionnement" ] || fail ".docx stage: '$(nom docx@example.org etat)'"
pass "a .docx table form becomes an entry ($E)"

# 2b. a document with no form in it: the answer says it was read
$ATTACH letter@example.org letter@example.org "Bonjour" "$DOCS/letter.docx" | "$E" ingest
[ "$(outcome letter@example.org)" = no_form ] || fail "the letter: $(outcome letter@example.org)"
$MB body "$W/out" letter@example.org '' | tr '\n' ' ' > "$W/ans"
grep -q "Nous avons lu la pièce jointe « letter.docx », mais nous n'y avons trouvé aucune ligne" "$W/ans" ||
	{ cat "$W/ans"; fail "the answer to a letter in .docx does not say it was read"; }
grep -q "Nous n'avons pas pu lire" "$W/ans" && fail "the letter is said unread"
pass "a document without a form: the answer says it was read ($E)"

# 3. hostile documents: refused, the person asked to paste the text
for f in bomb.docx bomb-lying.odt many-entries.odt entities.docx not-a-zip.docx; do
	id="bad-$f@example.org"
	set +e
	# bounded memory: the 64 MiB bombs must not be inflated (no limit under ASan)
	if [ "$E" = "$ESSAIM" ]; then
		$ATTACH "$id" "$id" "Bonjour, ci-joint." "$DOCS/$f" | (ulimit -v 400000; "$E" ingest) 2> "$W/err"
	else
		$ATTACH "$id" "$id" "Bonjour, ci-joint." "$DOCS/$f" | "$E" ingest 2> "$W/err"
	fi
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || { cat "$W/err"; fail "$f: ingest exited $rc"; }
	[ "$(outcome "$id")" = no_form ] || fail "$f: outcome $(outcome "$id")"
	[ "$(db "SELECT count(*) FROM entries WHERE submitter = '$id'")" = 0 ] || fail "$f made an entry"
	grep -q "attachment $f not read: " "$W/err" || { cat "$W/err"; fail "$f: no reason logged"; }
	$MB body "$W/out" "$id" '' > "$W/ans"
	grep -q "Nous n'avons pas pu lire la pièce jointe « $f »" "$W/ans" ||
		{ cat "$W/ans"; fail "$f: the answer does not name the attachment"; }
done
grep -q 'larger than the limit once uncompressed' "$W/err" 2>/dev/null || true
pass "zip bombs, too many entries, an entity bomb and a non-zip are refused cleanly ($E)"

# 4. a PDF: one sentence; an English writer gets it in English too
printf '%%PDF-1.4\n%%fake\n' > "$W/formulaire.pdf"
$ATTACH pdf@example.org pdf@example.org "Bonjour" "$W/formulaire.pdf" application/pdf | "$E" ingest
$MB body "$W/out" pdf@example.org '' > "$W/ans"
[ "$(grep -c "Nous n'avons pas pu lire la pièce jointe" "$W/ans")" = 1 ] ||
	{ cat "$W/ans"; fail "a PDF is not named once"; }
grep -q "« formulaire.pdf »" "$W/ans" || fail "the PDF's name is missing"
# a form with an error, in English, with a PDF beside it
printf 'Name: Test\nTown: Lauris\n' > "$W/body.txt"
$ATTACH en@example.org en@example.org "$(cat "$W/body.txt")" "$W/formulaire.pdf" application/pdf | "$E" ingest
$MB body "$W/out" en@example.org '' > "$W/ans"
grep -q 'We could not read the attached "formulaire.pdf", please paste the text' "$W/ans" ||
	{ cat "$W/ans"; fail "the English answer does not name the PDF"; }
pass "a PDF gets one sentence, in French and in English ($E)"
done

# the reasons logged for each refusal
for f in bomb.docx:'larger than the limit once uncompressed' \
    bomb-lying.odt:'larger than the limit once uncompressed\|cannot be uncompressed' \
    many-entries.odt:'more entries than the limit' entities.docx:'declares a DTD' \
    not-a-zip.docx:'not a zip file'; do
	name=${f%%:*} why=${f#*:}
	id="bad-$name@example.org"
	$ATTACH "$id" "$id.2" "x" "$DOCS/$name" | "$ESSAIM" ingest 2> "$W/err"
	grep -q "attachment $name not read: .*\($why\)" "$W/err" || { cat "$W/err"; fail "$name: reason"; }
done
pass "each refusal says why in the log"

# libzip is loaded at run time, only by a message with a document attached
not_linked 'libzip' libzip
LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-plain" "$ESSAIM" ingest < "$DATA/mail/initiative-lauris.eml"
loaded plain > "$W/plain.libs"
grep -q 'libgmime' "$W/plain.libs" || fail "LD_DEBUG traced nothing"
if grep -E 'libzip|libxml2' "$W/plain.libs"; then fail "a plain-text ingest loaded libzip or libxml2"; fi
$ATTACH ld@example.org ld@example.org "Bonjour" "$DOCS/form.odt" |
	LD_DEBUG=files LD_DEBUG_OUTPUT="$W/ld-odt" "$ESSAIM" ingest
loaded odt | grep -q 'libzip' || fail "an .odt ingest did not load libzip"
pass "libzip is loaded only for an attached document"

# without libzip, a message with a document is kept for the MTA's retry
# (exit 75, outcome 'received', nothing answered), never answered as if it
# held no form; the retry with libzip reads it
mkconf <<EOC
[mail]
transport = maildir:$W/out-nolib
EOC
rm -f "$W/data/essaim.db"*
$ATTACH nolib@example.org nolib@example.org "Bonjour" "$DOCS/form.odt" > "$W/nolib.eml"
rc=0
ESSAIM_LIBZIP=/nonexistent/libzip.so.4 "$ESSAIM" ingest < "$W/nolib.eml" 2> "$W/nolib.err" || rc=$?
[ "$rc" -eq 75 ] || { cat "$W/nolib.err"; fail "ingest without libzip exited $rc, want 75"; }
grep -q 'cannot load /nonexistent/libzip.so.4' "$W/nolib.err" || { cat "$W/nolib.err"; fail "ingest does not say why"; }
[ "$(db "SELECT outcome FROM messages")" = received ] || fail "not left as received: $(db "SELECT outcome FROM messages")"
[ "$(db "SELECT count(*) FROM outbox")" = 0 ] || fail "something was answered without libzip"
"$ESSAIM" ingest < "$W/nolib.eml" 2> /dev/null || fail "the retry exited $?"
[ "$(db "SELECT outcome FROM messages")" = submitted ] || fail "the retry: $(db "SELECT outcome FROM messages")"
pass "without libzip a document is left for the retry, which reads it"
