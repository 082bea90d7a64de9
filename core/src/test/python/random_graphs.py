#!/usr/bin/env python3
"""Random object graphs for the live differential test (DifferentialTest.java).

Usage: random_graphs.py --seed S --count N

Prints, for each of N random graphs and each protocol 0..5, one line:

    index <TAB> protocol <TAB> pickle as hex <TAB> repr(pickle.loads(pickle))

The repr is taken from the *loaded* object, so it is exactly what CPython shows after reading the
pickle (for a set, the order CPython gives the set it rebuilt). The output is UTF-8, one line per
pickle, and the same for the same seed: the script re-executes itself with PYTHONHASHSEED=0 when no
hash seed is set, since str and bytes hashes decide the order of set items.

What the graphs hold: nested lists, dicts, tuples, sets and frozensets; dict keys of type str, int,
float, tuple, bytes, None, bool and frozenset; shared references (one list, dict, str, tuple, bytes
or frozenset object placed several times); cycles (a list or dict containing itself, directly,
through another list or through a tuple, the tuple possibly being the root); ints of every size up
to about 2**5000, around every byte-length boundary; floats (nan, inf, -inf, -0.0, subnormals,
random bit patterns, numbers near repr's switch to exponent form); str (ASCII with the characters
protocol 0 must escape, Latin-1, Korean, emoji, lone surrogates, random code points); bytes;
bytearray; complex; None, True, False; standard-library values: datetime (naive, timezone.utc,
fixed offsets), date, time, timedelta, Decimal (NaN, sNaN, Infinity, -0, exponents), uuid.UUID and
collections.OrderedDict. Fixed graph numbers hold the rarer shapes: containers of 1000*k + 1 items
and deep nesting (every 60th graph), bytes (graph 42) and a str and a bytearray (graph 197) of 64 KiB
or more, which protocol 4 writes outside its frames. Now and then a value sits at the edge of what
java.time, BigDecimal or a Java map holds: fold=1, a named timezone, an offset of more than 18 hours
or with microseconds, datetime.max, a Decimal exponent beyond 2**31, two distinct nan objects, a UUID
with is_safe set, equal keys of different types. Keys are never nan (see key()).

Two rules keep the expected reprs something a Java reader can reproduce at all:

* Lone surrogates appear, but never a high surrogate directly followed by a low surrogate in one
  str: a Java String cannot tell that pair of lone surrogates from the astral character it would
  encode, so such a str has no single right answer on the JVM.
* Sets and frozensets hold no nan and no None, not even inside a tuple (the hash of both is their
  identity in Python 3.11, so the order CPython gives a set holding them changes from run to run),
  unless nan is all they hold, and each set is built so that
  re-inserting its items in their iteration order gives the same order back: then the order of the
  pickled items, which a Java reader keeps, is also the order CPython shows after loading.
"""

import argparse
import collections
import datetime
import decimal
import os
import pickle
import random
import struct
import sys
import uuid

if os.environ.get('PYTHONHASHSEED') is None:
    env = dict(os.environ, PYTHONHASHSEED='0')
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)

PROTOCOLS = range(6)  # 0 to 5, whatever the highest protocol of this Python
NAN = float('nan')
INF = float('inf')


def no_surrogate_pairs(s):
    """s with a character put between any high surrogate directly followed by a low surrogate."""
    out = []
    for ch in s:
        if out and 0xDC00 <= ord(ch) <= 0xDFFF and 0xD800 <= ord(out[-1]) <= 0xDBFF:
            out.append('x')
        out.append(ch)
    return ''.join(out)


def unstable_hash(value):
    """Whether the value's hash may change from run to run: nan's hash is its identity, and so is
    None's before Python 3.12 (then the order of a set holding it would not be reproducible)."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, complex):
        return value.real != value.real or value.imag != value.imag
    if isinstance(value, (tuple, frozenset)):
        return any(unstable_hash(v) for v in value)
    return False


def stable_set(items, kind=set):
    """A set (or frozenset) of some of the items whose iteration order survives a pickle round trip.

    The unpickler adds the items one by one in their pickled order (ADDITEMS, FROZENSET or
    set([...])), which is the iteration order of the original set; kind(a list) does the same.
    Collisions can make that order differ, and not every set of items has an order that comes back
    unchanged: then the last item is dropped and the rest tried again (one item always works).
    """
    items = [x for x in items if not unstable_hash(x)]
    while True:
        s = kind(items)
        for _ in range(10):
            order = list(s)
            again = kind(order)
            if list(again) == order:
                return again
            s = again
        items = items[:-1]


class Graphs:
    def __init__(self, rng):
        self.rng = rng
        self.pool = []           # objects of the current graph that may be placed again
        self.hashable_pool = []  # those of them that can be dict keys or set items

    # ---- atoms -------------------------------------------------------------------------------

    def small_int(self):
        r = self.rng
        return r.choice([
            lambda: r.randrange(-5, 300),
            lambda: r.choice([0, 1, -1, 127, 128, 255, 256, 65535, 65536, -129, -128, -256, -257,
                              2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32 - 1, 2**32,
                              2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64, -2**64]),
            lambda: r.randrange(-2**40, 2**40),
        ])()

    def big_int(self):
        r = self.rng
        choice = r.randrange(5)
        if choice == 0:  # +-2**k + small delta
            k = r.choice([r.randrange(0, 130), r.randrange(0, 130), r.randrange(0, 600), r.randrange(0, 5001)])
            return r.choice([1, -1]) * 2**k + r.randrange(-2, 3)
        if choice == 1:  # around a byte-length boundary of the two's complement encoding
            n = r.choice([r.randrange(1, 12), r.randrange(1, 300), r.randrange(250, 630)])
            edge = 2**(8 * n - 1)
            return r.choice([edge - 1, edge, edge + 1, -edge, -edge - 1, -edge + 1,
                             2**(8 * n) - 1, -(2**(8 * n)) + 1])
        if choice == 2:  # a random value of a random number of bits
            bits = r.choice([r.randrange(1, 130), r.randrange(1, 5001)])
            return r.choice([1, -1]) * r.getrandbits(bits)
        if choice == 3:  # a random value with exactly 8n-1 or 8n bits, around LONG1/LONG4's 255/256 bytes
            n = r.choice([r.randrange(1, 20), 255, 256, 257, r.randrange(200, 300)])
            bits = 8 * n - r.randrange(0, 2)
            return r.choice([1, -1]) * (2**(bits - 1) | r.getrandbits(bits - 1))
        return r.choice([1, -1]) * 10**r.choice([r.randrange(1, 40), r.randrange(1, 1500)])

    def float_(self):
        r = self.rng
        choice = r.randrange(8)
        if choice == 7:
            return r.choice([NAN, -NAN, INF, -INF, 0.0, -0.0])
        if choice == 0:
            return r.choice([NAN, INF, -INF, -0.0, 1.0, -1.0, 0.1, 0.5, 1 / 3, 2 / 3,
                             5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
                             1.7976931348623157e308, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5,
                             0.0001, 0.00001, 123456789.0, 1e22, 1e23, 2**53, 2**53 + 2.0,
                             4.35, 1.1, 100.0, -2.5])
        if choice == 1:  # a random bit pattern (nan payloads included)
            return struct.unpack('<d', r.getrandbits(64).to_bytes(8, 'little'))[0]
        if choice == 2:  # a subnormal
            bits = r.getrandbits(52) or 1
            sign = r.getrandbits(1) << 63
            return struct.unpack('<d', (sign | bits).to_bytes(8, 'little'))[0]
        if choice == 3:  # around repr's switch between plain and exponent form (1e16 and 1e-4)
            return r.choice([1, -1]) * r.uniform(0.5, 10) * 10.0**r.choice([-5, -4, -3, 15, 16, 17])
        if choice == 4:
            return r.uniform(-1000, 1000)
        if choice == 5:
            return float(r.randrange(-10**6, 10**6))
        return r.choice([1, -1]) * r.random() * 10.0**r.randrange(-320, 309)

    def text(self, length=None):
        r = self.rng
        if length is None:
            length = r.choice([0, 1, r.randrange(0, 8), r.randrange(0, 20), r.randrange(0, 30),
                               r.randrange(0, 100), r.choice([255, 256, 85, 86])])
        kind = r.randrange(9)
        if kind == 0:
            alphabet = 'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 _-.,:;!?'
            chars = [r.choice(alphabet) for _ in range(length)]
        elif kind == 1:  # ASCII, including what protocol 0 and repr must escape
            special = '\\\n\r\t\x00\x1a\x7f\x01\'"u'
            chars = [r.choice(special) if r.random() < 0.3 else chr(r.randrange(0x20, 0x7f))
                     for _ in range(length)]
            if r.random() < 0.3:
                chars += list(r.choice(['\\u0041', '\\x41', '\\U0001F600', '\\', '\\n', "'", '"', "'\""]))
        elif kind == 2:
            chars = [chr(r.randrange(0, 0x100)) for _ in range(length)]
        elif kind == 3:  # Korean: syllables, jamo, compatibility jamo
            chars = [chr(r.choice([r.randrange(0xAC00, 0xD7A4), r.randrange(0x1100, 0x1200),
                                   r.randrange(0x3130, 0x3190), 0x20]))
                     for _ in range(length)]
        elif kind == 4:  # emoji and other astral characters
            chars = [chr(r.choice([r.randrange(0x1F300, 0x1FB00), r.randrange(0x10000, 0x10100),
                                   r.randrange(0x20000, 0x20100), ord('a'), 0x200D, 0xFE0F]))
                     for _ in range(length)]
        elif kind == 5:  # lone surrogates among other characters
            chars = [chr(r.choice([r.randrange(0xD800, 0xE000), r.randrange(0xD800, 0xE000),
                                   ord('a'), 0x1F600, 0xFFFD]))
                     for _ in range(length)]
        elif kind == 6:  # any code point
            chars = [chr(r.randrange(0, 0x110000)) for _ in range(length)]
        elif kind == 7:  # any BMP code point (exercises repr's printable table)
            chars = [chr(r.randrange(0, 0x10000)) for _ in range(length)]
        else:
            chars = list(r.choice(['', 'a', 'hello', 'name', 'Alice', '안녕하세요', '😀', '\udc80',
                                   '\ud800', 'é', '\u2028', '\x85', '\xa0', '\u00ff', '\u0100']))
        return no_surrogate_pairs(''.join(chars))

    def bytes_(self, length=None):
        r = self.rng
        if length is None:
            length = r.choice([0, 1, r.randrange(0, 10), r.randrange(0, 40), r.randrange(0, 100),
                               r.choice([255, 256])])
        kind = r.randrange(3)
        if kind == 0:
            return bytes(r.getrandbits(8) for _ in range(length))
        if kind == 1:
            return bytes(r.choice(b'abcxyz019 \\\'"\n\t') for _ in range(length))
        return bytes(r.choice([0, 0x7f, 0x80, 0xff, 0x20, 0x41]) for _ in range(length))

    def big_bytes(self):
        """Over 64 KiB, mostly printable so that the repr stays about as long as the payload."""
        r = self.rng
        n = r.choice([65536, 65537, 65536 + r.randrange(1, 100)])
        head = bytes(r.getrandbits(8) for _ in range(256))
        body = bytes(r.choice(b'abcdefghijklmnopqrstuvwxyz') for _ in range(n - 256))
        return head + body

    def datetime_(self):
        r = self.rng
        choice = r.randrange(5)
        if choice == 0:
            return self.naive_datetime()
        if choice == 1:
            return self.naive_datetime().replace(tzinfo=self.tz())
        if choice == 2:
            return datetime.date(r.randrange(1, 10000), r.randrange(1, 13), r.randrange(1, 29))
        if choice == 3:
            t = datetime.time(r.randrange(24), r.randrange(60), r.randrange(60),
                              r.choice([0, 0, r.randrange(1000000)]))
            return t.replace(tzinfo=self.tz()) if r.random() < 0.3 else t
        return r.choice([
            lambda: datetime.timedelta(0),
            lambda: datetime.timedelta(days=r.randrange(-999999999, 1000000000),
                                       seconds=r.randrange(86400), microseconds=r.randrange(1000000)),
            lambda: datetime.timedelta(seconds=r.randrange(-10**6, 10**6)),
            lambda: datetime.timedelta(microseconds=r.randrange(-10**7, 10**7)),
            lambda: datetime.timedelta.max,
            lambda: datetime.timedelta.min,
        ])()

    def naive_datetime(self):
        r = self.rng
        year = r.choice([1, 1970, 2000, 2024, 9999, r.randrange(1, 10000)])
        return datetime.datetime(year, r.randrange(1, 13), r.randrange(1, 29), r.randrange(24),
                                 r.choice([0, r.randrange(60)]), r.choice([0, r.randrange(60)]),
                                 r.choice([0, 0, r.randrange(1000000), 1, 999999]))

    def tz(self):
        r = self.rng
        choice = r.randrange(4)
        if choice == 0:
            return datetime.timezone.utc
        if choice == 1:  # whole hours or minutes, as real zones have
            return datetime.timezone(datetime.timedelta(minutes=r.choice([60, -300, 330, 345, -210, 840, -720])))
        if choice == 2:
            return datetime.timezone(datetime.timedelta(minutes=r.randrange(-18 * 60, 18 * 60 + 1)))
        return datetime.timezone(datetime.timedelta(seconds=r.randrange(-18 * 3600, 18 * 3600 + 1)))

    def decimal_(self):
        r = self.rng
        if r.random() < 0.35:
            text = r.choice(['NaN', '-NaN', 'sNaN', '-sNaN', 'NaN123', 'Infinity', '-Infinity',
                             '0', '-0', '0E-7', '-0.000', '0E+3', '1', '-1', '0.1', '1E+2',
                             '1.000', '123.456', '1E-7', '0.000001', '-0E+1000'])
        else:
            digits = str(r.getrandbits(r.choice([1, 10, 40, 200])))
            exponent = r.choice([0, r.randrange(-12, 12), r.randrange(-100, 100), r.randrange(-10**6, 10**6)])
            text = '%s%sE%d' % (r.choice(['', '-']), digits, exponent)
        return decimal.Decimal(text)

    def atom(self):
        r = self.rng
        choice = r.randrange(100)
        if choice < 4:
            return None
        if choice < 8:
            return r.choice([True, False])
        if choice < 25:
            return self.small_int()
        if choice < 28:
            return self.big_int()
        if choice < 40:
            return self.float_()
        if choice < 58:
            return self.shareable(self.text())
        if choice < 66:
            return self.shareable(self.bytes_())
        if choice < 69:
            return bytearray(self.bytes_())
        if choice < 73:
            return complex(self.float_(), self.float_())
        if choice < 85:
            return self.datetime_()
        if choice < 91:
            return self.decimal_()
        if choice < 97:
            return uuid.UUID(int=r.choice([0, 2**128 - 1, r.getrandbits(128), r.getrandbits(128)]))
        return self.rare()

    def rare(self):
        """Standard-library values at the edges of what java.time, BigDecimal and a Java map hold."""
        r = self.rng
        choice = r.randrange(9)
        if choice == 0:  # fold=1 (the second of two equal wall times)
            return r.choice([self.naive_datetime(), self.naive_datetime().replace(tzinfo=self.tz()),
                             datetime.time(r.randrange(24), r.randrange(60))]).replace(fold=1)
        if choice == 1:  # a named timezone
            tz = datetime.timezone(datetime.timedelta(hours=r.randrange(-12, 13)), r.choice(['CET', 'X', 'UTC+9']))
            return self.naive_datetime().replace(tzinfo=tz)
        if choice == 2:  # an offset java.time's ZoneOffset cannot hold (over 18 h, or microseconds)
            offset = r.choice([datetime.timedelta(hours=23, minutes=59, seconds=59, microseconds=999999),
                               -datetime.timedelta(hours=r.randrange(19, 24)),
                               datetime.timedelta(hours=1, microseconds=r.randrange(1, 1000000))])
            return self.naive_datetime().replace(tzinfo=datetime.timezone(offset))
        if choice == 3:
            return r.choice([datetime.datetime.min, datetime.datetime.max, datetime.date.min, datetime.date.max,
                             datetime.time.min, datetime.time.max, datetime.timedelta.resolution,
                             datetime.timedelta(microseconds=-1), datetime.timezone.utc,
                             datetime.timezone(datetime.timedelta(hours=-5)), datetime.timezone.min,
                             datetime.timezone.max])
        if choice == 4:  # exponents past a BigDecimal's int scale
            return decimal.Decimal(r.choice(['1E+5000000000', '-7E-4000000000', '1.5E+2147483648',
                                             '9E-2147483649', 'sNaN77', '-NaN5']))
        if choice == 5:  # two distinct nan objects; as keys they would merge in Java (see key())
            return [float('nan'), float('nan')]
        if choice == 6:  # a UUID that knows whether it was generated safely (uuid1 on some systems)
            return uuid.UUID(int=r.getrandbits(128), is_safe=r.choice([uuid.SafeUUID.safe, uuid.SafeUUID.unsafe]))
        if choice == 7:  # equal keys of different types: the first key stays, the last value wins
            d = {}
            d[r.choice([1, True, 1.0, 1 + 0j])] = 'a'
            d[r.choice([1, True, 1.0])] = 'b'
            d[r.choice([0, False, 0.0, -0.0])] = 'c'
            return d
        return r.choice([(), [], {}, set(), frozenset(), '', b'', bytearray(), collections.OrderedDict(),
                         ((),), ([],), (None,), [[]], {(): ()}, {b'': b''}, {frozenset(): frozenset()}])

    def key(self, depth):
        """A dict key: str, int, float, tuple, bytes, None, bool or frozenset."""
        r = self.rng
        if self.hashable_pool and r.random() < 0.15:
            return r.choice(self.hashable_pool)
        choice = r.randrange(100)
        if choice < 40:
            return self.shareable(self.text(r.randrange(0, 12)))
        if choice < 55:
            return self.small_int()
        if choice < 60:
            return self.big_int()
        if choice < 68:
            # Never nan: Java's Double.equals holds nan equal to nan, so two distinct nan keys that
            # CPython keeps apart become one Java map key (a departure the README documents).
            f = self.float_()
            return f if f == f else 0.5
        if choice < 76:
            return self.shareable(self.bytes_(r.randrange(0, 12)))
        if choice < 80:
            return None
        if choice < 84:
            return r.choice([True, False])
        if choice < 93 and depth > 0:
            return self.shareable(tuple(self.key(depth - 1) for _ in range(r.randrange(0, 4))))
        if depth > 0:
            return self.shareable(stable_set([self.key(depth - 1) for _ in range(r.randrange(0, 5))], frozenset))
        return self.small_int()

    # ---- containers --------------------------------------------------------------------------

    def shareable(self, obj):
        """Remembers obj so that it may be placed again later in the same graph."""
        if isinstance(obj, (str, bytes)) and len(obj) == 0:
            return obj
        if isinstance(obj, tuple) and len(obj) == 0:
            return obj
        self.pool.append(obj)
        try:
            hash(obj)
        except TypeError:
            pass
        else:
            self.hashable_pool.append(obj)
        return obj

    def size(self):
        r = self.rng
        return r.choice([0, 1, 2, r.randrange(0, 5), r.randrange(0, 8)])

    def value(self, depth):
        r = self.rng
        if self.pool and r.random() < 0.08:
            return r.choice(self.pool)  # a shared reference
        if depth <= 0 or r.random() < 0.4:
            return self.atom()
        choice = r.randrange(100)
        if choice < 22:
            return self.shareable([self.value(depth - 1) for _ in range(self.size())])
        if choice < 40:
            return self.shareable(tuple(self.value(depth - 1) for _ in range(self.size())))
        if choice < 60:
            d = {}
            for _ in range(self.size()):
                d[self.key(2)] = self.value(depth - 1)
            return self.shareable(d)
        if choice < 68:
            return self.shareable(stable_set([self.key(2) for _ in range(self.size())], set))
        if choice < 74:
            return self.shareable(stable_set([self.key(2) for _ in range(self.size())], frozenset))
        if choice < 79:
            od = collections.OrderedDict()
            for _ in range(self.size()):
                od[self.key(1)] = self.value(depth - 1)
            return self.shareable(od)
        return self.cycle(depth)

    def cycle(self, depth):
        r = self.rng
        choice = r.randrange(7)
        if choice == 0:  # a list containing itself
            a = [self.value(depth - 1) for _ in range(self.size())]
            a.insert(r.randrange(len(a) + 1), a)
            if r.random() < 0.3:
                a.append(a)
            return self.shareable(a)
        if choice == 1:  # a dict containing itself
            d = {}
            for _ in range(self.size()):
                d[self.key(1)] = self.value(depth - 1)
            d[self.key(1)] = d
            return self.shareable(d)
        if choice == 2:  # a list containing itself through a tuple
            a = [self.value(depth - 1) for _ in range(self.size())]
            t = tuple([a] + [self.value(depth - 1) for _ in range(r.randrange(0, 3))])
            a.append(t)
            return self.shareable(r.choice([a, t]))  # the tuple may be the root of the cycle
        if choice == 3:  # a dict containing itself through a tuple
            d = {}
            t = (self.value(depth - 1), d)
            d[self.key(1)] = t
            return self.shareable(r.choice([d, t]))
        if choice == 4:  # two lists containing each other
            a, b = [], []
            a.append(b)
            b.append(a)
            b.append(self.value(depth - 1))
            return self.shareable(a)
        if choice == 5:  # a tuple inside a tuple inside a list that contains it all
            a = [self.value(depth - 1)]
            t = ((a, 1), (a,))
            a.append(t)
            return self.shareable(t)
        od = collections.OrderedDict()  # an OrderedDict containing itself
        od[self.key(0)] = self.value(depth - 1)
        od['self'] = od
        return self.shareable(od)

    def wide(self):
        """A container of 1000*k + small items (batching boundaries) or a deep chain."""
        r = self.rng
        choice = r.randrange(5)
        n = r.choice([1000, 1001, 1001, 2001])
        if choice == 0:
            return [r.randrange(-300, 300) for _ in range(n)]
        if choice == 1:
            return dict.fromkeys(range(n))
        if choice == 2:
            return stable_set(range(n), set)
        if choice == 3:
            return stable_set(range(n), frozenset)
        # deep nesting, alternating list and tuple
        obj = self.atom()
        for i in range(r.randrange(20, 300)):
            obj = [obj] if i % 2 else (obj,)
        return obj

    def graph(self, index):
        self.pool = []
        self.hashable_pool = []
        slot = index % 300
        if index % 60 == 3:  # large containers are few, to keep the output small
            return [self.wide(), self.value(2)]
        if slot == 42:  # bytes of 64 KiB or more
            return [self.big_bytes(), self.value(2)]
        if slot == 197:  # str and bytearray of 64 KiB or more
            # mostly ASCII, so that the output stays small; padded to 65536 to 65538 bytes in UTF-8
            text = no_surrogate_pairs(''.join(
                self.rng.choice(['a', 'b', 'c', 'd'] * 50 + ['가', '😀', '\\', '\n', 'é', '\udc00'])
                for _ in range(60000)))
            size = len(text.encode('utf-8', 'surrogatepass'))
            text += 'z' * (65536 + self.rng.randrange(3) - size)
            return {'text': text, 'array': bytearray(self.big_bytes())}
        r = self.rng
        depth = r.choice([1, 2, 2, 3, 3, 4])
        if r.random() < 0.15:
            return self.value(depth)  # anything at all, a bare atom included, as the root
        items = [self.value(depth - 1) for _ in range(r.randrange(2, 8))]
        if r.random() < 0.5:
            return items
        if r.random() < 0.5:
            return tuple(items)
        return {self.key(1): item for item in items}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seed', type=int, required=True)
    parser.add_argument('--count', type=int, required=True)
    args = parser.parse_args()

    graphs = Graphs(random.Random(args.seed))
    out = sys.stdout.buffer
    for index in range(args.count):
        obj = graphs.graph(index)
        for protocol in PROTOCOLS:
            data = pickle.dumps(obj, protocol=protocol)
            expected = repr(pickle.loads(data))
            line = '%d\t%d\t%s\t%s\n' % (index, protocol, data.hex(), expected)
            out.write(line.encode('utf-8'))
    out.flush()


if __name__ == '__main__':
    main()
