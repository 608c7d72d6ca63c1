#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `essaim status` on trust (issues 15 and 16): with no moderator configured,
# `check` warns and `status` says nobody is told of new entries; a forged
# moderator decision refused, or an answer held back by a cap, in the last
# 24 hours makes status exit 1 with the reason; auto-replies received are
# counted. All of it leaves the counts after a day.
. "$(dirname "$0")/lib.sh"
E=${ESSAIM:-$TOP/build/essaim}
JSON() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
FORM=$DATA/mail/initiative-lauris.eml

# --- no moderator: check warns, status says so (and nothing else is wrong)
mkconf <<EOF2
[mail]
transport = maildir:$W/out
EOF2
"$E" check > "$W/check" || fail "check failed: $(cat "$W/check")"
grep -q '^warning: .*no moderator' "$W/check" || fail "check does not warn of no moderator: $(cat "$W/check")"
grep -q '1 warning' "$W/check" || fail "check counts no warning: $(cat "$W/check")"
"$E" ingest < "$FORM"
"$E" status > "$W/st" || fail "status needs attention with no moderator: $(cat "$W/st")"
grep -q 'nobody is told of new entries' "$W/st" || fail "status does not say nobody is told: $(cat "$W/st")"
"$E" status --json > "$W/st.json"
[ "$(JSON 'd["moderation"]["moderators"]' < "$W/st.json")" = 0 ] || fail "json: moderators"
# the operator's approval does not claim that moderators were notified
"$E" approve 1 > "$W/approve" || fail "approve: $(cat "$W/approve")"
grep -q 'moderators notified' "$W/approve" && fail "approve claims moderators were notified: $(cat "$W/approve")"
grep -q 'no moderator configured, nobody notified' "$W/approve" || fail "approve: $(cat "$W/approve")"
pass "no moderator: check warns, status says nobody is told, approve says nobody was notified"

# --- with moderators: a forged decision, then an answer held back by a cap
rm -rf "$W/data" "$W/out"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example; m2@ssa.example
[mail]
transport = maildir:$W/out
max_answers_per_sender_per_day = 1
EOF2
"$E" check > "$W/check" || fail "check failed: $(cat "$W/check")"
if grep -q 'no moderator' "$W/check"; then fail "check warns of no moderator with two"; fi
"$E" ingest < "$FORM"
"$E" status > "$W/st" || fail "a fresh submission needs attention: $(cat "$W/st")"
if grep -q 'nobody is told' "$W/st"; then fail "status says nobody is told with two moderators"; fi
grep -q 'forged_decisions_refused_last_24h: 0' "$W/st" || fail "no forged count: $(cat "$W/st")"

# a decision with a token that is not ours
printf 'From: m1@ssa.example\nTo: dynamiques@ssa.example\nSubject: Re: [essaim #1 abcdefghijklmnopqrstuvwx]\nMessage-ID: <forged.1@evil.example>\n\nVALIDER\n' |
	"$E" ingest
[ "$(db "SELECT count(*) FROM events WHERE kind = 'forgery'")" = 1 ] || fail "the forged decision is not recorded"
[ "$(db "SELECT status FROM entries WHERE id = 1")" = pending ] || fail "a forged decision decided"
expect_rc 1 "$E" status > "$W/st"
grep -q 'forged_decisions_refused_last_24h: 1' "$W/st" || fail "forged count: $(cat "$W/st")"
grep -q '1 forged moderator decision refused in the last 24 hours' "$W/st" ||
	fail "status does not say why: $(cat "$W/st")"
pass "a forged decision: status exits 1 and says why"

# an auto-reply to our mail is counted, and needs no attention by itself
printf 'From: m2@ssa.example\nTo: dynamiques@ssa.example\nSubject: Absent: [essaim #1 abcdefghijklmnopqrstuvwx]\nAuto-Submitted: auto-replied\nMessage-ID: <away.1@ssa.example>\n\nJe suis absente.\n' |
	"$E" ingest
[ "$(db "SELECT outcome FROM messages ORDER BY id DESC LIMIT 1")" = auto_reply ] || fail "not an auto-reply"
"$E" status --json > "$W/st.json" || true
[ "$(JSON 'd["answers_last_24h"]["auto_replies_received"]' < "$W/st.json")" = 1 ] || fail "json: auto-replies"
[ "$(JSON 'd["answers_last_24h"]["suppressed_by_caps"]' < "$W/st.json")" = 0 ] || fail "json: nothing capped yet"
[ "$(JSON 'len(d["attention"])' < "$W/st.json")" = 1 ] || fail "json: an auto-reply needs attention"

# the same sender's second form in the day: its confirmation is capped
sed 's/^Message-ID: .*/Message-ID: <second.form@aumaquis.example>/' "$FORM" | "$E" ingest
[ "$(db "SELECT count(*) FROM suppressed WHERE reason LIKE 'cap reached:%'")" = 1 ] || fail "no answer capped"
expect_rc 1 "$E" status > "$W/st"
grep -q 'suppressed_by_caps: 1' "$W/st" || fail "capped count: $(cat "$W/st")"
"$E" status --json > "$W/st.json" || true
# the auto-reply was not answered either
[ "$(JSON 'd["answers_last_24h"]["suppressed"]' < "$W/st.json")" = 2 ] || fail "json: suppressed"
grep -q '1 answer not sent in the last 24 hours because a cap was reached' "$W/st" ||
	fail "status does not say why: $(cat "$W/st")"
pass "an answer held back by a cap: status exits 1 and says why"

# a day later they are history, not news
ESSAIM_NOW=$(( $(date +%s) + 86400 + 60 )) "$E" status --json > "$W/st.json" || true
[ "$(JSON 'd["moderation"]["forged_decisions_refused_last_24h"]' < "$W/st.json")" = 0 ] || fail "old forgery counted"
[ "$(JSON 'd["answers_last_24h"]["suppressed_by_caps"]' < "$W/st.json")" = 0 ] || fail "old cap counted"
[ "$(JSON 'd["answers_last_24h"]["auto_replies_received"]' < "$W/st.json")" = 0 ] || fail "old auto-reply counted"
JSON '"\n".join(d["attention"])' < "$W/st.json" > "$W/att"
if grep -q 'forged\|cap was reached' "$W/att"; then fail "old news needs attention: $(cat "$W/att")"; fi
pass "after 24 hours, no longer counted"
