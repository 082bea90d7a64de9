#!/usr/bin/env python3
"""Loads what the Java side wrote and compares it with the Python value of the same name.

Reads lines 'name<TAB>protocol<TAB>pickle_hex' on standard input (PickleMapperWriteTest writes
them); prints one line per pickle: 'ok name protocol', or 'FAIL name protocol: why'.
"""
import os
import pickle
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import examples

VALUES = examples.values()

for line in sys.stdin:
    name, protocol, data = line.rstrip('\n').split('\t')
    try:
        loaded = pickle.loads(bytes.fromhex(data))
        expected = VALUES[name]
        if loaded != expected or type(loaded) is not type(expected):
            print('FAIL %s %s: loaded %r, expected %r' % (name, protocol, loaded, expected))
        else:
            print('ok %s %s' % (name, protocol))
    except Exception as e:
        print('FAIL %s %s: %s: %s' % (name, protocol, type(e).__name__, e))
