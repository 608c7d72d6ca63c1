#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Online geocoding against a real HTTP server on loopback that answers like
# the Géoplateforme (tests/e2e/geoplateforme.py), through libcurl loaded at
# run time: a good answer, another commune, a low score, 429 with
# Retry-After, 500, HTML, a malformed body, a timeout, a slow drip, a huge
# body; the cache (the same address asked once, ever); ingest never asks;
# publish finishes, bounded by the timeout, when the geocoder hangs; no
# request carries personal data; corrections re-geocode; official names.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
GEOPID=
trap 'if [ -n "$GEOPID" ]; then kill "$GEOPID" 2>/dev/null || true; fi; cleanup' EXIT
E=${ESSAIM:-$TOP/build/essaim}

$PY "$TOP/tests/e2e/geoplateforme.py" "$W/port" "$W/requests.log" 2> "$W/geo.log" &
GEOPID=$!
i=0
until [ -s "$W/port" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the geocoding server did not start: $(cat "$W/geo.log")"
	sleep 0.1
done
PORT=$(cat "$W/port")
touch "$W/requests.log"
mkconf <<EOF2
[moderation]
moderators = m1@ssa.example
[mail]
transport = maildir:$W/out
[geocoding]
online_url = http://127.0.0.1:$PORT/geocodage/search
timeout_seconds = 2
retry_seconds = 60
[publish]
directory = $W/public
EOF2

requests() { wc -l < "$W/requests.log" | tr -d ' '; }
prec() { db "SELECT geo_precision FROM entries WHERE id = $1"; }
point() { db "SELECT printf('%.4f,%.4f', lat, lon) FROM entries WHERE id = $1"; }
echo 0 > "$W/n"
# form NAME ADDRESS [COMMUNE POSTCODE]: a new initiative by a new sender
# (called in $(...): the counter lives in a file)
form() {
	n=$(( $(cat "$W/n") + 1 ))
	echo $n > "$W/n"
	sed -e "s/^Message-ID: .*/Message-ID: <geo.$n@mail.example.net>/" \
	    -e "s/^From: .*/From: Personne $n <personne.$n@aumaquis.example>/" \
	    -e "s/^Nom : .*/Nom : $1/" \
	    -e "s/^Commune : .*/Commune : ${3:-Lauris}/" \
	    -e "s/^Code postal : .*/Code postal : ${4:-84360}\\
Adresse : $2\\
Courriel de contact public : public.$n@aumaquis.example/" \
	    "$DATA/mail/initiative-lauris.eml" | "$E" ingest || fail "ingest $1"
	db "SELECT max(id) FROM entries"
}
T0=$(date +%s)
# run K CMD...: CMD at a clock moved K days ahead (past any backoff)
at() { k=$1; shift; ESSAIM_NOW=$((T0 + k * 86400)) "$@"; }

e1=$(form "Epicerie une" "12 rue bonne")
e2=$(form "Epicerie deux" "12 rue bonne")
e3=$(form "Epicerie trois" "5 rue ailleurs")
e4=$(form "Epicerie quatre" "7 rue douteuse")
[ "$(requests)" = 0 ] || fail "ingest asked the geocoder: $(cat "$W/requests.log")"
for e in $e1 $e2 $e3 $e4; do
	[ "$(prec $e)" = commune ] || fail "entry $e at ingest: $(prec $e)"
done
pass "ingest never asks the geocoder; entries start at their commune's point"
commune_point=$(point $e3)

at 1 "$E" geocode || fail "geocode run 1"
[ "$(requests)" = 3 ] || fail "3 requests expected (one per address): $(cat "$W/requests.log")"
[ "$(prec $e1)" = address ] && [ "$(prec $e2)" = address ] || fail "good answer not taken"
[ "$(point $e1)" = "43.7478,5.3137" ] || fail "point of the good answer: $(point $e1)"
[ "$(prec $e3)" = commune ] && [ "$(point $e3)" = "$commune_point" ] ||
	fail "another commune's answer taken: $(prec $e3) $(point $e3)"
[ "$(prec $e4)" = commune ] && [ "$(point $e4)" = "$commune_point" ] ||
	fail "a low score taken: $(prec $e4) $(point $e4)"
[ "$(db "SELECT count(*) FROM geocache")" = 3 ] || fail "cache: $(db 'SELECT * FROM geocache')"
[ "$(db "SELECT DISTINCT attribution FROM geocache")" = "BAN, ETALAB-2.0" ] ||
	fail "attribution: $(db 'SELECT attribution FROM geocache')"
db "SELECT detail FROM events WHERE entry_id = $e1 AND kind = 'geocoded'" | grep -q '^address: 12 rue bonne' ||
	fail "no audit of the geocoding"
pass "good answer placed at the address; another commune and a low score leave the commune's point"
# at most 10 requests a second: the three of that run came 100 ms apart
# (checked with a generous 50 ms)
$PY - "$W/requests.log" <<'EOF3' || fail "requests too close together"
import json, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1])][:3]
gaps = [b - a for a, b in zip(t, t[1:])]
assert min(gaps) >= 0.05, gaps
EOF3

at 2 "$E" geocode || fail "geocode run 2"
[ "$(requests)" = 3 ] || fail "answers asked again: $(cat "$W/requests.log")"
e5=$(form "Epicerie cinq" "12 RUE  Bonne")
[ "$(prec $e5)" = address ] && [ "$(point $e5)" = "$(point $e1)" ] ||
	fail "the cached answer not used at ingest: $(prec $e5)"
[ "$(requests)" = 3 ] || fail "the same address asked twice"
pass "the same address costs one request, ever; ingest reads the cache"

# a commune whose gazetteer point is a postcode mean, no address: the
# commune itself is asked, once
e6=$(form "Epicerie six" "" Auribeau 84400)
[ "$(prec $e6)" = postcode ] || fail "Auribeau: $(prec $e6)"
$PY "$TOP/tests/e2e/mailbox.py" body "$W/out" m1@ssa.example "Epicerie six" |
	grep -q "précision : approximative : moyenne des communes du code postal" ||
	fail "the moderators are not told the point is approximate"
at 3 "$E" geocode || fail "geocode run 3"
[ "$(requests)" = 4 ] || fail "municipality not asked once"
tail -1 "$W/requests.log" | grep -q '"type": \["municipality"\], "citycode": \["84006"\]' ||
	tail -1 "$W/requests.log" | grep -q '"citycode": \["84006"\]' || fail "municipality request: $(tail -1 "$W/requests.log")"
[ "$(prec $e6)" = commune ] || fail "municipality answer not taken: $(prec $e6)"
at 4 "$E" geocode
[ "$(requests)" = 4 ] || fail "municipality asked again"
pass "an approximate commune point is replaced by the commune's own, asked once"

# many entries: max_requests per run, the rest in the next runs
sed -i '/^\[geocoding\]/a max_requests = 1' "$W/essaim.conf"
a=$(form "Epicerie vingt" "20 rue bonne")
b=$(form "Epicerie vingt et un" "21 rue bonne")
before=$(requests)
at 5 "$E" geocode || fail "geocode, max_requests = 1"
[ "$(requests)" = $((before + 1)) ] && [ "$(prec $a)" = address ] && [ "$(prec $b)" = commune ] ||
	fail "max_requests = 1: $(( $(requests) - before )) requests"
at 6 "$E" geocode || fail "geocode, second run"
[ "$(requests)" = $((before + 2)) ] && [ "$(prec $b)" = address ] || fail "the second run did not go on"
at 7 "$E" geocode
[ "$(requests)" = $((before + 2)) ] || fail "a third run asked again"
sed -i '/^max_requests = 1$/d' "$W/essaim.conf"
pass "max_requests per run; the entries left are placed by the next runs"

# the failures: each stops the run, logs one line, leaves the commune's
# point, and waits before asking again
day=10
failure() {	# ADDRESS PATTERN-OF-THE-LOG-LINE
	e=$(form "Epicerie $1" "$1")
	before=$(requests)
	day=$((day + 10))
	started=$(date +%s)
	expect_rc 75 at $day "$E" geocode 2> "$W/err"
	took=$(( $(date +%s) - started ))
	[ $took -lt 30 ] || fail "$1: the run took $took s"
	[ "$(requests)" = $((before + 1)) ] || fail "$1: $(( $(requests) - before )) requests"
	[ "$(grep -c . "$W/err")" = 1 ] || fail "$1: not one log line: $(cat "$W/err")"
	grep -q "geocoding: .*$2.*next try in" "$W/err" || fail "$1: log: $(cat "$W/err")"
	[ "$(prec $e)" = commune ] && [ "$(point $e)" = "$commune_point" ] || fail "$1: moved"
	# backing off: no request until the wait is over
	at $day "$E" geocode 2> "$W/err2" || fail "$1: waiting run failed"
	[ "$(requests)" = $((before + 1)) ] || fail "$1: asked again while backing off"
	"$E" reject $e --reason "test" > /dev/null || fail "reject $e"
	pass "$1: $(sed 's/.*geocoding: [^ ]* //' "$W/err")"
}
failure "1 rue panne" "HTTP status 500"
failure "1 rue html" "not JSON (text/html)"
failure "1 rue cassee" "malformed answer"
failure "1 rue enorme" "over 262144 bytes"
failure "1 rue lente" "timed out"
failure "1 rue goutte" "timed out"

# 429: Retry-After honoured, then asked again
e=$(form "Epicerie limitee" "1 rue limitee")
before=$(requests)
expect_rc 75 at 100 "$E" geocode 2> "$W/err"
grep -q "HTTP 429.*next try in 120 s" "$W/err" || fail "429: $(cat "$W/err")"
ESSAIM_NOW=$((T0 + 100 * 86400 + 60)) "$E" geocode || fail "429: waiting run"
[ "$(requests)" = $((before + 1)) ] || fail "429: Retry-After not honoured"
expect_rc 75 env ESSAIM_NOW=$((T0 + 100 * 86400 + 121)) "$E" geocode 2> /dev/null
[ "$(requests)" = $((before + 2)) ] || fail "429: not asked again after Retry-After"
"$E" reject $e --reason test > /dev/null
pass "429: Retry-After honoured"

# while a run waits on the geocoder, the database stays writable
e=$(form "Epicerie verrou" "5 rue lente")
at 150 "$E" geocode 2> /dev/null &
gpid=$!
i=0
until grep -q "5 rue lente" "$W/requests.log"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "the run did not ask"
	sleep 0.1
done
db "BEGIN IMMEDIATE; INSERT INTO state(key, value) VALUES ('test.lock', '1'); COMMIT;" ||
	fail "the write lock is held while waiting on the geocoder"
wait $gpid || true
"$E" reject $e --reason test > /dev/null
pass "no database lock held while waiting on the geocoder"

# the geocoder hangs: ingest and publish finish, bounded by the timeout
e=$(form "Epicerie pendante" "3 rue lente")
db "UPDATE entries SET status = 'approved' WHERE id = $e"
started=$(date +%s)
e8=$(form "Epicerie pendante deux" "4 rue lente")
took=$(( $(date +%s) - started ))
[ $took -lt 10 ] || fail "ingest waited $took s"
before=$(requests)
started=$(date +%s)
at 200 "$E" publish 2> "$W/err" || fail "publish with a hanging geocoder: $(cat "$W/err")"
took=$(( $(date +%s) - started ))
[ $took -lt 30 ] || fail "publish took $took s"
[ "$(requests)" = $((before + 1)) ] || fail "publish: $(( $(requests) - before )) requests"
grep -q "geocoding: .*timed out" "$W/err" || fail "publish: no log line: $(cat "$W/err")"
[ -s "$W/public/dynamiques.geojson" ] || fail "publish wrote nothing"
grep -q '"Epicerie pendante"' "$W/public/dynamiques.geojson" || fail "entry not published"
[ "$(prec $e)" = commune ] || fail "hung entry moved"
pass "a hanging geocoder: ingest ${took}s-bounded publish, entries at their commune's point"
"$E" reject $e8 --reason test > /dev/null
db "UPDATE entries SET status = 'rejected' WHERE id = $e"

# a correction of the address asks again, for the new address only
"$E" set $e1 adresse="14 rue bonne" > /dev/null 2>&1 || fail "set adresse"
[ "$(prec $e1)" = commune ] || fail "the old address's point kept after a correction"
before=$(requests)
at 300 "$E" geocode || fail "geocode after a correction"
[ "$(requests)" = $((before + 1)) ] || fail "correction: $(( $(requests) - before )) requests"
tail -1 "$W/requests.log" | grep -q '14 rue bonne' || fail "correction: $(tail -1 "$W/requests.log")"
[ "$(prec $e1)" = address ] || fail "corrected address not placed"
pass "a corrected address is geocoded again"

# Paris: an address of the 4th arrondissement answered as Paris (75056)
e=$(form "Epicerie parisienne" "3 rue paris" "Paris 4e" 75004)
[ "$(db "SELECT insee FROM entries WHERE id = $e")" = 75104 ] || fail "Paris 4e: insee"
at 301 "$E" geocode || fail "geocode Paris"
[ "$(prec $e)" = address ] || fail "75056 not accepted for 75104: $(prec $e)"
tail -1 "$W/requests.log" | grep -q '"postcode": \["75004"\]' || fail "Paris: $(tail -1 "$W/requests.log")"
pass "an answer for Paris (75056) is accepted for its 4th arrondissement (75104)"

# [publish] precision = commune: no point finer than its commune published
db "UPDATE entries SET status = 'approved' WHERE id = $e1"
"$E" publish --force > /dev/null 2>&1 || fail "publish exact"
$PY - "$W/public/dynamiques.geojson" $e1 43.7478 5.3137 <<'EOF3' || fail "exact point not published"
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["features"] if f["id"] == int(sys.argv[2])][0]
lon, lat = f["geometry"]["coordinates"]
assert abs(lat - float(sys.argv[3])) < 1e-4 and abs(lon - float(sys.argv[4])) < 1e-4, (lat, lon)
EOF3
echo "precision = commune" >> "$W/essaim.conf"
"$E" check > /dev/null || fail "precision = commune refused"
"$E" publish > /dev/null 2>&1 || fail "publish at commune precision"
lauris=$(awk -F'\t' '$1 == "84065" { print $7, $8 }' "$TOP/data/communes.tsv")
$PY - "$W/public/dynamiques.geojson" $e1 $lauris <<'EOF3' || fail "exact point published with precision = commune"
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["features"] if f["id"] == int(sys.argv[2])][0]
lon, lat = f["geometry"]["coordinates"]
assert abs(lat - float(sys.argv[3])) < 1e-6 and abs(lon - float(sys.argv[4])) < 1e-6, (lat, lon)
EOF3
grep -q "43.7478" "$W/public/dynamiques.csv" && fail "the CSV has the address's point"
sed -i '$d' "$W/essaim.conf"
pass "[publish] precision = commune publishes the commune's point, not the address's"

# official names
e=$(form "Epicerie stéphanoise" "" "St Etienne" 42000)
[ "$(db "SELECT value FROM entry_fields WHERE entry_id = $e AND key = 'commune'")" = "Saint-Étienne" ] ||
	fail "official name not stored"
[ "$(db "SELECT insee FROM entries WHERE id = $e")" = 42218 ] || fail "INSEE code not stored"
db "SELECT detail FROM events WHERE entry_id = $e AND kind = 'commune_official'" | grep -q 'typed "St Etienne"' ||
	fail "what was typed is not in the audit"
$PY "$TOP/tests/e2e/mailbox.py" body "$W/out" "personne.$(cat "$W/n")@aumaquis.example" "Epicerie st" > "$W/confirmation" ||
	fail "no confirmation"
grep -q "Saint-Étienne" "$W/confirmation" || fail "the confirmation does not show the official name: $(cat "$W/confirmation")"
! grep -q "St Etienne" "$W/confirmation" || fail "the confirmation shows what was typed"
"$E" show $e --json | $PY -c 'import json,sys; e=json.load(sys.stdin); assert e["insee"] == "42218" and e["fields"]["commune"] == "Saint-Étienne", e' ||
	fail "show --json: no INSEE code"
"$E" export | $PY -c 'import json,sys; assert [e for e in json.load(sys.stdin) if e["insee"] == "42218"]' ||
	fail "export: no INSEE code"
pass "St Etienne is stored, shown and exported as Saint-Étienne (42218)"

# coordinates outside the commune's département: an error naming the one found
before=$(db "SELECT count(*) FROM entries")
sed -e "s/^Message-ID: .*/Message-ID: <geo.coords@mail.example.net>/" \
    -e "s/^From: .*/From: Coords <coords@aumaquis.example>/" \
    -e "s/^Code postal : .*/Code postal : 84360\\
Coordonnées GPS : 43.2951, 5.3745/" "$DATA/mail/initiative-lauris.eml" | "$E" ingest || fail "ingest coords"
[ "$(db "SELECT count(*) FROM entries")" = "$before" ] || fail "an entry was made of coordinates elsewhere"
$PY "$TOP/tests/e2e/mailbox.py" body "$W/out" coords@aumaquis.example "" > "$W/errors" || fail "no answer"
grep -q "Bouches-du-Rhône (13)" "$W/errors" || fail "the département found is not named: $(cat "$W/errors")"
pass "coordinates outside the commune's département: an error naming Bouches-du-Rhône (13)"

# no request carried personal data; no answered query was asked twice
$PY - "$W/requests.log" <<'EOF3' || fail "privacy or duplicates"
import collections, json, sys
allowed = {"q", "limit", "index", "type", "citycode", "postcode"}
personal = ["camille", "martin", "aumaquis", "personne", "epicerie", "04 90", "0490", "@",
            "comité", "maquis", "https", "charte"]
seen = collections.Counter()
retried = ("panne", "html", "cassee", "enorme", "lente", "goutte", "limitee")
for line in open(sys.argv[1]):
    r = json.loads(line)
    extra = set(r["query"]) - allowed
    if extra:
        sys.exit("request with other parameters: %s" % sorted(extra))
    text = json.dumps(r["query"], ensure_ascii=False).lower()
    for p in personal:
        if p in text:
            sys.exit("personal data %r in %s" % (p, text))
    key = json.dumps(r["query"], sort_keys=True)
    if not any(w in text for w in retried):
        seen[key] += 1
dups = [k for k, c in seen.items() if c > 1]
if dups:
    sys.exit("asked twice: %s" % dups)
print("%d requests, none with personal data, none answered twice" % sum(1 for _ in open(sys.argv[1])))
EOF3
pass "no personal data in any request; no address asked twice"

# essaim check says whether the service answers
"$E" check > "$W/check" 2>&1 || fail "check with the geocoder up: $(cat "$W/check")"
grep -q "geocoder .*answers" "$W/check" || fail "check: $(cat "$W/check")"
kill "$GEOPID"; wait "$GEOPID" 2>/dev/null || true; GEOPID=
set +e
"$E" check > "$W/check" 2>&1
rc=$?
set -e
[ $rc -ne 0 ] || fail "check with the geocoder down passed"
grep -q "\[geocoding\] online_url.*does not answer" "$W/check" || fail "check down: $(cat "$W/check")"
pass "essaim check tells whether the geocoder answers"

# entries stored before the precision was honest (all "commune", no INSEE
# code) get their commune's code and true precision at the next publish;
# with the geocoder down, publish still writes
e=$(form "Epicerie ancienne" "" Aurel 84390)
db "UPDATE entries SET insee = NULL, geo_precision = 'commune', status = 'approved' WHERE id = $e"
at 400 "$E" publish 2> "$W/err" || fail "publish with the geocoder down: $(cat "$W/err")"
grep -q "geocoding: .*next try in" "$W/err" || fail "publish, geocoder down: $(cat "$W/err")"
[ "$(db "SELECT insee || ' ' || geo_precision FROM entries WHERE id = $e")" = "84005 postcode" ] ||
	fail "old entry not refreshed: $(db "SELECT insee, geo_precision FROM entries WHERE id = $e")"
grep -q '"Epicerie ancienne"' "$W/public/dynamiques.geojson" || fail "not published"
pass "older entries get their INSEE code and honest precision; publish writes with the geocoder down"
