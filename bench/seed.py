#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""seed.py DB N: add N approved entries to essaim's database (its own schema,
created by essaim first), as moderation would have left them, for the
publication benchmark: with the commune's INSEE code that intake resolves
(Arles, 13004), so that publish has no places left to fill. The same entries as `peer.py seed`."""
import sqlite3
import sys
import time


def main():
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    n = int(sys.argv[2])
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    db.execute("BEGIN")
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
