#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The conversation with a hurried submitter (issue 16): every problem in one
# answer (a bad stage and a postcode of another commune together); `set`
# runs the form's checks; a reply carrying only the fix completes the
# earlier attempt (its draft), from the same address only; drafts are not
# entries and expire with the retention period.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example
[mail]
transport = maildir:$W/out
EOF2
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
LAURIS="$DATA/mail/initiative-lauris.eml"
ME=camille.martin@aumaquis.example

# 1. a bad stage and a commune that is not of its postcode: one answer
sed -e 's/^Message-ID: .*/Message-ID: <bad1@example.org>/' -e 's/^État d.avancement : .*/État d'"'"'avancement : bientôt/' \
	-e 's/^Code postal : .*/Code postal : 34000/' "$LAURIS" | "$E" ingest
[ "$($MB count "$W/out" $ME)" = 1 ] || fail "not one answer to the bad form"
body=$($MB body "$W/out" $ME "")
echo "$body" | grep -q "« bientôt » n'est pas une valeur possible" || fail "the stage is not named: $body"
echo "$body" | grep -q "n'est pas une commune du code postal 34000" ||
	fail "the postcode is not named with the stage: $body"
[ "$(db 'SELECT count(*) FROM entries')" = 0 ] || fail "an invalid form became an entry"
pass "a bad stage and a wrong postcode in one answer"

# 14. `set` runs the form's checks: a commune that is not of the postcode
"$E" ingest < "$LAURIS"
[ "$(db 'SELECT count(*) FROM entries')" = 1 ] || fail "the valid form made no entry"
events=$(db 'SELECT count(*) FROM events')
expect_rc 65 "$E" set 1 commune=Lyon
"$E" set 1 commune=Lyon 2> "$W/set.err" || true
grep -q "is not a town of postcode 84360" "$W/set.err" || fail "set: $(cat "$W/set.err")"
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = 1 AND key = 'commune'")" = Lauris ] ||
	fail "set stored a commune of another postcode"
# the kind's rules too: a group must say it is nonprofit
expect_rc 65 "$E" set 1 type=groupe
# a value equal to the current one is no correction: no event
expect_rc 65 "$E" set 1 commune=Lauris
[ "$(db 'SELECT count(*) FROM events')" = "$events" ] || fail "a refused set left an event"
# and a good one passes
expect_rc 0 "$E" set 1 "code_postal=84360" "commune=Lauris" "adresse=1 rue du Four"
pass "set runs the form's validation and place checks"

# 2. a reply carrying only the fix completes the earlier attempt
DA=dana@example.org
sed -e 's/^Message-ID: .*/Message-ID: <draft1@example.org>/' -e "s/^From: .*/From: Dana <$DA>/" \
	-e 's/^Nom : .*/Nom : Épicerie de Dana/' -e '/^État d.avancement/d' "$LAURIS" |
	ESSAIM_NOW=1772000000 "$E" ingest
$MB body "$W/out" $DA "" | grep -q "État d'avancement" || fail "the missing stage not reported"
[ "$(db "SELECT count(*) FROM drafts WHERE sender = '$DA'")" = 1 ] || fail "the invalid attempt left no draft"
# a draft is not an entry: list, show and export never see it
"$E" list | grep -q "Dana" && fail "list shows a draft: $("$E" list)"
expect_rc 65 "$E" show 2
"$E" export | grep -q "Dana" && fail "export shows a draft"
# someone else replying with the fix does not complete Dana's draft
$MB reply "$W/out" $DA "" "Eve <eve@example.org>" "État d'avancement : en fonctionnement" \
	"<eve1@example.org>" noquote | "$E" ingest
[ "$(db "SELECT count(*) FROM entries WHERE submitter = 'eve@example.org'")" = 0 ] ||
	fail "another address completed a draft"
# Dana's fix alone (her phone quotes nothing): the draft gives the rest
$MB reply "$W/out" $DA "" "Dana <$DA>" "État d'avancement : en fonctionnement" \
	"<draft2@example.org>" noquote | "$E" ingest
[ "$(db "SELECT count(*) FROM entries WHERE submitter = '$DA'")" = 1 ] ||
	fail "the fix did not complete the draft: $($MB body "$W/out" $DA "")"
[ "$(db "SELECT value FROM entry_fields f JOIN entries e ON e.id = f.entry_id WHERE e.submitter = '$DA' AND key = 'nom'")" = "Épicerie de Dana" ] ||
	fail "the draft's fields were not kept"
[ "$(db "SELECT count(*) FROM drafts WHERE sender = '$DA'")" = 0 ] || fail "a completed draft stayed"
$MB body "$W/out" $DA "" | grep -q "Épicerie de Dana" || fail "no confirmation of the completed form"
# the same in one fetch of a Maildir, where the read-ahead thread reads and
# validates each form before the draft is looked up: the fix alone is
# invalid, the form it completes is valid and must be validated again
GA=gabi@example.org
sed -e 's/^Message-ID: .*/Message-ID: <gabi1@example.org>/' -e "s/^From: .*/From: Gabi <$GA>/" \
	-e 's/^Nom : .*/Nom : Cantine de Gabi/' -e '/^État d.avancement/d' "$LAURIS" |
	ESSAIM_NOW=1772000000 "$E" ingest
[ "$(db "SELECT count(*) FROM drafts WHERE sender = '$GA'")" = 1 ] || fail "Gabi's attempt left no draft"
MD=$W/maildir
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
$MB reply "$W/out" $GA "" "Gabi <$GA>" "État d'avancement : en fonctionnement" \
	"<gabi2@example.org>" noquote > "$MD/new/1.gabi"
sed -e 's/^Message-ID: .*/Message-ID: <hana1@example.org>/' -e "s/^From: .*/From: Hana <hana@example.org>/" \
	-e 's/^Nom : .*/Nom : Jardin de Hana/' "$LAURIS" > "$MD/new/2.hana"
printf '[intake]\nmaildir = %s\n' "$MD" >> "$W/essaim.conf"
"$E" fetch || fail "fetch exited $?"
[ "$(ls "$MD/new" | wc -l)" = 0 ] || fail "fetch left messages in new/"
[ "$(db "SELECT count(*) FROM entries WHERE submitter = '$GA'")" = 1 ] ||
	fail "the fix fetched did not complete the draft: $(db "SELECT outcome FROM messages WHERE message_id LIKE 'gabi2%'")"
[ "$(db "SELECT count(*) FROM drafts WHERE sender = '$GA'")" = 0 ] || fail "Gabi's completed draft stayed"
[ "$(db "SELECT count(*) FROM entries WHERE submitter = 'hana@example.org'")" = 1 ] ||
	fail "the other form of the fetch made no entry"
pass "a fix fetched with another message completes its draft (validated again)"
# drafts expire with the retention period (180 days by default)
sed -e 's/^Message-ID: .*/Message-ID: <draft3@example.org>/' -e "s/^From: .*/From: Fanny <fanny@example.org>/" \
	-e '/^Commune/d' "$LAURIS" | ESSAIM_NOW=1772000000 "$E" ingest
[ "$(db "SELECT count(*) FROM drafts WHERE sender = 'fanny@example.org'")" = 1 ] || fail "no draft for Fanny"
"$E" purge > /dev/null
[ "$(db "SELECT count(*) FROM drafts WHERE sender = 'fanny@example.org'")" = 0 ] || fail "an old draft was not purged"
# and with the address, when it is erased
sed -e 's/^Message-ID: .*/Message-ID: <draft4@example.org>/' -e "s/^From: .*/From: Hugo <hugo@example.org>/" \
	-e '/^Commune/d' "$LAURIS" | "$E" ingest
[ "$(db "SELECT count(*) FROM drafts WHERE sender = 'hugo@example.org'")" = 1 ] || fail "no draft for Hugo"
"$E" erase hugo@example.org > /dev/null 2>&1 || true
[ "$(db "SELECT count(*) FROM drafts WHERE sender = 'hugo@example.org'")" = 0 ] || fail "an erased address kept its draft"
pass "a reply with only the fix completes the draft, from the same address only"

# 3. the form edited inside the quoted answer: essaim's own words are not read
GA=gael@example.org
sed -e 's/^Message-ID: .*/Message-ID: <quote1@example.org>/' -e "s/^From: .*/From: Gaël <$GA>/" \
	-e 's/^Nom : .*/Nom : Marché de Gaël/' -e 's/^Commune : .*/Commune : Lyon/' "$LAURIS" | "$E" ingest
$MB body "$W/out" $GA "" | grep -q "n'est pas une commune du code postal" || fail "Gaël's commune not reported"
# the draft goes, so that only the quote can complete the form
db "DELETE FROM drafts WHERE sender = '$GA'"
$MB body "$W/out" $GA "" | sed -e 's/^Commune : Lyon$/Commune : Lauris/' > "$W/edited.txt"
grep -q "^Commune : Lauris" "$W/edited.txt" || fail "the answer holds no pre-filled commune"
$MB reply "$W/out" $GA "" "Gaël <$GA>" "Voilà, c'est corrigé dans votre message." \
	"<quote2@example.org>" > "$W/reply.eml"
# the same reply, but the quote holds the edited form
/usr/bin/python3 - "$W/reply.eml" "$W/edited.txt" <<'PY' | "$E" ingest
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
edited = open(sys.argv[2], encoding="utf-8").read()
fresh = m.get_content().split("\n\n")[0]
m.set_content(fresh + "\n\nLe lun. 9 mars 2026, Dynamiques a écrit :\n" +
              "\n".join("> " + l for l in edited.splitlines()) + "\n")
sys.stdout.write(m.as_string())
PY
[ "$(db "SELECT count(*) FROM entries WHERE submitter = '$GA'")" = 1 ] ||
	fail "the form edited in the quote was not taken: $($MB body "$W/out" $GA "")"
conf=$($MB body "$W/out" $GA "Marché de Gaël")
echo "$conf" | grep -q "ne correspond à aucun champ" && fail "essaim read its own sentences: $conf"
echo "$conf" | grep -q "deux fois" && fail "essaim read its own list of problems: $conf"
pass "the form edited inside the quoted answer, essaim's own words ignored"
