#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer reference: essaim's pipeline as a volunteer would write it with
Python's standard library only (email, sqlite3, json, csv), for bench/run.sh.

    peer.py ingest DB < message        one message (the MTA pipe)
    peer.py fetch DB MAILDIR           every message in MAILDIR/new, then exit
    peer.py seed DB N                  N approved entries (for publish)
    peer.py publish DB DIR             GeoJSON + CSV of the approved entries

Per message, like essaim, in one transaction committed with
synchronous=FULL (the issue's definition of the peer: one commit per
message): store the raw message (dedup on Message-ID + From, else SHA-256);
parse; classify (auto-reply, bounce, list, spam); read the form's "Label :
value" lines (quoted history cut at the attribution line); validate the
required fields; place the commune with the gazetteer (data/communes.tsv,
loaded once per process); look for a possible duplicate (same folded name,
an indexed column); store the entry, its fields and an audit event; compose
with email.message.EmailMessage the answer to the sender and, for a valid
form, a notification to each moderator carrying an HMAC-SHA256 token; queue
them in the outbox. Publication rewrites the files only when their content
changed.
"""
import base64
import csv
import email
import email.policy
import hashlib
import hmac
import html.parser
import io
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

OWN = "dynamiques@ssa.example"
MODERATORS = ["moderatrice@ssa.example"]
SECRET = b"peer-secret-for-the-benchmark-only"
GAZETTEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "communes.tsv")
MAX_BYTES = 32 * 1024 * 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, message_id TEXT, from_addr TEXT,
  sha256 TEXT, received_at TEXT, size INTEGER, raw BLOB, outcome TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS messages_seen ON messages(message_id, from_addr);
CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, type TEXT, status TEXT,
  submitter TEXT, fields TEXT, name_key TEXT, lat REAL, lon REAL, flags TEXT,
  created_at TEXT, updated_at TEXT);
CREATE INDEX IF NOT EXISTS entries_status ON entries(status);
CREATE INDEX IF NOT EXISTS entries_name_key ON entries(name_key);
CREATE TABLE IF NOT EXISTS entry_fields (entry_id INTEGER, key TEXT, value TEXT,
  PRIMARY KEY (entry_id, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, entry_id INTEGER, message_id INTEGER,
  at TEXT, kind TEXT);
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, created_at TEXT, recipient TEXT,
  kind TEXT, data BLOB, status TEXT DEFAULT 'queued');
"""

LABELS = {
    "type": "type", "type de dynamique": "type", "nom": "nom", "name": "nom",
    "structure porteuse": "structure", "structure": "structure",
    "statut de la structure": "statut_structure", "structure non lucrative": "non_lucratif",
    "territoire": "territoire", "echelle": "echelle", "commune": "commune", "ville": "commune",
    "code postal": "code_postal", "cp": "code_postal", "adresse": "adresse",
    "coordonnees gps": "coordonnees", "etat d'avancement": "etat", "description": "description",
    "historique": "historique", "partenaires": "partenaires", "site web": "site_web",
    "courriel de contact public": "courriel_public", "personne referente": "referent",
    "courriel de la personne referente": "courriel_referent", "telephone": "telephone",
    "adhesion a la charte": "charte",
}
MULTI = {"description", "historique", "partenaires", "adresse"}
REQUIRED = ["type", "nom", "commune", "code_postal", "description", "referent", "charte"]
PUBLIC = ["type", "nom", "structure", "statut_structure", "territoire", "echelle", "commune",
          "code_postal", "etat", "description", "historique", "partenaires", "site_web",
          "courriel_public"]
LINE = re.compile(r"^\s*[-*•]?\s*\**([^:\n]{1,60}?)\**\s*[:\u00a0\u202f]*:\s*(.*)$")


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def fold(s):
    s = unicodedata.normalize("NFKD", s.replace("\u2019", "'")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", s).strip().lower()


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "div", "p", "tr", "li"):
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def body_text(msg):
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, KeyError):
        text = part.get_payload(decode=True).decode("cp1252", "replace")
    if part.get_content_type() == "text/html":
        p = Text()
        p.feed(text)
        text = "".join(p.out)
    return text


def classify(msg, sender):
    auto = (msg.get("Auto-Submitted") or "no").lower()
    if auto != "no":
        return "auto_reply"
    if msg.get_content_type() == "multipart/report" or sender.split("@")[0].lower() in (
            "mailer-daemon", "postmaster", ""):
        return "bounce"
    if (msg.get("Precedence") or "").lower() in ("bulk", "list", "junk") or msg.get("List-Id"):
        return "list"
    if (msg.get("X-Spam-Flag") or "").upper() == "YES":
        return "spam"
    if sender == OWN:
        return "loop"
    return "person"


ATTRIBUTION = re.compile(r"^(Le\s.{4,200}\sa\s+[ée]crit\s*:|On\s.{4,200}\swrote\s*:)$", re.I)
_places = None


def places():
    """commune name (folded) -> (lat, lon), from the gazetteer, once per process."""
    global _places
    if _places is None:
        _places = {}
        with open(GAZETTEER, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                c = line.rstrip("\n").split("\t")
                if len(c) > 7 and c[6] and c[7]:
                    _places.setdefault(fold(c[2]), (float(c[6]), float(c[7])))
    return _places


def name_key(s):
    small = {"le", "la", "les", "l", "de", "du", "des", "d", "et", "a", "au", "aux", "en"}
    return " ".join(w for w in re.split(r"[^a-z0-9]+", fold(s)) if w and w not in small)


def read_form(text):
    fields, cur = {}, None
    for line in text.replace("\r", "").split("\n"):
        if ATTRIBUTION.match(line.strip()):
            break
        if line.startswith(">") or line.startswith("#"):
            continue
        if line.strip() in ("-- ", "--"):
            break
        m = LINE.match(line)
        key = LABELS.get(fold(m.group(1))) if m else None
        if key:
            fields[key] = m.group(2).strip()
            cur = key if key in MULTI else None
        elif cur and line.strip():
            fields[cur] += "\n" + line.strip()
        else:
            cur = None
    return fields


def answer(msg, sender, subject, body):
    a = EmailMessage()
    a["From"] = OWN
    a["To"] = sender
    a["Subject"] = subject
    a["Message-ID"] = make_msgid(domain="ssa.example")
    if msg.get("Message-ID"):
        a["In-Reply-To"] = msg["Message-ID"]
        a["References"] = msg["Message-ID"]
    a["Auto-Submitted"] = "auto-replied"
    a.set_content(body)
    return a.as_bytes(policy=email.policy.SMTP)


def open_db(path):
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    return db


def token(entry_id, who):
    mac = hmac.new(SECRET, ("%d:%s:%d" % (entry_id, who, int(time.time()) // 86400 + 30)).encode(),
                   "sha256").digest()
    return base64.b32encode(mac[:10]).decode().lower()


def process(db, raw):
    """One message: 0 stored (or already seen), 75 not stored."""
    too_large = len(raw) > MAX_BYTES
    if too_large:
        raw = raw[:raw.find(b"\n\n") + 2]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    sender = parseaddr(str(msg.get("From", "")))[1].lower()
    mid = str(msg.get("Message-ID", "")).strip("<> ") or None
    sha = hashlib.sha256(raw).hexdigest()
    try:
        db.execute("BEGIN IMMEDIATE")
        if db.execute("SELECT 1 FROM messages WHERE (message_id = ? AND from_addr = ?)"
                      " OR (message_id IS NULL AND sha256 = ?)", (mid, sender, sha)).fetchone():
            db.execute("ROLLBACK")
            return 0
        rowid = db.execute("INSERT INTO messages(message_id, from_addr, sha256, received_at, size,"
                           " raw, outcome) VALUES (?, ?, ?, ?, ?, ?, 'received')",
                           (mid, sender, sha, now(), len(raw), None if too_large else raw)).lastrowid
        outcome = "too_large" if too_large else classify(msg, sender)
        out = []
        if outcome == "person":
            fields = read_form(body_text(msg))
            missing = [k for k in REQUIRED if k not in fields]
            if not fields:
                outcome = "no_form"
                out.append((sender, "form", answer(msg, sender, "Formulaire des dynamiques locales",
                                                   "Bonjour,\n\nVoici le formulaire à remplir.\n")))
            elif missing:
                outcome = "invalid"
                out.append((sender, "errors", answer(msg, sender, "Votre formulaire est incomplet",
                                                     "Champs manquants : " + ", ".join(missing) + "\n")))
            else:
                outcome = "submitted"
                key = name_key(fields["nom"])
                place = places().get(fold(fields.get("commune", "")))
                dups = [r[0] for r in db.execute(
                    "SELECT id FROM entries WHERE name_key = ? AND status IN ('pending', 'approved')",
                    (key,))]
                eid = db.execute(
                    "INSERT INTO entries(type, status, submitter, fields, name_key, lat, lon, flags,"
                    " created_at, updated_at) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
                    (fields.get("type", "initiative"), sender, json.dumps(fields, ensure_ascii=False),
                     key, place[0] if place else None, place[1] if place else None,
                     json.dumps([{"flag": "possible_duplicate", "other": d} for d in dups]),
                     now(), now())).lastrowid
                db.executemany("INSERT INTO entry_fields VALUES (?, ?, ?)",
                               [(eid, k, v) for k, v in fields.items()])
                db.execute("INSERT INTO events(entry_id, message_id, at, kind) VALUES (?, ?, ?,"
                           " 'submitted')", (eid, rowid, now()))
                listing = "\n".join(f"{k} : {v}" for k, v in fields.items())
                out.append((sender, "confirmation", answer(
                    msg, sender, "Votre demande est enregistrée [#%d %s]" % (eid, token(eid, sender)),
                    "Merci, voici ce que nous avons compris :\n\n" + listing)))
                for m in MODERATORS:
                    out.append((m, "notify:moderator", answer(
                        msg, m, "[essaim #%d %s] Nouvelle dynamique : %s" % (eid, token(eid, m),
                                                                           fields["nom"]),
                        "Répondez VALIDER ou REFUSER : motif.\n\n" + listing)))
        for to, kind, data in out:
            db.execute("INSERT INTO outbox(created_at, recipient, kind, data) VALUES (?, ?, ?, ?)",
                       (now(), to, kind, data))
        db.execute("UPDATE messages SET outcome = ? WHERE id = ?", (outcome, rowid))
        db.execute("COMMIT")
    except sqlite3.OperationalError:
        if db.in_transaction:
            db.execute("ROLLBACK")
        return 75
    return 0


def fetch(db, maildir):
    new = os.path.join(maildir, "new")
    for name in sorted(os.listdir(new)):
        path = os.path.join(new, name)
        with open(path, "rb") as f:
            if process(db, f.read()) != 0:
                return 75
        os.rename(path, os.path.join(maildir, "cur", name + ":2,S"))
    return 0


def seed(db, n):
    db.execute("BEGIN")
    for i in range(1, n + 1):
        f = {"type": "initiative" if i % 3 else "groupe", "nom": f"Dynamique n°{i}",
             "commune": "Arles", "code_postal": "13200",
             "description": "Une caisse commune de l'alimentation, cotisation selon les revenus.",
             "referent": "Camille Martin", "charte": "oui", "site_web": f"https://d{i}.example.org/"}
        db.execute("INSERT INTO entries(type, status, submitter, fields, lat, lon, created_at,"
                   " updated_at) VALUES (?, 'approved', ?, ?, ?, ?, ?, ?)",
                   (f["type"], f"p{i}@example.org", json.dumps(f, ensure_ascii=False),
                    43.0 + (i % 1000) / 1000, 4.0 + (i % 997) / 1000, now(), now()))
    db.execute("COMMIT")


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)
    return True


def publish(db, out):
    os.makedirs(out, exist_ok=True)
    feats, rows = [], io.StringIO()
    w = csv.writer(rows)
    w.writerow(["id", "lat", "lon"] + PUBLIC)
    for eid, typ, fields, lat, lon in db.execute(
            "SELECT id, type, fields, lat, lon FROM entries WHERE status = 'approved' ORDER BY id"):
        f = json.loads(fields)
        props = {k: f[k] for k in PUBLIC if k in f}
        props["type"] = typ
        feats.append({"type": "Feature", "id": eid, "properties": props,
                      "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}})
        w.writerow([eid, lat, lon] + [("'" + v if v[:1] in "=+-@\t\r" else v)
                                     for v in (props.get(k, "") for k in PUBLIC)])
    gj = json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)
    changed = write_if_changed(os.path.join(out, "dynamiques.geojson"), gj.encode("utf-8"))
    changed |= write_if_changed(os.path.join(out, "dynamiques.csv"), rows.getvalue().encode("utf-8"))
    return 0


def main():
    a = sys.argv[1:]
    if len(a) < 2:
        sys.exit(__doc__)
    db = open_db(a[1])
    if a[0] == "ingest":
        sys.exit(process(db, sys.stdin.buffer.read()))
    if a[0] == "fetch" and len(a) == 3:
        sys.exit(fetch(db, a[2]))
    if a[0] == "seed" and len(a) == 3:
        seed(db, int(a[2]))
        return
    if a[0] == "publish" and len(a) == 3:
        sys.exit(publish(db, a[2]))
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
