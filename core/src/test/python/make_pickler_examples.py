#!/usr/bin/env python3
"""Writes core/src/test/resources/vectors/pickler.tsv: CPython's bytes for the values PicklerTest
builds in Java (Java collections, java.time values, registered records, out-of-band buffers).

Run with CPython 3.11:  python3 core/src/test/python/make_pickler_examples.py [--out PATH]
Columns: name  protocol  pickle_hex. The Java side of each name is in PicklerTest.
"""
import os
import sys

if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
              dict(os.environ, PYTHONHASHSEED='0'))

import argparse
import datetime
import pickle
import types

HERE = os.path.dirname(os.path.abspath(__file__))


def geometry_point():
    """A class geometry.Point whose instances carry x and y in their __dict__, as a dataclass does."""
    module = types.ModuleType('geometry')
    sys.modules['geometry'] = module

    class Point:
        def __init__(self, x, y):
            self.x = x
            self.y = y

    Point.__module__ = 'geometry'
    Point.__qualname__ = 'Point'
    module.Point = Point
    return Point


def examples():
    Point = geometry_point()
    tz = datetime.timezone
    td = datetime.timedelta
    yield 'alice', range(6), {'name': 'Alice', 'age': 25}
    yield 'java-collections', range(6), [[1, 2], (1, 'a'), 3, 4, 2.5, 'c', {'b': 1, 'a': 2}, {1, 2}, None, True, 2**70]
    yield 'java-time', range(6), [
        datetime.datetime(2026, 11, 25, 9, 30, 1, 500),
        datetime.datetime(2026, 11, 25, 9, 30, tzinfo=tz.utc),
        datetime.datetime(2026, 11, 25, 9, 30, tzinfo=tz(td(hours=9))),
        datetime.date(2026, 11, 25),
        datetime.time(23, 59, 59, 999999),
        datetime.time(12, 0, tzinfo=tz(td(hours=-5, minutes=-30))),
        td(days=-2, seconds=3, microseconds=4),
        tz(td(hours=2)),
        datetime.datetime(1970, 1, 1, 0, 0, 5, tzinfo=tz.utc),
    ]
    yield 'records', range(6), [Point(1, 2), Point(3, 'three')]
    yield 'big-payloads', [5], [b'x' * 65536, 'y' * 65537, bytearray(b'z' * 65536), list(range(20000))]
    # Below protocol 3 bytes become _codecs.encode(str(b, 'latin1'), 'latin1'): a large one, shared.
    big = bytes(range(256)) * 274
    yield 'big-bytes', range(3), [big, big, b'tail\xff']


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', default=os.path.join(HERE, '..', 'resources', 'vectors', 'pickler.tsv'))
    out = parser.parse_args().out
    lines = []
    for name, protocols, value in examples():
        for p in protocols:
            lines.append('%s\t%d\t%s' % (name, p, pickle.dumps(value, p).hex()))
    oob = [pickle.PickleBuffer(b'abc'), pickle.PickleBuffer(bytearray(b'xy'))]
    lines.append('out-of-band\t5\t%s' % pickle.dumps(oob, 5, buffer_callback=lambda b: False).hex())
    lines.append('in-band\t5\t%s' % pickle.dumps(oob, 5).hex())
    with open(out, 'w', newline='\n') as f:
        f.write('\n'.join(lines) + '\n')


main()
