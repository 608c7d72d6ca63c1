#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Look for a person's traces after an erasure, for the shell tests.

rgpd_search.py DB DIR PATTERN...
    Every value of every table of the SQLite database DB, with blobs that
    hold a mail decoded as a mail client decodes them (headers, quoted-
    printable and base64 bodies), then the bytes of DB and of its -wal
    file, then every file under DIR (the published folder): prints each
    place where a PATTERN (case-insensitive) occurs, exits 1 if any does.
"""
import email
import email.policy
import os
import sqlite3
import sys


def mail_text(raw):
    """The decoded headers and text parts of RAW, or '' if it is no mail."""
    if b":" not in raw[:200]:
        return ""
    try:
        m = email.message_from_bytes(raw, policy=email.policy.default)
        out = ["%s: %s" % (k, v) for k, v in m.items()]
        for part in m.walk():
            if part.is_multipart():
                continue
            payload = part.get_payload(decode=True) or b""
            out.append(payload.decode("utf-8", "replace"))
        return "\n".join(out)
    except Exception:  # a value that only looks like a mail
        return ""


def texts_of(value):
    if value is None:
        return []
    if isinstance(value, bytes):
        return [value.decode("utf-8", "replace"), mail_text(value)]
    if isinstance(value, str):
        return [value, mail_text(value.encode("utf-8", "replace"))]
    return [str(value)]


def main():
    db, folder, patterns = sys.argv[1], sys.argv[2], [p.lower() for p in sys.argv[3:]]
    hits = []
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    for t in tables:
        cur = con.execute('SELECT * FROM "%s"' % t)
        cols = [d[0] for d in cur.description]
        for row in cur:
            for col, value in zip(cols, row):
                for text in texts_of(value):
                    low = text.lower()
                    for p in patterns:
                        if p in low:
                            hits.append("database %s.%s: %r" % (t, col, p))
    con.close()
    for path in (db, db + "-wal"):
        if os.path.exists(path):
            data = open(path, "rb").read().lower()
            for p in patterns:
                if p.encode("utf-8") in data:
                    hits.append("bytes of %s: %r" % (os.path.basename(path), p))
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            low = open(path, "rb").read().decode("utf-8", "replace").lower()
            for p in patterns:
                if p in low:
                    hits.append("published %s: %r" % (os.path.relpath(path, folder), p))
    for h in sorted(set(hits)):
        print(h)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
