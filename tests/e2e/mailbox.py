#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Read essaim's outbox Maildir as a mail client would, for the shell tests.

mailbox.py count DIR TO [TEXT]      mails to TO (whose subject or body has TEXT)
mailbox.py subject DIR TO TEXT      decoded Subject of the newest such mail
mailbox.py body DIR TO TEXT         decoded body of the newest such mail
mailbox.py reply DIR TO TEXT FROM BODY MSGID [noquote]
                                    a reply from FROM to that mail (Re: subject,
                                    In-Reply-To, the notification quoted below BODY,
                                    or not quoted at all with noquote)
"""
import email
import email.policy
import os
import signal
import sys

# a reader that stops early (grep -q) is not an error
signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def mails(folder, to, text):
    out = []
    for sub in ("new", "cur"):
        d = os.path.join(folder, sub)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            path = os.path.join(d, name)
            with open(path, "rb") as f:
                m = email.message_from_binary_file(f, policy=email.policy.default)
            rcpt = str(m["to"] or "")
            if to.lower() not in rcpt.lower():
                continue
            if m.is_multipart():
                # the text of a mail with an attachment (a forwarded one)
                part = m.get_body(preferencelist=("plain",))
                body = part.get_content() if part is not None else ""
            else:
                body = m.get_content()
            subj = str(m["subject"] or "")
            if text and text not in subj and text not in body:
                continue
            out.append((os.stat(path).st_mtime_ns, name, m, subj, body))
    out.sort(key=lambda t: (t[0], t[1]))
    return out


def main():
    cmd, folder, to = sys.argv[1], sys.argv[2], sys.argv[3]
    text = sys.argv[4] if len(sys.argv) > 4 else ""
    found = mails(folder, to, text)
    if cmd == "count":
        print(len(found))
        return 0
    if not found:
        print("no mail to %s with %r" % (to, text), file=sys.stderr)
        return 1
    _, _, m, subj, body = found[-1]
    if cmd == "subject":
        print(subj)
    elif cmd == "body":
        print(body)
    elif cmd == "reply":
        sender, text_above, msgid = sys.argv[5], sys.argv[6], sys.argv[7]
        r = email.message.EmailMessage(policy=email.policy.SMTP)
        r["From"] = sender
        r["To"] = str(m["from"])
        r["Subject"] = "Re: " + subj
        r["Message-ID"] = msgid
        r["In-Reply-To"] = str(m["message-id"])
        r["Date"] = "Mon, 09 Mar 2026 10:00:00 +0100"
        quoted = "\n".join("> " + l for l in body.splitlines())
        if len(sys.argv) > 8 and sys.argv[8] == "noquote":
            r.set_content(text_above.replace("\\n", "\n") + "\n")
        else:
            r.set_content(text_above.replace("\\n", "\n") + "\n\nLe lun. 9 mars 2026, " +
                          str(m["from"]) + " a écrit :\n" + quoted + "\n")
        sys.stdout.write(r.as_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
