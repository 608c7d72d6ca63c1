#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""french_words.py OUTBOX [MIN]: every mail essaim wrote in the Maildir
OUTBOX, read as a mail client does; those in French (their subject or body
is French) must hold no English word of tests/data/english-words.txt, no
« (s) » plural, and no nested brackets in their subject. Quoted lines ("> "),
addresses, URLs, command names ("essaim status") and the reference tags
("[essaim #3 abc…]") are not prose. Fails when fewer than MIN French mails
were read. Prints one line per mail checked."""
import email
import email.policy
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = set()
with open(os.path.join(HERE, "..", "data", "english-words.txt"), encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            WORDS.add(line)

NOT_PROSE = re.compile(r"\[essaim #\d+[^\]]*\]|[^\s<>()«»\"]+@[^\s<>()«»\"]+|https?://\S+|"
                       r"\bessaim [a-z-]+")
FRENCH = re.compile(r"\b(Bonjour|Inscription|inscription|Décision|Merci|À modérer|Votre)\b")


def nested(s):
    depth = 0
    for c in s:
        if c in "([«":
            if depth:
                return True
            depth += 1
        elif c in ")]»" and depth:
            depth -= 1
    return False


def main():
    folder = sys.argv[1]
    least = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    bad, seen = [], 0
    for sub in ("new", "cur"):
        d = os.path.join(folder, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            with open(os.path.join(d, name), "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            subj = str(m["subject"] or "")
            part = m.get_body(preferencelist=("plain",)) if m.is_multipart() else m
            body = part.get_content() if part is not None else ""
            if not FRENCH.search(subj + "\n" + body) or re.search(r"^(Hello|Dear)\b", body, re.M):
                continue
            seen += 1
            print("%s: %s" % (m["to"], subj))
            prose = "\n".join(l for l in (subj + "\n" + body).split("\n") if not l.startswith(">"))
            prose = NOT_PROSE.sub(" ", prose)
            words = set(re.findall(r"[^\W\d_]+", prose.lower()))
            english = sorted(words & WORDS)
            if english:
                bad.append("%s (%s): English words %s" % (subj, m["to"], english))
            for plural in ("(s)", "(e)", "(es)", "(x)"):
                if plural in prose:
                    bad.append("%s (%s): « %s »" % (subj, m["to"], plural))
            if nested(NOT_PROSE.sub("", subj)):
                bad.append("%s: nested brackets in the subject" % subj)
    if seen < least:
        bad.append("only %d French mails read, want at least %d" % (seen, least))
    for b in bad:
        print("french_words: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
