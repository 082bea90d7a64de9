#!/usr/bin/env python3
"""Writes the repr() test vectors that ReprTest checks dev.picklejar.Repr against.

CPython is the oracle: every expected string here is what CPython 3.11's repr() printed. The
output is deterministic (fixed seed), so re-running it leaves the files unchanged. Run from the
repository root with Python 3.11:
python3 core/src/test/python/make_repr_vectors.py

Files, in core/src/test/resources/repr/, one case a line, fields separated by TAB (no repr below
can hold a TAB, CR or LF: repr escapes them):
  floats.tsv   the double's 64 bits in hex, repr(float)
  complex.tsv  the real part's bits, the imaginary part's bits, repr(complex)
  strings.tsv  the str's UTF-16 code units in hex (4 digits each, lone surrogates as themselves), repr(str)
  bytes.tsv    the bytes in hex, repr(bytes), repr(bytearray)
"""
import math
import os
import random
import struct
import sys
import unicodedata

if sys.version_info[:2] != (3, 11) or unicodedata.unidata_version != '14.0.0':
    sys.exit('make_repr_vectors.py: run me with Python 3.11 (Unicode 14.0.0)')

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'repr')
rng = random.Random(20240611)


def bits(x):
    return struct.unpack('>Q', struct.pack('>d', x))[0]


def from_bits(b):
    return struct.unpack('>d', struct.pack('>Q', b))[0]


def hexbits(x):
    return '%016x' % bits(x)


def write(name, rows):
    for row in rows:
        for field in row:
            assert '\t' not in field and '\n' not in field and '\r' not in field, (name, row)
    with open(os.path.join(OUT, name), 'w', encoding='utf-8', newline='\n') as f:
        for row in rows:
            f.write('\t'.join(row) + '\n')


def floats():
    xs = [0.0, -0.0, math.inf, -math.inf, math.nan, -math.nan, from_bits(0x7ff0000000000001),
          from_bits(0xfff8000000000123), sys.float_info.max, sys.float_info.min, sys.float_info.epsilon,
          5e-324, 1e-323, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e16, 1e15, 1e17, 9999999999999998.0, 1e-4, 1e-5,
          0.0001, 0.00001, 1.5e-5, 123456789012345680.0, 1e22, 1e23, 2e-3, 4.35, 2.0 ** 53, 2.0 ** 53 + 2,
          2.0 ** -1022, 2.0 ** -1074, 100.0, 1.0, -1.0, 0.5, 1e308, 1.7976931348623157e308]
    # Powers of two: the rounding interval is lopsided there.
    xs += [math.ldexp(1.0, e) for e in range(-1074, 1024)]
    # Every subnormal with few significant bits, and random ones.
    xs += [from_bits(t) for t in range(1, 1200)]
    xs += [from_bits(rng.randrange(1, 1 << 52)) for _ in range(500)]
    # Integers near 1e16 and 2**53, where repr switches to exponent form.
    xs += [float(10 ** 16 + k) for k in range(-300, 300, 3)]
    xs += [float(2 ** 53 + k) for k in range(-100, 100)]
    xs += [float(10 ** k) for k in range(0, 309)] + [float(10 ** k) - 1 for k in range(0, 30)]
    # Short decimals, the everyday case, and their neighbours.
    for _ in range(3000):
        x = float('%de%d' % (rng.randrange(1, 100000), rng.randrange(-330, 310)))
        xs.append(x)
    xs += [float('0.%d' % i) for i in range(1, 1000)]
    xs += [float('%d.%02d' % (rng.randrange(0, 10000), rng.randrange(100))) for _ in range(1000)]
    for k in range(-323, 309, 2):
        p = float('1e%d' % k)
        xs += [math.nextafter(p, math.inf), math.nextafter(p, -math.inf)]
    # Uniform in magnitude, and uniform bit patterns.
    xs += [rng.uniform(-1, 1) * 10.0 ** rng.randrange(-320, 308) for _ in range(3000)]
    xs += [from_bits(rng.getrandbits(64)) for _ in range(8000)]
    seen = set()
    rows = []
    for x in xs:
        x = x if rng.random() < 0.8 or math.isnan(x) else -x
        b = hexbits(x)
        if b not in seen:
            seen.add(b)
            rows.append((b, repr(x)))
    write('floats.tsv', rows)
    return len(rows)


def complexes():
    special = [0.0, -0.0, 1.0, -1.0, 1.5, -2.5, math.nan, -math.nan, math.inf, -math.inf, 1e16, 1e-5, 5e-324,
               0.1, 123456789.0, 1e300, 1e15, 9999999999999998.0]
    pairs = [(a, b) for a in special for b in special]
    for _ in range(2000):
        pick = lambda: (from_bits(rng.getrandbits(64)) if rng.random() < 0.5
                        else float('%de%d' % (rng.randrange(1, 1000), rng.randrange(-20, 20))))
        pairs.append((pick(), pick()))
    rows = [(hexbits(a), hexbits(b), repr(complex(a, b))) for a, b in pairs]
    write('complex.tsv', rows)
    return len(rows)


def utf16(s):
    return s.encode('utf-16-be', 'surrogatepass').hex()


def java_safe(s):
    """A Java String cannot keep a lone high surrogate followed by a lone low one apart from a pair."""
    return not any(0xd800 <= ord(a) <= 0xdbff and 0xdc00 <= ord(b) <= 0xdfff for a, b in zip(s, s[1:]))


def strings():
    cases = ['', "'", '"', '\'"', 'it\'s', 'say "hi"', 'both \' and "', '\\', '\\\'', 'a\\"b', "'''", '"""',
             '\t\n\r\x00\x7f\x80\x9f\xa0\xad\xff', '\u2028\u2029\x85', '\ufeff\u200b\u200d\u200e',
             '\ud800', '\udfff', 'a\udc00b', '\udfff\ud800', '\ud83d', '\ude00', 'x\udbff', '\udbff\ud800',
             '\ud83d\ude00', '안녕하세요', '한국어 텍스트 \u3164\uffa0', '\u1100\u1161\u11a8', '😀', '👨‍👩‍👧',
             '🇰🇷', '❤️', 'e\u0301', 'שלום עולם', 'مرحبا', '\U000e0001\U000e0020\U000e007f', '\U0010ffff',
             '\U000f0000', '\U0001f9ff\U0001fa70', '\U0001fbf9\U0001fbfa', '\U00031349\U0003134a',
             '\ue000\uf8ff', '\ufff9\ufffc\ufffd\ufffe\uffff', 'x' * 300]
    step = 64
    for start in range(0, 0x3000, step):
        cases.append(''.join(chr(c) for c in range(start, start + step)))
    # Both sides of every place where str.isprintable() flips, across all planes.
    printable = True
    for c in range(0x110000):
        p = chr(c).isprintable()
        if p != printable:
            cases.append(chr(max(c - 1, 0)) + chr(c) + 'a' + chr(c))
            printable = p
    for _ in range(3000):
        n = rng.randrange(1, 6)
        cases.append(''.join(chr(rng.choice((rng.randrange(0x110000), rng.randrange(0x3000, 0x10000),
                                            rng.randrange(0x10000, 0x20000))))
                             for _ in range(n)))
    rows = []
    for s in cases:
        if java_safe(s):
            rows.append((utf16(s), repr(s)))
    write('strings.tsv', rows)
    return len(rows)


def byteses():
    cases = [b'', b"'", b'"', b'\'"', b"it's", b'say "hi"', b'\\', bytes(range(256)), b'\t\n\r\x0b\x0c']
    cases += [bytes([i]) for i in range(256)]
    cases += [bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 40))) for _ in range(300)]
    rows = [(b.hex(), repr(b), repr(bytearray(b))) for b in cases]
    write('bytes.tsv', rows)
    return len(rows)


os.makedirs(OUT, exist_ok=True)
print('floats %d, complex %d, strings %d, bytes %d' % (floats(), complexes(), strings(), byteses()))
