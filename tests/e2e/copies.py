#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Count the copies of each outgoing mail that reached its receiver.

copies.py DB DIR: DB is essaim's database, DIR holds what the receiver got
(the test SMTP server's N.eml files, or a Maildir's new/ and cur/). Every
outbox row with a Message-ID is looked up by that Message-ID. Prints
"rows R lost L duplicated D copies C in_doubt I unexplained U" where lost
are rows never received, duplicated rows received more than once, copies
the extra copies, in_doubt the rows recorded in doubt, unexplained the
duplicated rows not recorded in doubt (must be 0), then exits 0.
"""
import email.parser
import os
import sqlite3
import sys


def received(d):
    seen = {}
    paths = []
    for sub in ("", "new", "cur"):
        p = os.path.join(d, sub)
        if os.path.isdir(p):
            paths += [os.path.join(p, f) for f in os.listdir(p)
                      if os.path.isfile(os.path.join(p, f)) and not f.endswith((".env", ".tmp"))
                      and f != "port"]
    parser = email.parser.BytesHeaderParser()
    for f in paths:
        with open(f, "rb") as fh:
            msg = parser.parse(fh)
        mid = (msg.get("Message-ID") or "").strip().strip("<>")
        if mid:
            seen[mid] = seen.get(mid, 0) + 1
    return seen


def main():
    db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
    seen = received(sys.argv[2])
    cols = [c[1] for c in db.execute("PRAGMA table_info(outbox)")]
    doubt_col = "in_doubt" if "in_doubt" in cols else "0"   # before schema 5
    rows = db.execute("SELECT message_id, %s, status FROM outbox"
                      " WHERE message_id IS NOT NULL" % doubt_col).fetchall()
    lost = dup = copies = doubt = unexplained = 0
    for mid, in_doubt, status in rows:
        n = seen.get(mid, 0)
        if in_doubt:
            doubt += 1
        if n == 0:
            lost += 1
            print("lost: %s (%s)" % (mid, status), file=sys.stderr)
        if n > 1:
            dup += 1
            copies += n - 1
            if not in_doubt:
                unexplained += 1
                print("duplicated, not in doubt: %s x%d" % (mid, n), file=sys.stderr)
    print("rows %d lost %d duplicated %d copies %d in_doubt %d unexplained %d"
          % (len(rows), lost, dup, copies, doubt, unexplained))


main()
