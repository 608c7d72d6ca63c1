#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""include-graph.py [SRC]: check the include graph of src/ (docs/ARCHITECTURE.md).

A module is a path without its extension (src/store/entry.c + entry.h); module
A uses module B when A's .c or .h includes B's header ("store/entry.h", by its
path under src/, or a header of A's own folder by its bare name).
Prints every circle between modules ("circle: a b c"), every include that
points UP the stage order ("upward: process/x.c -> cli/cmd.h"), every include
that names no file of the tree ("missing: ..."), then one summary line:
  modules=N folders=F circles=K upward=U longest=L chain: a -> b -> ...
Exits 1 when there is a circle, an upward include or a missing header."""
import os
import re
import sys

# The stages, bottom first: a folder may include its own headers and those of
# the folders before it, never those after it.
STAGES = ["base", "places", "mail", "form", "store", "answers", "publish",
          "moderation", "process", "intake", "cli"]

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "src")
include = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', re.M)

GENERATED = {"version.h"}
files = []
for d, _, names in os.walk(root):
    files += [os.path.relpath(os.path.join(d, n), root)
              for n in names if n.endswith((".c", ".h"))]
present = set(files)
mod = lambda f: os.path.splitext(f)[0]
folder = lambda f: f.split(os.sep)[0] if os.sep in f else ""

edges, upward, missing = {}, [], []
for f in sorted(files):
    m = mod(f)
    edges.setdefault(m, set())
    with open(os.path.join(root, f), errors="replace") as fp:
        text = fp.read()
    for inc in include.findall(text):
        local = os.path.normpath(os.path.join(os.path.dirname(f), inc))
        target = local if local in present else os.path.normpath(inc)
        if target not in present:
            # generated files live in build/: the GResource bundle, and
            # version.h (the Makefile writes it from debian/changelog)
            if (not inc.endswith("-resources.h") and "build" not in inc and
                    inc not in GENERATED):
                missing.append("%s -> %s" % (f, inc))
            continue
        if mod(target) == m:
            continue
        edges[m].add(mod(target))
        a, b = folder(f), folder(target)
        if a in STAGES and b in STAGES and STAGES.index(b) > STAGES.index(a):
            upward.append("%s -> %s" % (f, target))

# circles: Tarjan's strongly connected components, iteratively
index, low, onstack, stack, circles = {}, {}, set(), [], []
counter = 0
for start in sorted(edges):
    if start in index:
        continue
    work = [(start, iter(sorted(edges[start])))]
    index[start] = low[start] = counter
    counter += 1
    stack.append(start)
    onstack.add(start)
    while work:
        v, it = work[-1]
        advanced = False
        for w in it:
            if w not in edges:
                edges[w] = set()
            if w not in index:
                index[w] = low[w] = counter
                counter += 1
                stack.append(w)
                onstack.add(w)
                work.append((w, iter(sorted(edges[w]))))
                advanced = True
                break
            if w in onstack:
                low[v] = min(low[v], index[w])
        if advanced:
            continue
        work.pop()
        if work:
            low[work[-1][0]] = min(low[work[-1][0]], low[v])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                onstack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

# the longest chain of includes (meaningful only without circles)
longest = []
if not circles:
    memo = {}
    def chain(v):
        if v not in memo:
            best = []
            for w in sorted(edges[v]):
                c = chain(w)
                if len(c) > len(best):
                    best = c
            memo[v] = [v] + best
        return memo[v]
    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        c = chain(v)
        if len(c) > len(longest):
            longest = c

for c in circles:
    print("circle:", " ".join(c))
for u in upward:
    print("upward:", u)
for m in missing:
    print("missing:", m)
folders = {folder(f) for f in files if f.endswith(".c")}
print("modules=%d folders=%d circles=%d upward=%d longest=%d chain: %s" % (
    len(edges), len(folders), len(circles), len(upward), len(longest),
    " -> ".join(longest) if longest else "-"))
sys.exit(1 if circles or upward or missing else 0)
