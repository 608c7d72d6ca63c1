#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""seed.py DB N [--spread [--groups F]] [--answers M]: add N approved entries to essaim's database (its own schema,
created by essaim first), as moderation would have left them, for the
publication benchmark: with the commune's INSEE code that intake resolves
(Arles, 13004), so that publish has no places left to fill. The same entries as `peer.py seed`."""
import sqlite3
import sys
import time


def spread(db, n, now, groups=0.3):
    import os
    import random
    rng = random.Random(2027)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "communes.tsv")
    communes = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) == 9 and c[1] == "C" and c[5] and c[6] and c[7]:
                communes.append((c[0], c[2], c[5].split(",")[0], float(c[6]), float(c[7])))
    for i in range(1, n + 1):
        typ = "groupe" if rng.random() < groups else "initiative"
        insee, name, cp, lat, lon = rng.choice(communes)
        cur = db.execute(
            "INSERT INTO entries(type, status, submitter, lat, lon, geo_precision, created_at,"
            " updated_at, decided_at, decided_by, insee) VALUES (?, 'approved', ?, ?, ?, 'commune',"
            " ?, ?, ?, 'moderatrice@ssa.example', ?)",
            (typ, f"s{i}@example.org", lat, lon, now, now, now, insee))
        eid = cur.lastrowid
        nom = ("Groupe local SSA de " if typ == "groupe" else "Caisse alimentaire de ") + \
            f"{name} n°{i}"
        fields = {"type": typ, "nom": nom, "commune": name, "code_postal": cp,
                  "description": "Une caisse commune de l'alimentation.",
                  "referent": "Camille Martin", "courriel_referent": f"s{i}@example.org",
                  "charte": "oui"}
        db.executemany("INSERT INTO entry_fields(entry_id, key, value) VALUES (?, ?, ?)",
                       [(eid, k, v) for k, v in fields.items()])
    db.execute("INSERT INTO state(key, value) VALUES ('entry_keys.filled', NULL)"
               " ON CONFLICT(key) DO UPDATE SET value = NULL")


def answers(db, m):
    t = time.time()
    for i in range(m):
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t - 3500 * i / max(m, 1)))
        db.execute("INSERT INTO outbox(created_at, kind, recipient, data, status)"
                   " VALUES (?, 'confirmation', ?, x'00', 'sent')", (at, f"s{i}@example.org"))


def main():
    a = sys.argv[1:]
    m = 0
    if "--answers" in a:
        j = a.index("--answers")
        m = int(a[j + 1])
        del a[j:j + 2]
    groups = 0.3
    if "--groups" in a:
        j = a.index("--groups")
        groups = float(a[j + 1])
        del a[j:j + 2]
    is_spread = "--spread" in a
    if is_spread:
        a.remove("--spread")
    db = sqlite3.connect(a[0], isolation_level=None)
    n = int(a[1])
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    db.execute("BEGIN")
    answers(db, m)
    if is_spread:
        spread(db, n, now, groups)
        db.execute("COMMIT")
        return
    for i in range(1, n + 1):
        typ = "initiative" if i % 3 else "groupe"
        cur = db.execute(
            "INSERT INTO entries(type, status, submitter, lat, lon, geo_precision, created_at,"
            " updated_at, decided_at, decided_by, insee) VALUES (?, 'approved', ?, ?, ?, 'commune',"
            " ?, ?, ?, 'moderatrice@ssa.example', '13004')",
            (typ, f"p{i}@example.org", 43.0 + (i % 1000) / 1000, 4.0 + (i % 997) / 1000, now, now, now))
        eid = cur.lastrowid
        fields = {"type": typ, "nom": f"Dynamique n°{i}", "commune": "Arles", "code_postal": "13200",
                  "description": "Une caisse commune de l'alimentation, cotisation selon les revenus.",
                  "referent": "Camille Martin", "courriel_referent": f"p{i}@example.org",
                  "charte": "oui", "site_web": f"https://d{i}.example.org/"}
        db.executemany("INSERT INTO entry_fields(entry_id, key, value) VALUES (?, ?, ?)",
                       [(eid, k, v) for k, v in fields.items()])
    db.execute("COMMIT")


if __name__ == "__main__":
    main()
