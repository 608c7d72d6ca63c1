#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Read a mail as a mail client does (Python's email package) and check what
essaim promises of every mail it writes. Prints the decoded headers then the
decoded body, for the test to grep; exits 1 with a reason on a violation.

usage: mailcheck.py FILE [auto-replied|auto-generated]
"""
import email
import email.policy
import sys
from email.utils import getaddresses

ALLOWED = {
    "date", "from", "subject", "to", "reply-to", "message-id", "in-reply-to",
    "references", "auto-submitted", "precedence", "x-essaim-loop", "mime-version",
    "content-type", "content-transfer-encoding",
}


def fail(why):
    print("mailcheck: %s: %s" % (sys.argv[1], why), file=sys.stderr)
    sys.exit(1)


def main():
    raw = open(sys.argv[1], "rb").read()
    want_auto = sys.argv[2] if len(sys.argv) > 2 else None
    if b"\n" in raw.replace(b"\r\n", b""):
        fail("a bare LF on the wire")
    try:
        raw.decode("ascii")
    except UnicodeDecodeError:
        fail("8-bit bytes on the wire")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    names = [k.lower() for k in msg.keys()]
    for n in names:
        if n not in ALLOWED:
            fail("unexpected header %r" % n)
    for n in set(names):
        if names.count(n) != 1:
            fail("header %r appears %d times" % (n, names.count(n)))
    for n in ("date", "from", "to", "subject", "message-id", "auto-submitted",
              "precedence", "x-essaim-loop"):
        if n not in names:
            fail("missing header %r" % n)
    if msg.defects:
        fail("defects: %r" % msg.defects)
    tos = getaddresses([str(msg["To"])])
    if len(tos) != 1 or "@" not in tos[0][1]:
        fail("To is not one mailbox: %r" % tos)
    subject = str(msg["Subject"])
    if "\r" in subject or "\n" in subject:
        fail("subject holds a line break")
    if want_auto and str(msg["Auto-Submitted"]) != want_auto:
        fail("Auto-Submitted is %r" % str(msg["Auto-Submitted"]))
    if str(msg["Precedence"]) != "bulk":
        fail("Precedence is not bulk")
    if msg.get_content_type() != "text/plain" or msg.get_content_charset() != "utf-8":
        fail("not text/plain; charset=utf-8")
    if msg["Content-Transfer-Encoding"] != "quoted-printable":
        fail("not quoted-printable")
    mid = str(msg["Message-ID"])
    if not mid.startswith("<essaim.") or not mid.endswith(">"):
        fail("Message-ID %r is not ours" % mid)
    for k in msg.keys():
        print("%s: %s" % (k, str(msg[k])))
    print()
    print(msg.get_content().replace("\r\n", "\n"), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
