#!/usr/bin/env python3
"""Writes the standard-library test vectors, core/src/test/resources/vectors/stdlib.tsv, from CPython.

Run it with CPython 3.11:  python3 core/src/test/python/make_stdlib_vectors.py [--out PATH]

The lines have the columns and conventions of reader.tsv (see make_vectors.py): name, protocol,
encoding, check, pickle_hex, expected. Each value is pickle.dumps(value, p) for p = 0..5; `repr`
vectors must load to a value whose repr() is the expected column, `load` vectors need only load
(their repr needs what the pickle does not hold: a namedtuple's field names, an enum member's
name, a dataclass's fields). Both kinds must be written back to the very same bytes, and the
`repr` ones, loaded at one protocol, written at every other as CPython writes them there.
"""

import os
import sys

if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
              dict(os.environ, PYTHONHASHSEED='0'))

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import argparse
import array
import collections
import datetime
import fractions
import functools
import ipaddress
import pathlib
import io
import pickle
import pickletools
import re
import zoneinfo

import vector_classes as vc

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'vectors', 'stdlib.tsv')
ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+')
LINE_BREAK = re.compile(r'\s*\n\s*')

LINES = []


def dumped(name, value, check='repr', protocols=range(0, pickle.HIGHEST_PROTOCOL + 1)):
    for protocol in protocols:
        data = pickle.dumps(value, protocol)
        loaded = pickle.loads(data)
        text = repr(loaded)
        if check == 'repr':
            assert text == repr(value), (name, protocol, text)
            assert '\n' not in text and not ADDRESS.search(text), text
        else:
            text = LINE_BREAK.sub(' ', ADDRESS.sub(' at 0x0', text))
        LINES.append('\t'.join([name, str(protocol), 'ASCII', check, data.hex(), text]))


def arrays():
    samples = {
        'b': [-128, 0, 127], 'B': [0, 255], 'h': [-32768, 1, 32767], 'H': [0, 65535],
        'i': [1, -2, 3], 'I': [0, 2**32 - 1], 'l': [-2**63, 2**63 - 1], 'L': [0, 2**64 - 1],
        'q': [-2**63, 0, 2**63 - 1], 'Q': [2**64 - 1], 'f': [0.5, -1.25, float('inf')],
        'd': [0.1, -0.0, 1e300, float('nan')],
    }
    for code, items in samples.items():
        dumped('array/' + code, array.array(code, items))
        dumped('array/' + code + '-empty', array.array(code))
    dumped('array/u', array.array('u', 'hé한\U0001f600'))
    dumped('array/u-empty', array.array('u'))
    dumped('array/in-a-list', [array.array('i', [7]), array.array('d', [2.5]), array.array('i', [7])])
    shared = array.array('h', [1, 2])
    dumped('array/shared', [shared, shared])
    dumped('array/large', array.array('d', range(8200)), protocols=range(3, 6))  # a payload over 64 KiB


def fractions_():
    for label, value in [('3/7', fractions.Fraction(3, 7)), ('-1/3', fractions.Fraction(-1, 3)),
                         ('5', fractions.Fraction(5)), ('0', fractions.Fraction(0)),
                         ('big', fractions.Fraction(2**100 + 1, 3**50))]:
        dumped('fraction/' + label, value)
    f = fractions.Fraction(1, 2)
    dumped('fraction/shared', [f, f, fractions.Fraction(1, 2)])


def enums():
    dumped('enum/by-name', vc.Shape.SQUARE, check='load')
    dumped('enum/by-name-list', [vc.Shape.SQUARE, vc.Shape.CIRCLE, vc.Shape.SQUARE], check='load')
    dumped('enum/by-value', vc.Color.RED, check='load')


def patterns():
    dumped('re/plain', re.compile('abc'))
    dumped('re/flags', re.compile(r'\d+', re.IGNORECASE))
    dumped('re/many-flags', re.compile(r'^a.b$', re.M | re.S | re.X))
    dumped('re/bytes', re.compile(rb'\x00+', re.I))
    dumped('re/quote', re.compile("it's"))


def partials():
    dumped('partial/kwargs', functools.partial(int, base=2))
    dumped('partial/args', functools.partial(max, 1, 2))
    dumped('partial/both', functools.partial(int, '10', base=16))
    dumped('partial/nested', functools.partial(functools.partial(max, 1), 2))


def zones():
    paris = zoneinfo.ZoneInfo('Europe/Paris')
    dumped('zoneinfo/key', paris)
    dumped('zoneinfo/utc', zoneinfo.ZoneInfo('UTC'))
    dumped('zoneinfo/datetime', datetime.datetime(2024, 7, 1, 12, 30, tzinfo=paris))
    dumped('zoneinfo/datetimes', [datetime.datetime(2024, 1, 1, tzinfo=paris),
                                  datetime.datetime(2024, 7, 1, 9, 5, 3, 7, tzinfo=zoneinfo.ZoneInfo('Asia/Seoul')),
                                  datetime.datetime(2024, 1, 2, tzinfo=paris)])
    dumped('zoneinfo/dst-overlap', datetime.datetime(2024, 10, 27, 2, 30, tzinfo=paris))
    dumped('zoneinfo/dst-gap', datetime.datetime(2024, 3, 31, 2, 30, tzinfo=paris))
    # fold=1 picks the later offset of the repeated hour; only protocol 4 and up keep the fold.
    dumped('zoneinfo/dst-overlap-fold', datetime.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=paris),
           protocols=range(4, 6))


def collections_():
    dumped('ordereddict/nested', collections.OrderedDict([('a', collections.OrderedDict([('b', 1)]))]))
    dumped('defaultdict/set', collections.defaultdict(set, {'k': {1}}))
    dumped('counter/words', collections.Counter(['a', 'b', 'a']))
    dumped('deque/nested', collections.deque([collections.deque([1]), 2]))
    dumped('namedtuple/point', vc.NT(1, 'a'), check='load')
    dumped('dataclass/plain', vc.Point(1, 2), check='load')
    dumped('dataclass/slots', vc.SlotsPoint(1, 2), check='load', protocols=range(2, 6))


def paths():
    dumped('pathlib/pure-posix', pathlib.PurePosixPath('a/b'))
    dumped('pathlib/posix', pathlib.PosixPath('/usr/lib'))
    dumped('pathlib/root', pathlib.PurePosixPath('/'))
    dumped('pathlib/dot', pathlib.PurePosixPath('.'))
    dumped('pathlib/windows', pathlib.PureWindowsPath('C:/Users/x'))
    dumped('pathlib/quote', pathlib.PurePosixPath("it's"))


def addresses():
    dumped('ipaddress/v4', ipaddress.IPv4Address('192.168.0.1'))
    dumped('ipaddress/v6', ipaddress.IPv6Address('2001:db8::1'))
    for label, text in [('zeros', '::'), ('loopback', '::1'), ('two-runs', '1:0:0:2::3'), ('trailing', '0:0:1::'),
                        ('full', '2001:db8:85a3:1:2:8a2e:370:7334'), ('v4-mapped', '::ffff:1.2.3.4'),
                        ('scoped', 'fe80::1%eth0')]:
        dumped('ipaddress/v6-' + label, ipaddress.IPv6Address(text))
    dumped('ipaddress/v4-extremes', [ipaddress.IPv4Address('0.0.0.0'), ipaddress.IPv4Address('255.255.255.255')])
    dumped('ipaddress/v4-network', ipaddress.IPv4Network('10.0.0.0/8'))
    dumped('ipaddress/v6-network', ipaddress.IPv6Network('2001:db8::/32'))
    dumped('ipaddress/v4-interface', ipaddress.IPv4Interface('10.1.2.3/8'))
    dumped('ipaddress/v6-interface', ipaddress.IPv6Interface('::1/128'))


def shared_memo_streams():
    """Streams of one Pickler's repeated dump(): pickletools' own _memo_test, and richer ones.
    Each line: name, protocol, the stream's hex, the hex of what pickletools.dis prints for it with
    one memo (the loop `memo = {}; while f.peek(1): dis(f, memo=memo)`), then repr() of each value
    one Unpickler's repeated load() gives. Where pickletools raises, the listing ends with the line
    '!ValueError: message'."""
    x = [1, 2, 3]
    shared = {'k': 'v'}
    streams = [
        ('memo-test', [x, x]),  # pickletools._memo_test
        ('strings-and-containers', ['a', shared, ('t', shared), shared, 'a']),
        ('after-clear', [x, None, x]),  # None here stands for clear_memo()
        ('stdlib', [collections.OrderedDict(a=1), fractions.Fraction(1, 3)]),
    ]
    lines = []
    for name, values in streams:
        for protocol in range(0, pickle.HIGHEST_PROTOCOL + 1):
            f = io.BytesIO()
            p = pickle.Pickler(f, protocol)
            dumped = []
            for v in values:
                if v is None and name == 'after-clear':
                    p.clear_memo()
                else:
                    p.dump(v)
                    dumped.append(v)
            data = f.getvalue()
            listing = io.StringIO()
            f = io.BytesIO(data)
            memo = {}
            try:
                while f.tell() < len(data):
                    pickletools.dis(f, listing, memo)
            except ValueError as e:  # a PUT after clear_memo() redefines a key of the one memo
                listing.write('!ValueError: %s\n' % e)
            f = io.BytesIO(data)
            u = pickle.Unpickler(f)
            reprs = []
            while f.tell() < len(data):
                reprs.append(repr(u.load()))
            assert reprs == [repr(v) for v in dumped], (name, reprs)
            lines.append('\t'.join([name, str(protocol), data.hex(), listing.getvalue().encode().hex()] + reprs))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    parser.add_argument('--shared-memo-out', default=None,
                        help='where the shared-memo streams go (default: shared-memo.tsv beside --out)')
    args = parser.parse_args()
    arrays()
    fractions_()
    enums()
    patterns()
    partials()
    zones()
    collections_()
    paths()
    addresses()
    with open(args.out, 'w', encoding='utf-8', newline='\n') as out:
        out.write('# Written by core/src/test/python/make_stdlib_vectors.py with CPython %s; do not edit.\n'
                  % sys.version.split()[0])
        for line in LINES:
            out.write(line + '\n')
    print('%d vectors written to %s' % (len(LINES), args.out))
    streams = args.shared_memo_out or os.path.join(os.path.dirname(args.out), 'shared-memo.tsv')
    lines = shared_memo_streams()
    with open(streams, 'w', encoding='utf-8', newline='\n') as out:
        out.write('# Written by core/src/test/python/make_stdlib_vectors.py with CPython %s; do not edit.\n'
                  '# name, protocol, stream hex, hex of pickletools.dis with one memo, repr of each load()\n'
                  % sys.version.split()[0])
        for line in lines:
            out.write(line + '\n')
    print('%d shared-memo streams written to %s' % (len(lines), streams))


if __name__ == '__main__':
    main()
