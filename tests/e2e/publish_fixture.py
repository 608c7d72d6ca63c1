#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fill an essaim database (schema already created) with entries for the
publication tests.

  publish_fixture.py DB known      the known dataset below
  publish_fixture.py DB many N     N approved entries spread over France

The known dataset: 13 approved entries (4 initiatives close together in Lyon,
3 groupes close together in Nantes, 3 initiatives and 2 groupes alone, 1
initiative with no point), 4 that must never be published (pending,
rejected, withdrawn, erased), private fields everywhere ("PRIVE-..."), and
script-bearing values in every public field of entries 8, 9 and 11 that try
to set window.__essaim_pwned.
"""
import sqlite3
import sys

PUBLIC = ["nom", "structure", "statut_structure", "territoire", "echelle", "commune",
          "code_postal", "etat", "description", "historique", "partenaires", "site_web",
          "courriel_public"]
PRIVATE = ["adresse", "referent", "courriel_referent", "telephone", "non_lucratif", "charte"]


def hostile(variant, key):
    s = "window.__essaim_pwned='%s'" % key
    if variant == 1:
        return '<img src=x onerror="%s">' % s
    if variant == 2:
        return "<script>%s</script><svg onload=\"%s\"></svg>" % (s, s)
    return ('"><iframe srcdoc="<script>parent.__essaim_pwned=\'%s\'</script>"></iframe>'
            '<a href="javascript:%s">lien</a>' % (key, s))


HOSTILE_URL = {1: "javascript:window.__essaim_pwned='site_web'",
               2: "https://exemple.org/\"><img src=x onerror=window.__essaim_pwned='site_web'>",
               3: "data:text/html,<script>parent.__essaim_pwned='site_web'</script>"}


def entries_known():
    lyon = [("Caisse alimentaire de la Croix-Rousse", 45.7745, 4.8320),
            ("Épicerie solidaire de la Guillotière", 45.7550, 4.8450),
            ("Cantine des Pentes", 45.7690, 4.8300),
            ("Marché paysan de Gerland", 45.7300, 4.8350)]
    out = []
    i = 1
    for nom, lat, lon in lyon:
        out.append(dict(id=i, type="initiative", status="approved", lat=lat, lon=lon,
                        f=dict(nom=nom, commune="Lyon", code_postal="69007",
                               structure="Association %d" % i, etat="en expérimentation",
                               territoire="Lyon", description="Une initiative lyonnaise " * 3,
                               site_web="https://lyon-%d.exemple.org/" % i)))
        i += 1
    for nom, lat, lon in [("Groupe local SSA de Nantes", 47.2184, -1.5536),
                          ("Collectif SSA Nantes Nord", 47.2450, -1.5550),
                          ("Groupe SSA Nantes Sud", 47.1950, -1.5400)]:
        out.append(dict(id=i, type="groupe", status="approved", lat=lat, lon=lon,
                        f=dict(nom=nom, commune="Nantes", code_postal="44000",
                               territoire="Métropole nantaise", echelle="intercommunalité",
                               description="Un groupe local nantais " * 3,
                               courriel_public="contact%d@nantes.exemple.org" % i)))
        i += 1
    alone = [(8, "initiative", "Brest", "29200", 48.3904, -4.4861, 1),
             (9, "initiative", "Marseille", "13001", 43.2965, 5.3698, 2),
             (10, "initiative", "Strasbourg", "67000", 48.5734, 7.7521, 0),
             (11, "groupe", "Lille", "59000", 50.6292, 3.0573, 3),
             (12, "groupe", "Toulouse", "31000", 43.6047, 1.4442, 0)]
    for eid, typ, ville, cp, lat, lon, bad in alone:
        if bad:
            f = {k: "%s %s" % (ville, hostile(bad, k)) for k in PUBLIC}
            f["site_web"] = HOSTILE_URL[bad]
            f["courriel_public"] = 'x@y.fr"><img src=x onerror="window.__essaim_pwned=\'courriel\'">'
        else:
            f = dict(nom="Dynamique de %s" % ville, commune=ville, code_postal=cp,
                     structure="Collectif %s" % ville, etat="en fonctionnement",
                     description="Présentation de la dynamique de %s, assez longue." % ville,
                     site_web="https://%s.exemple.org/" % ville.lower())
        out.append(dict(id=eid, type=typ, status="approved", lat=lat, lon=lon, f=f))
    out.append(dict(id=13, type="initiative", status="approved", lat=None, lon=None,
                    f=dict(nom="Caisse commune de Saint-Denis", commune="Saint-Denis",
                           code_postal="97400", description="Pas encore placée sur la carte.")))
    for eid, status in [(14, "pending"), (15, "rejected"), (16, "withdrawn"), (17, "erased")]:
        out.append(dict(id=eid, type="initiative", status=status, lat=48.8566, lon=2.3522,
                        f=dict(nom="NE-PAS-PUBLIER-%s" % status, commune="Paris",
                               code_postal="75001", description="NE-PAS-PUBLIER")))
    for e in out:
        for k in PRIVATE:
            e["f"][k] = "PRIVE-%s-%d" % (k, e["id"])
    return out


def entries_many(n):
    out = []
    for i in range(1, n + 1):
        lat = 43.0 + (i * 7919 % 800) / 100.0
        lon = -4.0 + (i * 104729 % 1100) / 100.0
        out.append(dict(id=i, type="groupe" if i % 5 == 0 else "initiative", status="approved",
                        lat=lat, lon=lon,
                        f=dict(nom="Dynamique numéro %d" % i, commune="Commune %d" % i,
                               code_postal="%02d%03d" % (1 + i % 95, i % 1000),
                               description="Description de la dynamique %d. " % i * 8,
                               referent="PRIVE-referent-%d" % i)))
    return out


def main():
    db = sqlite3.connect(sys.argv[1])
    entries = entries_known() if sys.argv[2] == "known" else entries_many(int(sys.argv[3]))
    with db:
        for e in entries:
            db.execute("INSERT INTO entries(id, type, status, submitter, lat, lon, geo_precision,"
                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (e["id"], e["type"], e["status"], "prive%d@exemple.fr" % e["id"],
                        e["lat"], e["lon"], "commune" if e["lat"] is not None else "none",
                        "2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z"))
            db.execute("INSERT INTO entry_fields VALUES (?, 'type', ?)", (e["id"], e["type"]))
            for k, v in e["f"].items():
                db.execute("INSERT INTO entry_fields VALUES (?, ?, ?)", (e["id"], k, v))
    db.close()


main()
