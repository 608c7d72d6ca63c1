#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Replace the data of a published map folder by a dataset that carries the
properties derived from the INSEE code (code_insee, departement,
departement_nom, region, region_nom, geo_precision, date_creation, date_maj),
for the map page's tests of filters, search, overseas and approximate points.
Rewrites DIR/dynamiques.geojson and DIR/donnees.js (keeping DIR/carte.json),
and prints the dataset's expected answers as JSON on stdout.

  map_fixture.py DIR
"""
import json
import os
import sys

# id, type, nom, commune, cp, insee, dep, dep_nom, reg, reg_nom, etat, lat, lon, precision
ROWS = [
    (1, "groupe", "Groupe local de Brest", "Brest", "29200", "29019", "29", "Finistère", "53",
     "Bretagne", "en fonctionnement", 48.3904, -4.4861, "commune"),
    (2, "initiative", "Caisse alimentaire de Quimper", "Quimper", "29000", "29232", "29",
     "Finistère", "53", "Bretagne", "en expérimentation", 47.9960, -4.1020, "commune"),
    (3, "initiative", "Épicerie paysanne de Morlaix", "Morlaix", "29600", "29151", "29",
     "Finistère", "53", "Bretagne", "en construction", 48.5770, -3.8280, "address"),
    (4, "groupe", "Groupe local de Rennes", "Rennes", "35000", "35238", "35",
     "Ille-et-Vilaine", "53", "Bretagne", "en fonctionnement", 48.1113, -1.6800, "commune"),
    (5, "initiative", "Cantine de Saint-Étienne", "Saint-Étienne", "42000", "42218", "42",
     "Loire", "84", "Auvergne-Rhône-Alpes", "en réflexion", 45.4340, 4.3900, "commune"),
    (6, "initiative", "Marché de Saint-Trivier", "Saint-Trivier-sur-Moignans", "01990", "01389",
     "01", "Ain", "84", "Auvergne-Rhône-Alpes", "en fonctionnement", 46.0700, 4.9000,
     "commune"),
    # postcodes holding "29" that are not the Finistère
    (7, "initiative", "Jardin partagé de Chalamont", "Chalamont", "01320", "01074", "01", "Ain",
     "84", "Auvergne-Rhône-Alpes", "en expérimentation", 45.9990, 5.1710, "commune"),
    (8, "groupe", "Groupe local de Mâcon-Nord", "Saint-Laurent-sur-Saône", "01290", "01370",
     "01", "Ain", "84", "Auvergne-Rhône-Alpes", "en construction", 46.3060, 4.8420, "commune"),
    (9, "initiative", "Caisse commune d'Hersin", "Hersin-Coupigny", "62960", "62438", "62",
     "Pas-de-Calais", "32", "Hauts-de-France", "en fonctionnement", 50.4470, 2.6490, "postcode"),
    # overseas
    (10, "initiative", "Jardins créoles de Pointe-à-Pitre", "Pointe-à-Pitre", "97110", "97120",
     "971", "Guadeloupe", "01", "Guadeloupe", "en fonctionnement", 16.2410, -61.5330,
     "commune"),
    (11, "groupe", "Groupe local de La Réunion", "Saint-Denis", "97400", "97411", "974",
     "La Réunion", "04", "La Réunion", "en expérimentation", -20.8820, 55.4500, "departement"),
    # script-bearing values in the derived properties too (they must stay text)
    (13, "groupe", "<img src=x onerror=\"window.__essaim_pwned='nom'\">", "<svg onload=\"window.__essaim_pwned='commune'\">",
     "75001", "<script>window.__essaim_pwned='insee'</script>", "\"><img src=x onerror=\"window.__essaim_pwned='dep'\">",
     "<img src=x onerror=\"window.__essaim_pwned='depnom'\">", "\"><b onmouseover=\"window.__essaim_pwned='reg'\">",
     "<iframe srcdoc=\"<script>parent.__essaim_pwned='regnom'</script>\">", "<b>actif</b>",
     48.8566, 2.3522, "<img src=x onerror=\"window.__essaim_pwned='precision'\">"),
    # no point
    (12, "initiative", "Cuisine de quartier de Lorient", "Lorient", "56100", "56121", "56",
     "Morbihan", "53", "Bretagne", "en réflexion", None, None, "none"),
]


def main():
    d = sys.argv[1]
    feats = []
    for (i, typ, nom, commune, cp, insee, dep, depn, reg, regn, etat, lat, lon, prec) in ROWS:
        feats.append({
            "type": "Feature", "id": i,
            "geometry": None if lat is None else {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "type": typ, "nom": nom, "commune": commune, "code_postal": cp,
                "etat": etat, "description": "Présentation de « %s », assez longue." % nom,
                "code_insee": insee, "departement": dep, "departement_nom": depn,
                "region": reg, "region_nom": regn, "geo_precision": prec,
                "date_creation": "2026-01-%02dT10:00:00Z" % i,
                "date_maj": "2026-02-%02dT10:00:00Z" % i}})
    gj = {"type": "FeatureCollection", "generated_at": "2026-03-01T10:00:00Z", "features": feats}
    with open(os.path.join(d, "carte.json"), encoding="utf-8") as f:
        carte = json.load(f)
    text = json.dumps(gj, ensure_ascii=False, indent=1)
    with open(os.path.join(d, "dynamiques.geojson"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(d, "donnees.js"), "w", encoding="utf-8") as f:
        f.write("window.essaimDonnees = {\"carte\": %s,\n\"geojson\": %s};\n"
                % (json.dumps(carte, ensure_ascii=False), text))

    def ids(pred):
        return sorted(r[0] for r in ROWS if pred(r))
    print(json.dumps({
        "total": len(ROWS),
        "located": ids(lambda r: r[11] is not None),
        "region53": ids(lambda r: r[8] == "53"),
        "groupe_region53": ids(lambda r: r[8] == "53" and r[1] == "groupe"),
        "dep29": ids(lambda r: r[6] == "29"),
        "fonctionnement": ids(lambda r: r[10] == "en fonctionnement"),
        "saint_etienne": [5],
        "approx": ids(lambda r: r[13] in ("postcode", "departement")),
        "overseas": {"971": ids(lambda r: r[6] == "971"), "974": ids(lambda r: r[6] == "974")},
    }, ensure_ascii=False))


main()
