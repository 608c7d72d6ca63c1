#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What an operator relies on: `essaim status` (exit 1 when something needs
# attention: a mail refused for good, a refusal by ingest), its JSON;
# `essaim purge` removes raw messages past retention_days and keeps entries.
. "$(dirname "$0")/lib.sh"
# a sendmail that refuses one address for good (EX_NOUSER) and takes the rest
cat > "$W/sendmail" <<'SH'
#!/bin/sh
for a; do last=$a; done
cat > /dev/null
[ "$last" = "nobody-here@example.org" ] && { echo "no such user" >&2; exit 67; }
exit 0
SH
chmod 755 "$W/sendmail"
mkconf <<EOF2
retention_days = 30
busy_timeout = 1
[moderation]
moderators = m1@ssa.example
[mail]
transport = sendmail:$W/sendmail
EOF2
E=${ESSAIM:-$TOP/build/essaim}
JSON() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

"$E" status > "$W/st" || fail "fresh database needs attention: $(cat "$W/st")"
grep -q 'all well' "$W/st" || fail "no 'all well'"

# a submission whose referent address does not exist: the confirmation fails
sed 's/camille.martin@aumaquis.example/nobody-here@example.org/' "$DATA/mail/initiative-lauris.eml" |
	ESSAIM_NOW=$(( $(date +%s) - 40 * 86400 )) "$E" ingest
"$E" send >/dev/null 2>&1 || true
[ "$(db "SELECT count(*) FROM outbox WHERE status = 'failed'")" = 1 ] || fail "no failed outbox row"
expect_rc 1 "$E" status
"$E" status --json > "$W/st.json" || true
[ "$(JSON 'd["outbox"]["failed"]' < "$W/st.json")" = 1 ] || fail "json: failed count"
JSON 'd["attention"][0]' < "$W/st.json" | grep -q 'refused for good' || fail "json: attention"
[ "$(JSON 'd["entries"]["pending"]' < "$W/st.json")" = 1 ] || fail "json: entries"

# ingest refusing (database locked past busy_timeout) is reported
# hold a write lock for 3 s from another process
/usr/bin/python3 - "$W/data/essaim.db" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE"); time.sleep(3); c.execute("ROLLBACK")
PY
sleep 0.5
printf 'From: a@example.org\nSubject: x\nMessage-ID: <locked@x>\n\nBonjour\n' > "$W/m"
expect_rc 75 "$E" ingest < "$W/m"
wait
"$E" status --json > "$W/st.json" || true
[ "$(JSON 'd["refused_75_last_7_days"]["count"]' < "$W/st.json")" = 1 ] || fail "refusal not reported"

# purge: the old message's raw bytes go, the entry and its fields stay
"$E" ingest < "$W/m"		# a recent one, kept
[ "$(db 'SELECT count(*) FROM message_raw')" = 2 ] || fail "raw messages before purge"
"$E" purge | grep -q 'purged 1 message' || fail "purge did not report one message"
[ "$(db 'SELECT count(*) FROM message_raw')" = 1 ] || fail "purge removed the wrong raw messages"
[ "$(db "SELECT count(*) FROM message_raw r JOIN messages m ON m.id = r.id WHERE m.message_id = 'locked@x'")" = 1 ] || fail "recent message purged"
[ "$(db "SELECT count(*) FROM entry_fields WHERE entry_id = 1")" -gt 5 ] || fail "purge touched the entry"
[ "$(db "SELECT count(*) FROM outbox WHERE length(data) = 0")" -ge 1 ] || fail "old sent mail text kept"
# a redelivery of the purged message is still recognised
sed 's/camille.martin@aumaquis.example/nobody-here@example.org/' "$DATA/mail/initiative-lauris.eml" | "$E" ingest
[ "$(db 'SELECT count(*) FROM entries')" = 1 ] || fail "purged message processed again"
pass "status and purge"
