#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate N realistic submissions to essaim, reproducibly (fixed seed).

    gen.py maildir N DIR [--seed S]   N messages into the Maildir DIR/new
    gen.py files N DIR [--seed S]     N messages as DIR/000001.eml ...
    gen.py big BYTES FILE             one form with a PDF-like attachment, BYTES long

The mix follows what the network receives: French forms (docs/FORM.md) from
varied clients -- plain UTF-8 (8bit), Thunderbird (format=flowed,
quoted-printable), Outlook (multipart/alternative, windows-1252,
quoted-printable, with its HTML twin), Gmail (HTML only, base64) -- about
one in eight with an attachment (the form as formulaire.txt, a photo or a
PDF, 20 to 400 KB), descriptions from 40 to 2500 characters, and a few
out-of-office replies, bounces and questions without a form.
"""
import base64
import os
import quopri
import random
import sys

# Where the forms come from: every current commune of the gazetteer, drawn
# uniformly, so that neighbours and namesakes flag each other now and then as
# in real data. (The first runs drew from 20 cities only: at 10 000 entries
# every form then had 42 entries to flag on average, up to 158.)
def all_communes():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "communes.tsv")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) == 9 and c[1] == "C" and c[5]:
                out.append((c[2], c[5].split(",")[0]))
    return out


COMMUNES = all_communes()
FIRST = ["Camille", "Claire", "Sophie", "Nadia", "Hélène", "Jérôme", "François", "Zoé",
         "Léa", "Amadou", "Benoît", "Inès", "Noël", "Agnès", "Loïc", "Maëlle"]
LAST = ["Martin", "Dupont", "Benali", "Lefèvre", "Girard", "Rousseau", "Nguyen", "Morel",
        "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier"]
WORDS = ("alimentation conventionnée cotisation caisse commune paysans producteurs "
         "habitants quartier marché épicerie solidaire comité citoyen démocratie "
         "alimentaire allocation mensuelle monnaie restauration collective cantine "
         "agriculture biologique transformation circuits courts associations "
         "expérimentation territoire foyers revenus accès universel").split()
STAGES = ["en réflexion", "en construction", "en expérimentation", "en fonctionnement"]
STATUTS = ["association", "collectif informel", "coopérative", "collectivité"]
ECHELLES = ["quartier", "commune", "intercommunalité", "département"]


def sentence(rng, n):
    w = [rng.choice(WORDS) for _ in range(n)]
    return (" ".join(w)).capitalize() + "."


def text_of(rng, chars):
    out = []
    while sum(len(s) + 1 for s in out) < chars:
        out.append(sentence(rng, rng.randint(6, 16)))
    return " ".join(out)


def wrap(s, width=72):
    lines, cur = [], ""
    for w in s.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        lines.append(cur)
    return lines


def form_fields(rng, i, person):
    kind = "groupe" if rng.random() < 0.3 else "initiative"
    commune, cp = rng.choice(COMMUNES)
    name = ("Groupe local SSA de " if kind == "groupe" else "Caisse alimentaire de ") + \
        f"{commune} n°{i}"
    f = [("Type", kind), ("Nom", name)]
    if kind == "initiative":
        f += [("Structure porteuse", f"Association {rng.choice(LAST)} {i}"),
              ("Statut de la structure", rng.choice(STATUTS)),
              ("État d'avancement", rng.choice(STAGES))]
    else:
        f += [("Structure non lucrative", "oui"), ("Territoire", f"Pays de {commune}")]
    f += [("Échelle", rng.choice(ECHELLES)), ("Commune", commune), ("Code postal", cp),
          ("Description", text_of(rng, int(rng.lognormvariate(6.0, 0.8)) % 2500 + 40))]
    if rng.random() < 0.4:
        f.append(("Partenaires", "Réseau CIVAM, Confédération paysanne, " + rng.choice(LAST)))
    if rng.random() < 0.5:
        f.append(("Site web", f"https://ssa-{i}.example.org/"))
    f += [("Personne référente", person[0]), ("Courriel de la personne référente", person[1]),
          ("Adhésion à la charte", "oui")]
    return f


def body_lines(fields):
    """The body as paragraphs: each a list of lines wrapped at 72."""
    out = [["Bonjour,"], [""], ["Voici notre formulaire pour la carte des dynamiques locales."], [""]]
    for k, v in fields:
        out.append(wrap(f"{k} : {v}"))
    out += [[""], ["Bien à vous,"], ["-- "], ["Envoyé depuis mon ordinateur"]]
    return out


def hdr_encode(s, charset="utf-8"):
    try:
        s.encode("ascii")
        return s
    except UnicodeEncodeError:
        b = s.encode(charset)
        return f"=?{charset}?B?{base64.b64encode(b).decode()}?="


def headers(rng, i, person, subject, client):
    date = f"Mon, {1 + i % 28:02d} Mar 2026 {8 + i % 10:02d}:{i % 60:02d}:{(i * 7) % 60:02d} +0100"
    h = [f"Received: from mail{i % 7}.example.net (mail{i % 7}.example.net [192.0.2.{i % 250}])",
         f"\tby mx.ssa.example with ESMTPS id {i:08X}; {date}",
         f"Authentication-Results: mx.ssa.example; dkim=pass header.d=example.net; spf=pass",
         f"From: {hdr_encode(person[0])} <{person[1]}>",
         "To: Dynamiques locales SSA <dynamiques@ssa.example>",
         f"Subject: {hdr_encode(subject, 'windows-1252' if client == 'outlook' else 'utf-8')}",
         f"Date: {date}",
         f"Message-ID: <{i:06d}.{rng.getrandbits(48):012x}@{client}.example.net>",
         "MIME-Version: 1.0"]
    if client == "thunderbird":
        h.append("User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Thunderbird/115.8.0")
    return h


def qp(b):
    return quopri.encodestring(b).decode("ascii")


def b64(b):
    s = base64.b64encode(b).decode("ascii")
    return "\n".join(s[j:j + 76] for j in range(0, len(s), 76))


def html_of(lines):
    esc = [l.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for l in lines]
    return "<html><body><div dir=\"ltr\">" + "".join(
        f"<div>{l or '<br>'}</div>" for l in esc) + "</div></body></html>"


def body_for(client, paras):
    """(content headers, body) for one text part in the client's manner."""
    lines = [l for p in paras for l in p]
    text = "\n".join(lines) + "\n"
    if client == "plain":
        return (["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"], text)
    if client == "thunderbird":
        # soft breaks (inside a paragraph) end with a space, hard ones do not
        flowed = "\n".join(l + " " if j < len(p) - 1 else l
                           for p in paras for j, l in enumerate(p)) + "\n"
        return (["Content-Type: text/plain; charset=UTF-8; format=flowed",
                 "Content-Transfer-Encoding: quoted-printable"], qp(flowed.encode("utf-8")))
    if client == "gmail":
        return (["Content-Type: text/html; charset=\"UTF-8\"", "Content-Transfer-Encoding: base64"],
                b64(html_of(lines).encode("utf-8")))
    # outlook: multipart/alternative, windows-1252, no-break space before colons
    b = "_000_" + "".join(random.choice("0123456789ABCDEF") for _ in range(24)) + "_"
    cp = [l.replace(" : ", "\u00a0: ") for l in lines]
    plain = qp(("\n".join(cp) + "\n").encode("cp1252", "replace"))
    html = qp(html_of(cp).encode("cp1252", "replace"))
    return ([f"Content-Type: multipart/alternative;\n\tboundary=\"{b}\""],
            f"--{b}\nContent-Type: text/plain; charset=\"windows-1252\"\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n{plain}\n"
            f"--{b}\nContent-Type: text/html; charset=\"windows-1252\"\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n{html}\n--{b}--\n")


def attachment(rng, size, form_text=None):
    if form_text is not None:
        return ("text/plain; charset=utf-8; name=\"formulaire.txt\"", "formulaire.txt",
                form_text.encode("utf-8"))
    kind = rng.choice([("application/pdf", "plaquette.pdf", b"%PDF-1.5\n"),
                       ("image/jpeg", "photo-marche.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF")])
    data = kind[2] + rng.randbytes(max(0, size - len(kind[2])))
    return (f"{kind[0]}; name=\"{kind[1]}\"", kind[1], data)


def with_attachment(ch, body, att):
    b = f"----=_Part_{random.getrandbits(40):x}"
    ctype, name, data = att
    return ([f"Content-Type: multipart/mixed; boundary=\"{b}\""],
            f"This is a multi-part message in MIME format.\n--{b}\n" + "\n".join(ch) + "\n\n" + body +
            f"\n--{b}\nContent-Type: {ctype}\nContent-Disposition: attachment; filename=\"{name}\"\n"
            f"Content-Transfer-Encoding: base64\n\n{b64(data)}\n--{b}--\n")


def other(rng, i, person):
    """An out-of-office reply, a bounce or a question without a form."""
    k = rng.random()
    if k < 0.4:
        h = headers(rng, i, person, "Réponse automatique : absent", "plain")
        h += ["Auto-Submitted: auto-replied", "Content-Type: text/plain; charset=utf-8",
              "Content-Transfer-Encoding: 8bit"]
        return "\n".join(h) + "\n\nJe suis absente jusqu'au 15 mars.\n"
    if k < 0.6:
        h = headers(rng, i, ("Mail Delivery System", "MAILER-DAEMON@example.net"),
                    "Undelivered Mail Returned to Sender", "plain")
        b = f"bounce{i}"
        h += [f"Content-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\""]
        return "\n".join(h) + (f"\n\n--{b}\nContent-Type: text/plain\n\nThe mail could not be delivered.\n"
                                f"--{b}\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--{b}--\n")
    h = headers(rng, i, person, "Question sur la carte", "plain")
    h += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    return "\n".join(h) + "\n\nBonjour, comment faire pour apparaître sur la carte ?\nMerci\n"


def message(rng, i):
    fn, ln = rng.choice(FIRST), rng.choice(LAST)
    addr = f"{fn.lower().translate(str.maketrans('éèëïçöä', 'eeeicoa'))}.{i}@example.net"
    person = (f"{fn} {ln}", addr)
    if rng.random() < 0.06:
        return other(rng, i, person)
    client = rng.choices(["plain", "thunderbird", "outlook", "gmail"], [3, 3, 3, 2])[0]
    fields = form_fields(rng, i, person)
    lines = body_lines(fields)
    h = headers(rng, i, person, f"Formulaire : {fields[1][1]}", client)
    att = None
    r = rng.random()
    if r < 0.04:
        # the form as formulaire.txt, a short note in the body
        att = attachment(rng, 0, "\n".join(f"{k} : {v}" for k, v in fields) + "\n")
        lines = [["Bonjour,"], [""], ["Notre formulaire est en pièce jointe."], [""], ["Cordialement"]]
    elif r < 0.12:
        att = attachment(rng, int(rng.uniform(20e3, 400e3)))
    ch, body = body_for(client, lines)
    if att:
        ch, body = with_attachment(ch, body, att)
    msg = "\n".join(h + ch) + "\n\n" + body
    if client == "outlook":
        msg = msg.replace("\n", "\r\n")
    return msg


def big(size, path):
    rng = random.Random(size)
    person = ("Camille Martin", "camille.martin@example.net")
    fields = form_fields(rng, 1, person)
    ch, body = body_for("plain", body_lines(fields))
    h = headers(rng, 1, person, "Formulaire avec notre dossier complet", "plain")
    # base64 grows by 4/3 plus line ends: size the attachment to land on SIZE
    head = "\n".join(h) + "\n"
    raw = int((size - len(head) - len(body) - 600) * 57 / 77)
    ch2, body2 = with_attachment(ch, body, attachment(rng, raw))
    data = (head + "\n".join(ch2) + "\n\n" + body2).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    print(f"{path}: {len(data)} bytes")


def main():
    a = sys.argv[1:]
    seed = 2026
    if "--seed" in a:
        j = a.index("--seed")
        seed = int(a[j + 1])
        del a[j:j + 2]
    if len(a) == 3 and a[0] == "big":
        big(int(float(a[1])), a[2])
        return
    if len(a) != 3 or a[0] not in ("maildir", "files"):
        sys.exit(__doc__)
    mode, n, out = a[0], int(a[1]), a[2]
    rng = random.Random(seed)
    random.seed(seed)
    if mode == "maildir":
        for d in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(out, d), exist_ok=True)
    else:
        os.makedirs(out, exist_ok=True)
    total = 0
    for i in range(1, n + 1):
        data = message(rng, i).encode("utf-8")
        total += len(data)
        name = (f"new/{1772359200 + i}.M{i}P1.bench,S={len(data)}" if mode == "maildir"
                else f"{i:06d}.eml")
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{out}: {n} messages, {total} bytes, mean {total // n} bytes")


if __name__ == "__main__":
    main()
