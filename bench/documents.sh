#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What an attached document costs `essaim ingest` (issue 16, item 9): N
# (default 200) plain-text forms, then N forms attached as .odt and N as
# .docx, one process each as the MTA starts them; the wall time per message
# and the largest resident size of each run; then the hostile files of
# tests/data/documents (zip bombs, too many entries, an entity bomb), whose
# refusal must stay as cheap. Prints a table; asserts nothing.
#
#   sh bench/documents.sh        (BENCH_DIR: work folder, default build/bench/documents)
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
ESSAIM=${ESSAIM:-$TOP/build/essaim}
N=${N:-200}
W=${BENCH_DIR:-$TOP/build/bench/documents}
DOCS=$TOP/tests/data/documents
[ -x "$ESSAIM" ] || { echo "bench: $ESSAIM missing (make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
rm -rf "$W"
mkdir -p "$W/mail"
printf '[essaim]\ndatabase = %s/essaim.db\naddress = dynamiques@ssa.example\nsecret_file = %s/secret\n[mail]\ntransport = maildir:%s/out\n' \
    "$W" "$W" "$W" > "$W/essaim.conf"

# make KIND FILE: N messages from N senders, FILE attached (none: plain text)
make_mail() {
	/usr/bin/python3 - "$W/mail/$1" "$N" "$2" "$TOP/tests/data/mail/initiative-lauris.eml" <<'PY'
import email, email.message, email.policy, os, sys
out, n, att, plain = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.makedirs(out, exist_ok=True)
with open(plain, "rb") as f:
    base = f.read()
for i in range(n):
    if att == "none":
        data = base.replace(b"camille.martin@aumaquis.example", b"p%d@example.org" % i)
        data = data.replace(b"init-lauris.1@", b"plain.%d@" % i)
    else:
        m = email.message.EmailMessage()
        m["From"] = "d%d@example.org" % i
        m["To"] = "dynamiques@ssa.example"
        m["Subject"] = "Inscription"
        m["Message-ID"] = "<doc.%s.%d@example.org>" % (os.path.basename(att), i)
        m.set_content("Bonjour, voici notre formulaire.")
        with open(att, "rb") as f:
            m.add_attachment(f.read(), maintype="application", subtype="octet-stream",
                             filename=os.path.basename(att))
        data = m.as_bytes()
    with open(os.path.join(out, "%05d.eml" % i), "wb") as f:
        f.write(data)
PY
}

# run KIND: ingest every message of KIND; prints ms per message and max RSS
run() {
	rss=0
	start=$(date +%s%N)
	for f in "$W/mail/$1"/*.eml; do
		/usr/bin/time -f %M -o "$W/rss" "$ESSAIM" -c "$W/essaim.conf" ingest < "$f" 2> /dev/null
		r=$(cat "$W/rss")
		[ "$r" -gt "$rss" ] && rss=$r
	done
	end=$(date +%s%N)
	count=$(ls "$W/mail/$1" | wc -l)
	awk -v k="$1" -v c="$count" -v ns="$((end - start))" -v rss="$rss" 'BEGIN {
		printf "%-22s %5d msgs %8.1f ms/msg %8d KiB max RSS\n", k, c, ns / 1e6 / c, rss }'
}

make_mail plain none
make_mail odt "$DOCS/form.odt"
make_mail docx "$DOCS/form-table.docx"
run plain
run odt
run docx
N=1
for f in bomb.docx bomb-lying.odt many-entries.odt entities.docx; do
	make_mail "$f" "$DOCS/$f"
	run "$f"
done
echo "outcomes: $(sqlite3 "$W/essaim.db" "SELECT outcome || ' ' || count(*) FROM messages GROUP BY outcome" | tr '\n' ' ')"
