#!/usr/bin/env python3
"""Writes jackson/src/test/resources/binding.tsv: CPython's pickles of the values the jackson
module's tests read into Java types and write from them (PickleMapperReadTest, PickleMapperWriteTest).

Run with CPython 3.11 and numpy:  python3 jackson/src/test/python/make_binding_vectors.py [--out PATH]
Columns: name  protocol  pickle_hex. The classes are in pjtypes/ beside this script.
"""
import os
import sys

if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
              dict(os.environ, PYTHONHASHSEED='0'))

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import argparse
import pickle

import examples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', default=os.path.join(HERE, '..', 'resources', 'binding.tsv'))
    out = parser.parse_args().out
    lines = []
    for name, value in examples.values().items():
        # CPython cannot pickle a class with __slots__ and no __getstate__ below protocol 2.
        for p in range(2 if name == 'slots' else 0, 6):
            if name == 'stream':
                data = b''.join(pickle.dumps(v, p) for v in value)
            else:
                data = pickle.dumps(value, p)
            lines.append('%s\t%d\t%s' % (name, p, data.hex()))
    with open(out, 'w', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')


main()
