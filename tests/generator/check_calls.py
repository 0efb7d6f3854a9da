#!/usr/bin/env python3
"""Checks that the generator's source files call each other without a cycle.

usage: check_calls.py OBJECT...

Reads each object file's defined and undefined symbols with nm, draws an edge from file A
to file B when A uses a symbol B defines, and fails (exit 1) when any files form a cycle,
printing the files and the symbols that close it. Prints the call graph either way.
"""
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", obj], check=True, capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDRBC":
            defined.add(parts[2])
    return defined, used


def name_of(obj):
    base = os.path.basename(obj)
    for suffix in (".c.o", ".o", ".obj"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def main(objs):
    if not objs:
        print(__doc__)
        return 2
    owner, uses = {}, {}
    for obj in objs:
        name = name_of(obj)
        defined, used = symbols(obj)
        for s in defined:
            owner[s] = name
        uses[name] = used
    calls = {name: {} for name in uses}
    for name, used in uses.items():
        for s in used:
            target = owner.get(s)
            if target and target != name:
                calls[name].setdefault(target, set()).add(s)
    for name in sorted(calls):
        targets = ", ".join(sorted(calls[name])) or "-"
        print(f"{name:16} -> {targets}")

    # Tarjan's strongly connected components: any component of two or more files is a cycle.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in calls[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(calls):
        if v not in index:
            visit(v)
    for comp in cycles:
        print("CYCLE: " + " <-> ".join(comp))
        for a in comp:
            for b in comp:
                if b in calls[a]:
                    print(f"  {a} -> {b}: {', '.join(sorted(calls[a][b]))}")
    print(f"check_calls: {len(calls)} files, {sum(len(t) for t in calls.values())} edges, {len(cycles)} cycles")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
