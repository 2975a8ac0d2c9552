#!/usr/bin/env python3
"""layers.py — the code's shape, checked from its sources and objects (issue 13).

1. Layers: analysis/ includes only analysis headers; render/ no grade/ or cmd/ header; grade/
   no cmd/ header (the Makefile's include paths enforce this too; this says which line).
2. No include circle: module A depends on B when a file of A includes a header of B. A
   circle (A -> B -> ... -> A) fails.
3. No call circle: module A depends on B when an object of A uses a symbol an object of B
   defines (nm).

A module is a .c with its .h, and the files beside them named after it with a suffix
(decode_link.c and decode_internal.h belong to decode; pdf_session_layout.c to pdf_session):
a module may span files that share a private header, and recurse among them (the decoders
of nested tunnels do), but never back into a module that depends on it.

Usage: tests/layers.py BUILD_DIR. Prints 'layers: N passed, M failed'."""
import os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS = ['analysis', 'render', 'grade', 'cmd']  # each may include only layers before it

def sources():
    for top in LAYERS:
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if f.endswith(('.c', '.h')):
                    yield os.path.join(d, f)

def module_of(path):
    """The longest prefix of the file's name, cut at '_', that names a .c or .h beside it."""
    d, name = os.path.split(os.path.splitext(path)[0])
    parts = name.split('_')
    for k in range(1, len(parts) + 1):
        stem = '_'.join(parts[:k])
        if os.path.exists(os.path.join(d, stem + '.c')) or os.path.exists(os.path.join(d, stem + '.h')):
            return os.path.relpath(os.path.join(d, stem), ROOT)
    return os.path.relpath(os.path.join(d, name), ROOT)

def layer_of(path):
    return os.path.relpath(path, ROOT).split(os.sep)[0]

def sccs(graph):
    """Tarjan's strongly connected components with more than one node."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in list(graph):
        if v not in index: visit(v)
    return out

def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    failed = passed = 0
    headers = {}
    for p in sources():
        if p.endswith('.h'):
            headers.setdefault(os.path.basename(p), p)
    inc_graph = {}
    for p in sources():
        mod = module_of(p)
        for n, line in enumerate(open(p, encoding='utf-8', errors='replace'), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m or os.path.basename(m.group(1)) not in headers:
                continue
            target = headers[os.path.basename(m.group(1))]
            if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(p)):
                print(f'FAIL: {os.path.relpath(p, ROOT)}:{n} includes {os.path.relpath(target, ROOT)} from a layer above')
                failed += 1
            tmod = module_of(target)
            if tmod != mod:
                inc_graph.setdefault(mod, set()).add(tmod)
    circles = sccs(inc_graph)
    for c in circles:
        print('FAIL: include circle among ' + ', '.join(c))
    failed += len(circles)
    passed += 1 if not circles else 0

    objs = []
    for top in LAYERS:
        for d, _, files in os.walk(os.path.join(ROOT, build, top)):
            objs += [os.path.join(d, f) for f in files if f.endswith('.o')]
    if not objs:
        print(f'FAIL: no objects under {build}/ (build first)')
        failed += 1
    defined, used = {}, {}
    for o in objs:
        out = subprocess.run(['nm', '--defined-only', '-g', o], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3:
                defined[parts[2]] = o
        out = subprocess.run(['nm', '-u', o], capture_output=True, text=True).stdout
        used[o] = {l.split()[-1] for l in out.splitlines() if l.strip()}
    src = lambda o: os.path.join(ROOT, os.path.relpath(o, os.path.join(ROOT, build)))
    call_graph = {}
    for o in objs:
        mod = module_of(src(o))
        for s in used[o]:
            if s in defined and module_of(src(defined[s])) != mod:
                call_graph.setdefault(mod, set()).add(module_of(src(defined[s])))
    circles = sccs(call_graph)
    for c in circles:
        print('FAIL: call circle among ' + ', '.join(c))
    failed += len(circles)
    passed += 1 if objs and not circles else 0
    print(f'layers: {passed} passed, {failed} failed')
    return 1 if failed else 0

sys.exit(main())
