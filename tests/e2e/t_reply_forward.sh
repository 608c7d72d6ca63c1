#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A person who answers with words, not a command, reaches a human: a reply
# to a refusal, or a question about a pending entry, is forwarded to
# [essaim] humans (without the person's token) and the person told so.
. "$(dirname "$0")/lib.sh"
mkconf <<EOF2
humans = equipe@ssa.example
[moderation]
moderators = m1@ssa.example
[mail]
transport = maildir:$W/out
EOF2
OUT=$W/out
MB="/usr/bin/python3 $TOP/tests/e2e/mailbox.py"
E=${ESSAIM:-$TOP/build/essaim}
SUB=camille.martin@aumaquis.example
n=0
reply() {
	n=$((n + 1))
	$MB reply "$OUT" "$2" "$3" "$1" "$4" "<reply.$n@test.example>" | "$E" ingest
}
outcome() { db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1"; }
"$E" ingest < "$DATA/mail/initiative-lauris.eml"	# entry 1, pending
# a question about a pending entry
reply $SUB $SUB 'reçue' 'Bonjour,\n\nQuand notre initiative sera-t-elle visible sur la carte ?\n\nCamille'
[ "$(outcome)" = forwarded ] || fail "a question was not forwarded ($(outcome))"
[ "$($MB count "$OUT" equipe@ssa.example 'visible sur la carte')" = 1 ] || fail "humans did not get the question"
$MB subject "$OUT" equipe@ssa.example 'visible' | grep -q '\[essaim #1\]' || fail "the forwarded subject lost its reference"
$MB subject "$OUT" equipe@ssa.example 'visible' | grep -qE '#1 [a-z2-7]{24}' && fail "the person's token was forwarded"
$MB body "$OUT" $SUB 'transmis' > /dev/null || fail "the person was not told the message was passed on"
# the person's message itself is attached, as message/rfc822
/usr/bin/python3 - "$OUT" <<'PY' || fail "the original is not attached as message/rfc822"
import email, email.policy, os, sys
for sub in ("new", "cur"):
    d = os.path.join(sys.argv[1], sub)
    for name in os.listdir(d) if os.path.isdir(d) else []:
        m = email.message_from_binary_file(open(os.path.join(d, name), "rb"),
                                           policy=email.policy.default)
        if "equipe@ssa.example" not in str(m["to"]) or "visible" not in str(m):
            continue
        for part in m.walk():
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload()[0]
                if inner["Message-ID"] == "<reply.1@test.example>" and \
                        "Quand notre initiative" in inner.get_body().get_content():
                    sys.exit(0)
sys.exit(1)
PY
# a reply to a refusal
reply m1@ssa.example m1@ssa.example '#1 ' 'REFUSER : pas de lien avec la SSA'
[ "$(db "SELECT status FROM entries WHERE id = 1")" = rejected ] || fail "refusal"
reply $SUB $SUB 'pas de lien' 'Bonjour,\n\nNous ne comprenons pas : nous sommes une caisse alimentaire locale.\n\nCamille'
[ "$(outcome)" = forwarded ] || fail "the answer to a refusal was not forwarded ($(outcome))"
[ "$($MB count "$OUT" equipe@ssa.example 'caisse alimentaire')" = 1 ] || fail "humans did not get the answer to the refusal"
# thanks alone: nobody is bothered
before=$($MB count "$OUT" equipe@ssa.example)
reply $SUB $SUB 'pas de lien' 'Merci beaucoup, bonne journée !'
[ "$($MB count "$OUT" equipe@ssa.example)" = "$before" ] || fail "thanks alone were forwarded"
pass "replies for a person reach humans"
