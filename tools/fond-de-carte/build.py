#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build data/map/fond-carte.js, the map page's own base map: France's
départements and régions, overseas included, as a light simplified outline.

Sources, both Debian packages (versions pinned below; the script refuses
others, so that a rerun gives the same bytes):
  - r-cran-maps, its "france" database: the 96 metropolitan départements
    (UNEP/GRID-Geneva NUTS III, around 1989; GPL-2), read with Rscript;
  - gmt-dcw, the Digital Chart of the World for GMT: the outlines of the five
    overseas départements (GP, MQ, GF, RE, YT; LGPL-3+), read with ncdump.
Régions come from data/departements.tsv (INSEE codes, current régions): a
région border is a stretch of border between two départements of different
régions.

The outline is cut into arcs shared by neighbours (as TopoJSON does), each
arc simplified once (Douglas-Peucker), so that neighbours still meet.

  tools/fond-de-carte/build.py data/departements.tsv data/map/fond-carte.js
"""
import json
import re
import subprocess
import sys
import unicodedata

PINNED = {"r-cran-maps": "3.4.1-1", "gmt-dcw": "2.1.1-1"}
DCW = "/usr/share/gmt-dcw/dcw-gmt.nc"
OVERSEAS = {"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976"}
TOLERANCE = 0.006       # degrees, Douglas-Peucker (about 500 m)
DECIMALS = 3            # about 100 m
MIN_RING = 0.0004       # square degrees: islets smaller than this are dropped


def die(msg):
    sys.exit("fond-de-carte: " + msg)


def check_versions():
    for pkg, want in PINNED.items():
        try:
            have = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                                  capture_output=True, text=True, check=True).stdout
        except subprocess.CalledProcessError:
            die("%s is not installed (apt-get install %s)" % (pkg, pkg))
        if have != want:
            die("%s %s is installed, this script is pinned to %s" % (pkg, have, want))


def fold(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", s.lower())


def read_departements(path):
    deps = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        code, name, region, region_name = line.rstrip("\n").split("\t")[:4]
        deps[code] = (name, region, region_name)
    return deps


def metropole():
    """[(département name, [ring])] from r-cran-maps, rings closed."""
    r = subprocess.run(["Rscript", "-e",
                        'library(maps); m <- map("france", plot=FALSE, fill=TRUE); '
                        'cat(m$names, sep="\\n"); cat("--\\n"); '
                        'write.table(cbind(m$x, m$y), row.names=FALSE, col.names=FALSE)'],
                       capture_output=True, text=True, check=True).stdout
    names, xy = r.split("--\n", 1)
    names = names.splitlines()
    rings, cur = [], []
    for line in xy.splitlines():
        x, y = line.split()
        if x == "NA":
            rings.append(cur)
            cur = []
        else:
            cur.append((float(x), float(y)))
    rings.append(cur)
    if len(rings) != len(names):
        die("r-cran-maps: %d polygons, %d names" % (len(rings), len(names)))
    out = []
    for n, ring in zip(names, rings):
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        out.append((n.split(":")[0], ring))
    return out


def dcw(code):
    """Rings of country CODE in the DCW file (lon in 0..360 made -180..180)."""
    def var(name):
        txt = subprocess.run(["ncdump", "-v", name, DCW], capture_output=True, text=True,
                             check=True).stdout
        head = {}
        for k in ("min", "scale"):
            m = re.search(r"\b%s:%s = ([-0-9.e]+)" % (name, k), txt)
            head[k] = float(m.group(1))
        data = txt.split("data:", 1)[1]
        data = data.split("=", 1)[1].rsplit(";", 1)[0]
        vals = [v.strip() for v in data.replace("\n", " ").split(",")]
        return [None if v == "_" else head["min"] + int(v) / head["scale"] for v in vals]
    lon, lat = var(code + "_lon"), var(code + "_lat")
    rings, cur = [], []
    for x, y in zip(lon, lat):
        if x is None:
            if cur:
                rings.append(cur)
            cur = []
            continue
        cur.append((x - 360 if x > 180 else x, y))
    if cur:
        rings.append(cur)
    for r in rings:
        if r[0] != r[-1]:
            r.append(r[0])
    return rings


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


def build(rings_by_dep, deps):
    """rings_by_dep: [(code, ring)]. Returns features and région borders."""
    # which rings use each point: a point where the set changes is a junction
    users = {}
    for i, (_, ring) in enumerate(rings_by_dep):
        for p in ring[:-1]:
            users.setdefault(p, set()).add(i)
    # the edges each ring shares, to tell borders apart
    edge_users = {}
    for i, (_, ring) in enumerate(rings_by_dep):
        for a, b in zip(ring, ring[1:]):
            edge_users.setdefault(frozenset((a, b)), set()).add(i)
    arcs = {}           # (start, end, tuple of points) canonical → simplified

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
    for i, (code, ring) in enumerate(rings_by_dep):
        pts = ring[:-1]
        n = len(pts)
        # junctions: points whose users differ from a neighbour's
        cut = [k for k in range(n)
               if users[pts[k]] != users[pts[k - 1]] or users[pts[k]] != users[pts[(k + 1) % n]]]
        if not cut:
            # a ring shared with nobody, or all along one neighbour: cut at its
            # lowest point so that both sides cut it at the same place
            cut = [min(range(n), key=lambda k: pts[k])]
        out = []
        for j, k in enumerate(cut):
            end = cut[(j + 1) % len(cut)]
            seq = [pts[m % n] for m in range(k, end + (n if end <= k else 0) + 1)]
            s = simplified(seq)
            out += s if not out else s[1:]
            # a région border: this stretch lies between two départements of
            # different régions (drawn once)
            if len(seq) > 1:
                sides = edge_users.get(frozenset((seq[0], seq[1])), set())
                if len(sides) == 2:
                    other = rings_by_dep[(sides - {i}).pop()][0]
                    if deps[other][1] != deps[code][1]:
                        key = frozenset((tuple(seq), tuple(reversed(seq))))
                        if key not in seen_border:
                            seen_border.add(key)
                            borders.append(s)
        if out[0] != out[-1]:
            out.append(out[0])
        if len(out) >= 4 and area(out) >= MIN_RING:
            feats.setdefault(code, []).append(out)
    return feats, borders


def rnd(ring):
    out = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def ccw(ring):
    s = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
    return ring if s > 0 else list(reversed(ring))


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    check_versions()
    deps = read_departements(argv[1])
    by_name = {fold(v[0]): k for k, v in deps.items()}
    rings = []
    for name, ring in metropole():
        code = by_name.get(fold(name))
        if code is None:
            die("r-cran-maps: no INSEE code for %r" % name)
        rings.append((code, ring))
    for iso, code in OVERSEAS.items():
        for ring in dcw(iso):
            rings.append((code, ring))
    feats, borders = build(rings, deps)
    missing = sorted(c for c in deps if len(c) == 2 or c in OVERSEAS.values()
                     if c not in feats)
    if missing:
        die("départements without an outline: %s" % missing)
    features = []
    for code in sorted(feats):
        name, region, region_name = deps[code]
        polys = [[ccw(rnd(r))] for r in feats[code]]
        features.append({"type": "Feature",
                         "properties": {"code": code, "nom": name, "region": region,
                                        "region_nom": region_name},
                         "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    features.append({"type": "Feature", "properties": {"limite": "region"},
                     "geometry": {"type": "MultiLineString",
                                  "coordinates": [rnd(b) for b in borders]}})
    fc = {"type": "FeatureCollection",
          "source": "r-cran-maps %s (france: UNEP/GRID-Geneva), gmt-dcw %s (DCW-GMT)"
                    % (PINNED["r-cran-maps"], PINNED["gmt-dcw"]),
          "features": features}
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write("/* Generated by tools/fond-de-carte/build.py, do not edit.\n"
                " * Départements: r-cran-maps (france, UNEP/GRID-Geneva, GPL-2);\n"
                " * overseas: gmt-dcw (DCW-GMT, LGPL-3+). See data/README.md. */\n")
        f.write("window.essaimFond = ")
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
        f.write(";\n")
    npts = sum(len(r) for c in feats.values() for r in c)
    print("fond-de-carte: %d départements, %d rings, %d points, %d région borders"
          % (len(feats), sum(len(c) for c in feats.values()), npts, len(borders)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
