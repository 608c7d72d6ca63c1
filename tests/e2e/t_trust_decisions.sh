#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Forged decisions, end to end through `essaim ingest` (issue: trust):
# Authentication-Results read once and aligned with From, two From fields,
# approvals that do not survive a change of content, a form sent again
# without a token, the hourly cap on forgery notices, decisions sent as
# bulk mail, and answer caps that strangers cannot exhaust for others.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example; m3@ssa.example
quorum_groupe = 2
require_authentication_results = true
authserv_id = mx.ssa.example
[mail]
transport = maildir:$W/out
max_answers_per_hour = 3
EOF2
OUT=$W/out
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
n=0
# reply_ar FROM TO-WHOM TEXT-IN-MAIL BODY AR: answer the newest mail to
# TO-WHOM, with AR as the topmost header (empty: none)
reply_ar() {
	n=$((n + 1))
	$MB reply "$OUT" "$2" "$3" "$1" "$4" "<reply.$n@test.example>" > "$W/reply.eml"
	if [ -n "${5:-}" ]; then
		{ printf '%s\n' "$5"; cat "$W/reply.eml"; } | "$E" ingest
	else
		"$E" ingest < "$W/reply.eml"
	fi
}
GOOD='Authentication-Results: mx.ssa.example; dkim=pass header.d=ssa.example; spf=pass smtp.mailfrom=ssa.example'
status() { db "SELECT status FROM entries WHERE id = $1"; }
approvals() { db "SELECT count(*) FROM votes v JOIN entries e ON e.id = v.entry_id WHERE v.entry_id = $1 AND v.round = e.round AND v.decision = 'approve'"; }
field() { db "SELECT value FROM entry_fields WHERE entry_id = $1 AND key = '$2'"; }
expect_status() { [ "$(status "$1")" = "$2" ] || fail "$3: entry $1 is $(status "$1"), want $2"; }
expect_approvals() { [ "$(approvals "$1")" = "$2" ] || fail "$3: $(approvals "$1") approvals of entry $1, want $2"; }

"$E" ingest < "$DATA/mail/groupe-landes.eml"		# entry 1: groupe, quorum 2
expect_status 1 pending "submitted"

# --- 1. DKIM: a pass must be ours, outside comments, aligned with From ----
reply_ar m1@ssa.example m1@ssa.example '#1 ' 'VALIDER' \
	'Authentication-Results: mx.ssa.example; dkim=pass header.d=evil.example'
expect_approvals 1 0 "a dkim pass for another domain"
reply_ar m1@ssa.example m1@ssa.example '#1 ' 'VALIDER' \
	'Authentication-Results: mx.ssa.example; dkim=fail (signature said dkim=pass) header.d=ssa.example'
expect_approvals 1 0 "a pass inside a comment"
reply_ar m1@ssa.example m1@ssa.example '#1 ' 'VALIDER' \
	'Authentication-Results: mx.ssa.example; dkim=none; spf=pass smtp.mailfrom=x dkim=pass@evil.example'
expect_approvals 1 0 "dkim=pass glued to another method's value"
reply_ar m1@ssa.example m1@ssa.example '#1 ' 'VALIDER' \
	'Authentication-Results: evil.example; dkim=pass header.d=ssa.example'
expect_approvals 1 0 "a pass from another authserv-id"
[ "$(db "SELECT count(*) FROM events WHERE entry_id = 1 AND kind = 'forgery'")" = 4 ] ||
	fail "the four refusals are not all recorded"
# --- 2. two From fields are no single sender ------------------------------
SUBJ2=$($MB subject "$OUT" m2@ssa.example '#1 ')
{ printf '%s\nFrom: m2@ssa.example\nFrom: evil@evil.example\nTo: dynamiques@ssa.example\n' "$GOOD"
  printf 'Subject: Re: %s\nMessage-ID: <twofrom@t>\n\nVALIDER\n' "$SUBJ2"; } | "$E" ingest
expect_approvals 1 0 "two From fields"
[ "$(db "SELECT detail FROM events WHERE kind = 'forgery' ORDER BY id DESC LIMIT 1")" != "" ] || fail "two From: no forgery event"
# a genuine, aligned decision counts
reply_ar m1@ssa.example m1@ssa.example '#1 ' 'VALIDER' "$GOOD"
expect_approvals 1 1 "an aligned dkim pass"
pass "Authentication-Results and From"

# --- 3. a form sent again without a token does not touch an entry with votes
sed -e 's/^Message-ID: .*/Message-ID: <resend.1@mail.example.net>/' \
    -e 's|^Personne référente : .*|Site web : https://phishing.example/ssa40\n&|' \
	"$DATA/mail/groupe-landes.eml" | "$E" ingest
[ -z "$(field 1 site_web)" ] || fail "a resubmission without token changed entry 1 ($(field 1 site_web))"
expect_approvals 1 1 "resubmission"
new=$(db "SELECT max(id) FROM entries")
[ "$new" -gt 1 ] || fail "the resubmission made no new entry"
db "SELECT flags FROM entries WHERE id = $new" | grep -q possible_duplicate ||
	fail "the new entry is not flagged as a possible duplicate"
# ... and the submitter's change with their token begins a new round
reply_ar dominique.lafitte@orange.example dominique.lafitte@orange.example '#1 ' 'Nom : Collectif SSA Landes'
[ "$(field 1 nom)" = "Collectif SSA Landes" ] || fail "submitter's correction not stored"
expect_approvals 1 0 "m1's approval of the earlier content"
$MB body "$OUT" m2@ssa.example 'Collectif SSA Landes' | grep -q '« Collectif SSA 40 » → « Collectif SSA Landes »' ||
	fail "the moderators are not shown what changed"
reply_ar m2@ssa.example m2@ssa.example '#1 ' 'VALIDER' "$GOOD"
expect_status 1 pending "one approval of the new content"
# a moderator's own correction with VALIDER is their approval of the new content
reply_ar m3@ssa.example m3@ssa.example '#1 ' 'VALIDER\nTerritoire : Landes' "$GOOD"
expect_status 1 pending "m2's approval was for the content before m3's correction"
expect_approvals 1 1 "m3's correction and approval"
# --- 5. a genuine decision sent as bulk mail is a decision; an auto-reply is not
reply_ar m2@ssa.example m2@ssa.example '#1 ' 'Je pars en vacances.' "$GOOD
Auto-Submitted: auto-replied"
expect_approvals 1 1 "an auto-reply"
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = auto_reply ] || fail "auto-reply not recorded as such"
reply_ar m2@ssa.example m2@ssa.example '#1 ' 'VALIDER' "$GOOD
Precedence: bulk"
expect_status 1 approved "a decision with Precedence: bulk"
pass "rounds of votes, resubmission, bulk decisions"

# --- 4. strangers cannot flood the moderators -----------------------------
before=$(db "SELECT count(*) FROM events WHERE kind = 'forgery'")
SUBJ=$($MB subject "$OUT" m1@ssa.example '#1 ')
i=0
while [ $i -lt 12 ]; do
	i=$((i + 1))
	printf 'From: stranger%s@evil.example\nTo: dynamiques@ssa.example\nSubject: Re: %s\nMessage-ID: <flood.%s@evil.example>\n\nVALIDER\n' \
		"$i" "$SUBJ" "$i" | "$E" ingest
done
after=$(db "SELECT count(*) FROM events WHERE kind = 'forgery'")
[ $((after - before)) = 12 ] || fail "every attempt is recorded ($((after - before)) of 12)"
for m in m1 m2 m3; do
	told=$(db "SELECT count(*) FROM outbox WHERE recipient = '$m@ssa.example' AND kind = 'notify:broadcast' AND data LIKE '%refus%' AND data NOT LIKE '%sum%'")
	[ "$told" -le 5 ] || fail "$m got $told forgery notices in an hour"
done
# the hour over, one summary counts the rest
ESSAIM_NOW=$(( $(date +%s) + 3700 )) "$E" send
[ "$($MB count "$OUT" m1@ssa.example 'résumé')" = 1 ] || fail "no hourly summary"
held=$((after - 5))
$MB body "$OUT" m1@ssa.example 'résumé' | grep -q "refusées : $held\$" || fail "the summary does not count $held attempts"
ESSAIM_NOW=$(( $(date +%s) + 7400 )) "$E" send
[ "$($MB count "$OUT" m1@ssa.example 'résumé')" = 1 ] || fail "the summary was sent twice"
pass "forgery notices capped, with an hourly summary"

# --- 15. caps: strangers' junk does not starve authenticated senders ----------
for i in 1 2 3 4 5; do
	printf 'From: junk%s@spam.example\nTo: dynamiques@ssa.example\nSubject: hello\nMessage-ID: <junk.%s@spam.example>\n\nNom : x\n' \
		"$i" "$i" | "$E" ingest
done
[ "$(db "SELECT count(*) FROM suppressed WHERE reason LIKE '%max_answers_per_hour%'")" -ge 2 ] ||
	fail "the hourly cap did not hold for strangers"
sed -e 's/^From: .*/From: Camille <camille@aumaquis.example>/' -e 's/^Message-ID: .*/Message-ID: <authd.1@aumaquis.example>/' \
	"$DATA/mail/initiative-lauris.eml" > "$W/authd.eml"
{ echo 'Authentication-Results: mx.ssa.example; dkim=pass header.d=aumaquis.example'; cat "$W/authd.eml"; } | "$E" ingest
[ "$($MB count "$OUT" camille@aumaquis.example)" = 1 ] || fail "an authenticated sender's confirmation was starved by the cap"
sed -e 's/^From: .*/From: Alex <alex@other.example>/' -e 's/^Message-ID: .*/Message-ID: <unauth.1@other.example>/' \
	-e 's/^Nom : .*/Nom : Autre initiative/' "$DATA/mail/initiative-lauris.eml" | "$E" ingest
[ "$($MB count "$OUT" alex@other.example)" = 0 ] || fail "the cap did not hold for an unauthenticated sender"
# an acknowledgement of a change asked for is never capped
reply_ar camille@aumaquis.example camille@aumaquis.example 'reçue' 'RETIRER'
[ "$(db "SELECT status FROM entries WHERE submitter = 'camille@aumaquis.example'")" = withdrawn ] || fail "withdrawal"
[ "$($MB count "$OUT" camille@aumaquis.example)" = 2 ] || fail "the withdrawal's acknowledgement was capped"
pass "answer caps"
