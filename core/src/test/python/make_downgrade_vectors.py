#!/usr/bin/env python3
"""Writes core/src/test/resources/vectors/downgrade.tsv: instances pickled at protocol 5, and what
CPython writes for the same instances at protocols 0 and 1 (copyreg._reduce_ex's forms), or the
TypeError it raises. picklejar loads the protocol 5 pickle and must write the same at 0 and 1.

Run it with CPython 3.11:  python3 core/src/test/python/make_downgrade_vectors.py [--out PATH]

Columns: name  protocol5_hex  protocol0  protocol1, where protocol0/1 is the pickle's hex or
"!" and CPython's TypeError message.
"""
import argparse
import os
import pickle
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vector_classes import MyDict, MyList, Slotted, SlottedWithDict  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(HERE, "..", "resources", "vectors", "downgrade.tsv"))
    out = parser.parse_args().out
    tagged = MyList([1, 2])
    tagged.tag = 't'
    values = [('list subclass with an attribute', tagged), ('list subclass', MyList([1, 2])),
              ('dict subclass', MyDict(k=1)), ('slots', Slotted(1, 2)),
              ('slots and a dict', SlottedWithDict(1, z=3))]
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Written by core/src/test/python/make_downgrade_vectors.py from CPython 3.11. Do not edit.\n")
        f.write("# name\tprotocol5_hex\tprotocol0\tprotocol1\n")
        for name, value in values:
            columns = [name, pickle.dumps(value, 5).hex()]
            for protocol in (0, 1):
                try:
                    columns.append(pickle.dumps(value, protocol).hex())
                except TypeError as e:
                    columns.append("!" + str(e))
            f.write("\t".join(columns) + "\n")


if __name__ == "__main__":
    main()
