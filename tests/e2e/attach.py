#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""attach.py FROM MSGID TEXT FILE [TYPE]: a mail from FROM whose body is TEXT
with FILE attached (as TYPE, else application/octet-stream), on stdout."""
import email.message
import os
import sys

frm, msgid, text, path = sys.argv[1:5]
ctype = sys.argv[5] if len(sys.argv) > 5 else "application/octet-stream"
m = email.message.EmailMessage()
m["From"] = frm
m["To"] = "dynamiques@ssa.example"
m["Subject"] = "Inscription"
m["Message-ID"] = "<%s>" % msgid
m.set_content(text)
maintype, subtype = ctype.split("/", 1)
with open(path, "rb") as f:
    m.add_attachment(f.read(), maintype=maintype, subtype=subtype,
                     filename=os.path.basename(path))
sys.stdout.buffer.write(m.as_bytes())
