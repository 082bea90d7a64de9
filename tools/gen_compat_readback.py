#!/usr/bin/env python3
"""Generates core/src/test/resources/dev/picklejar/fuzz/compat-pickle-readback.tsv from CPython's
Lib/_compat_pickle.py: the globals whose name CPython reads back differently from the one it wrote.

Below protocol 3 CPython's pickler writes a global under its Python 2 name (REVERSE_NAME_MAPPING,
else REVERSE_IMPORT_MAPPING for the module) and its unpickler reads a Python 2 name as Python 3
(NAME_MAPPING, else IMPORT_MAPPING). The mappings are not all mutual, so a global G comes back as
N(G) = py3(py2(G)), a different name for the same object (_socket.socket is written as
socket._socketobject and read as socket.SocketType). The roundTrip fuzz target compares a value
with what was read back after applying N to its globals. Rows, tab-separated:

  name  MODULE NAME  READ_MODULE READ_NAME   a global read back under another name
  module  MODULE  READ_MODULE                any other global of MODULE comes back in READ_MODULE

Run from the repository root:
python3 tools/gen_compat_readback.py > core/src/test/resources/dev/picklejar/fuzz/compat-pickle-readback.tsv
"""
import _compat_pickle as c

NM, IM = c.NAME_MAPPING, c.IMPORT_MAPPING
RNM, RIM = c.REVERSE_NAME_MAPPING, c.REVERSE_IMPORT_MAPPING


def py2(m, n):
    return RNM.get((m, n)) or (RIM.get(m, m), n)


def py3(m, n):
    return NM.get((m, n)) or (IM.get(m, m), n)


def read_back(g):
    return py3(*py2(*g))


# The name rows: the pairs of REVERSE_NAME_MAPPING, and every name that NAME_MAPPING renames once
# its module is written under its Python 2 name (builtins.long is written __builtin__.long, read int).
names = set(RNM)
for (m2, n) in NM:
    names.update((m, n) for m in RIM if RIM[m] == m2)
    if m2 not in RIM:
        names.add((m2, n))
modules = set(RIM) | set(IM)

rows = []
for g in sorted(names):
    r = read_back(g)
    if r != g:
        assert read_back(r) == r, (g, r)  # a second write and read changes nothing more
        rows.append('name\t%s\t%s\t%s\t%s' % (g[0], g[1], r[0], r[1]))
    else:
        # a name that comes back as itself is never in a module that a module row renames
        assert py3(RIM.get(g[0], g[0]), '\0')[0] == g[0], g
for m in sorted(modules):
    r = py3(RIM.get(m, m), '\0')
    if r[0] != m and r[1] == '\0':
        assert py3(RIM.get(r[0], r[0]), '\0')[0] == r[0], (m, r)
        rows.append('module\t%s\t%s' % (m, r[0]))
print('\n'.join(rows))
