#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The conversation with a hurried submitter (issue 16): every problem in one
# answer (a bad stage and a postcode of another commune together).
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
sed -e 's/^État d.avancement : .*/État d'"'"'avancement : bientôt/' \
	-e 's/^Code postal : .*/Code postal : 34000/' "$LAURIS" | "$E" ingest
[ "$($MB count "$W/out" $ME)" = 1 ] || fail "not one answer to the bad form"
body=$($MB body "$W/out" $ME "")
echo "$body" | grep -q "« bientôt » n'est pas une valeur possible" || fail "the stage is not named: $body"
echo "$body" | grep -q "n'est pas une commune du code postal 34000" ||
	fail "the postcode is not named with the stage: $body"
[ "$(db 'SELECT count(*) FROM entries')" = 0 ] || fail "an invalid form became an entry"
pass "a bad stage and a wrong postcode in one answer"
