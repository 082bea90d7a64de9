#!/usr/bin/env python3
"""Writes the reader's test vectors, core/src/test/resources/vectors/reader.tsv, from CPython.

Run it with CPython 3.11 and numpy:  python3 core/src/test/python/make_vectors.py [--out PATH]

Each vector is one line of tab-separated columns:  name  protocol  encoding  check  pickle_hex  expected

  protocol  0-5: CPython wrote the pickle with pickle.dumps(obj, protocol) (or with a Pickler at
            that protocol, for the persid:/buffers:/ext: vectors); py2: Python 2.7.18's cPickle or
            pickle wrote it (kept below as byte literals, with the expression that made each);
            hand: written by hand here to reach opcodes, forms and errors that no pickler writes.
  encoding  the encoding= given to pickle.loads: ASCII, latin1 or bytes.
  check     repr: the reader must reproduce repr() of the loaded value exactly.
            load: the value (a user class, an exception, numpy...) need only load.
  expected  repr(pickle.loads(data, encoding=encoding)) on one line; for `load` vectors, addresses
            (" at 0x...") read " at 0x0" and line breaks with the spaces around them one space.
            "!Name" when CPython's loads raises the exception class Name: the reader must fail.

Names that configure the reader (a vector name never contains a tab):
  ext:<code>=<module>.<name>;<code>=...:<rest>   the copyreg extension registry the pickle needs;
            the module is everything before the last dot.
  persid:<rest>   persistent_load(pid) returns the tuple ('persistent', pid).
  buffers:<hex>,<hex>:<rest>   the out-of-band buffers, in order; CPython gets each as a bytes
            object, so NEXT_BUFFER yields that bytes object and READONLY_BUFFER leaves it as it is:
            a Java reader maps each buffer to a byte[] (Python bytes).

The output is the same, byte for byte, on every run: the script re-executes itself with
PYTHONHASHSEED=0 (the order of sets of strings depends on it), seeds its random numbers and
keeps addresses out of the expected column.
"""

import os
import sys

if os.environ.get('PYTHONHASHSEED') != '0':
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
              dict(os.environ, PYTHONHASHSEED='0'))

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import argparse
import collections
import copyreg
import datetime
import decimal
import fractions
import functools
import io
import pickle
import pickletools
import random
import re
import uuid

import numpy

import vector_classes as vc

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'vectors', 'reader.tsv')
PROTOCOLS = range(0, pickle.HIGHEST_PROTOCOL + 1)


class Vector:
    def __init__(self, name, protocol, encoding, check, data, expected):
        self.name = name
        self.protocol = str(protocol)
        self.encoding = encoding
        self.check = check
        self.data = data
        self.expected = expected

    def line(self):
        fields = [self.name, self.protocol, self.encoding, self.check, self.data.hex(), self.expected]
        for field in fields:
            if '\t' in field or '\n' in field or '\r' in field:
                raise AssertionError('a field of %s %s would break the line: %r'
                                     % (self.name, self.protocol, field[:80]))
        return '\t'.join(fields)


VECTORS = []
SEEN = set()
ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+')
LINE_BREAK = re.compile(r'\s*\n\s*')


def expected_of(load, check):
    """The expected column: the repr of what load() returns, or ! and the exception's class."""
    try:
        value = load()
    except Exception as e:  # CPython's own verdict is the vector
        return '!' + type(e).__name__, None
    text = repr(value)
    if check == 'repr':
        if '\n' in text or ADDRESS.search(text):
            raise AssertionError('repr vector with a multi-line or address repr: %r' % text[:200])
    else:
        text = LINE_BREAK.sub(' ', ADDRESS.sub(' at 0x0', text))
    return text, value


def add(name, protocol, encoding, check, data, load=None, original=None, has_original=False):
    """Adds one vector; load() defaults to pickle.loads configured as the name says."""
    assert check in ('repr', 'load'), check
    key = (name, str(protocol), encoding)
    if key in SEEN:
        raise AssertionError('duplicate vector %r' % (key,))
    SEEN.add(key)
    if load is None:
        def load():
            return load_as_named(name, data, encoding)
    expected, _ = expected_of(load, check)
    if has_original and check == 'repr':
        # The Java reader keeps sets in stream order, which is the original's iteration order:
        # so a repr vector is only fair when loading gave back that same order (and value).
        if expected.startswith('!') or expected != repr(original):
            raise AssertionError('%s at protocol %s loads as %s, not %r'
                                 % (name, protocol, expected[:200], repr(original)[:200]))
    VECTORS.append(Vector(name, protocol, encoding, check, data, expected))


def dumped(name, obj, check='repr', protocols=PROTOCOLS, lossy_below=0):
    """Vectors of pickle.dumps(obj, p) for each protocol p (below lossy_below, the pickle loses
    part of the value: datetime's fold, which only protocol 4 and up keep)."""
    for protocol in protocols:
        add(name, protocol, 'ASCII', check, pickle.dumps(obj, protocol),
            original=obj, has_original=protocol >= lossy_below)


# ---------------------------------------------------------------------------------------------
# Built-in scalars

def scalars():
    dumped('none', None)
    dumped('bool/true', True)
    dumped('bool/false', False)
    ints = [
        ('0', 0), ('1', 1), ('-1', -1), ('255', 255), ('256', 256), ('65535', 65535),
        ('65536', 65536), ('2**31-1', 2**31 - 1), ('-(2**31-1)', -(2**31 - 1)),
        ('-2**31', -2**31), ('2**31', 2**31), ('-2**31-1', -2**31 - 1), ('2**63-1', 2**63 - 1),
        ('-2**63', -2**63), ('2**63', 2**63), ('-2**63-1', -2**63 - 1), ('2**64', 2**64),
        ('2**1000', 2**1000), ('-(2**1000)', -(2**1000)), ('-128', -128), ('127', 127),
        ('2**2040', 2**2040), ('-(2**2039)', -(2**2039)),
    ]
    for label, value in ints:
        dumped('int/' + label, value)
    rng = random.Random(3000)
    big = int('9' + ''.join(str(rng.randrange(10)) for _ in range(2999)))
    dumped('int/3000-digits', big)
    dumped('int/-3000-digits', -big)
    floats = [
        ('0.0', 0.0), ('-0.0', -0.0), ('0.1', 0.1), ('1.5', 1.5), ('1e16', 1e16), ('1e15', 1e15),
        ('1e-5', 1e-5), ('1e-4', 1e-4), ('1e22', 1e22), ('5e-324', 5e-324),
        ('max', 1.7976931348623157e308), ('nan', float('nan')), ('inf', float('inf')),
        ('-inf', float('-inf')), ('123456789.123', 123456789.123), ('-2.5', -2.5),
        ('1/3', 1 / 3), ('2**53+2', float(2**53 + 2)), ('1e100', 1e100), ('min-normal', 2.2250738585072014e-308),
    ]
    for label, value in floats:
        dumped('float/' + label, value)
    complexes = [
        ('1+2j', complex(1, 2)), ('1j', 1j), ('-0-0j', complex(-0.0, -0.0)),
        ('1.5-2.5j', complex(1.5, -2.5)), ('nan+infj', complex(float('nan'), float('inf'))),
        ('1e16+1e-05j', complex(1e16, 1e-5)), ('0j', 0j),
    ]
    for label, value in complexes:
        dumped('complex/' + label, value)


# ---------------------------------------------------------------------------------------------
# str, bytes, bytearray

_TAIL = ' 한국어 😀 é \\ end'
BIG_STR = ('The quick brown fox jumps over the lazy dog 0123456789. ' * 1300)[:70_000 - len(_TAIL)] + _TAIL
BIG_BYTES = (b'abcdefghijklmnopqrstuvwxyz0123456789' * 2000)[:70_000]
BIG_BYTEARRAY = bytearray((b'ABCDEFGHIJKLMNOPQRSTUVWXYZ' * 3000)[:70_000])


def texts():
    assert len(BIG_STR) == 70_000 and len(BIG_BYTES) == 70_000 and len(BIG_BYTEARRAY) == 70_000
    strs = [
        ('empty', ''), ('ascii', 'hello world'), ('single-quote', "it's"), ('double-quote', 'say "hi"'),
        ('both-quotes', 'both \' and "'), ('backslash', 'back\\slash \\u0041 \\x41'),
        ('newline-cr-tab', 'a\nb\rc\td'), ('control', ''.join(map(chr, range(32)))),
        ('7f-a0', ''.join(map(chr, range(0x7f, 0xa1)))), ('latin1', 'café ÿ ñ ß ¡¿ Å'),
        ('korean', '한국어'), ('emoji', '😀 emoji 🎉 𝄞'), ('lone-high-surrogate', '\ud800'),
        ('lone-low-surrogate', '\udc80'), ('surrogates-in-text', 'a\ud800b\udfffc'),
        ('low-then-high-surrogate', '\udc00\ud800'), ('separators', '\u2028\u2029\x85\x0b\x0c\x1c'),
        ('nul', 'a\x00b'), ('255-chars', 'x' * 255), ('256-chars', 'y' * 256),
        ('255-utf8-bytes', 'é' * 127 + 'x'), ('mixed-width', 'aé한😀'), ('bom', '\ufeffbom'),
        ('noncharacter', '\uffff\ufffe'), ('private-use', '\ue000\U000f0000'),
        ('combining', 'e\u0301'), ('space-only', ' '), ('raw-unicode-escape-lookalike', '\\u00e9 é'),
    ]
    for label, value in strs:
        dumped('str/' + label, value)
    # The big payloads sit between two small items: from protocol 4 they are written between frames.
    dumped('str/70000-chars-in-list', ['before', BIG_STR, 'after'])
    byte_values = [
        ('empty', b''), ('small', b'abc'), ('quotes', b'it\'s "q"'), ('all-256', bytes(range(256))),
        ('300', b'\x00\xff' * 150), ('255', b'z' * 255), ('256', b'w' * 256),
        ('high-bytes', b'\x80\x81\xfe\xff'), ('backslash', b'\\x41\\'),
    ]
    for label, value in byte_values:
        dumped('bytes/' + label, value)
    dumped('bytes/70000-in-list', ['before', BIG_BYTES, 'after'])
    for label, value in [('empty', bytearray()), ('small', bytearray(b'abc\x00\xff')),
                         ('70000-in-list', ['before', BIG_BYTEARRAY, 'after'])]:
        dumped('bytearray/' + label, value)
    # PickleBuffer in band: bytes (read-only) and bytearray (writable) payloads.
    add('picklebuffer/in-band-readonly', 5, 'ASCII', 'repr',
        pickle.dumps(pickle.PickleBuffer(b'in band'), 5))
    add('picklebuffer/in-band-writable', 5, 'ASCII', 'repr',
        pickle.dumps(pickle.PickleBuffer(bytearray(b'in band')), 5))


# ---------------------------------------------------------------------------------------------
# Containers, sharing and recursion

def containers():
    for n in range(5):
        dumped('tuple/%d-items' % n, tuple(range(n)))
    dumped('tuple/nested', ((1, (2,)), ((), [3, (4, 5)]), ('a', ('b', ('c',)))))
    dumped('tuple/strs', ('x', 'y', 'x'))
    for n in (0, 1, 2, 999, 1000, 1001, 2001, 2500):
        dumped('list/%d-ints' % n, [i % 10 for i in range(n)])
    dumped('list/mixed', [None, True, 1, 2.5, 'a', b'b', (1,), [2], {3: 4}, {5}, frozenset({6})])
    dumped('list/big-ints', list(range(250, 70_000, 997)))
    for n in (0, 1, 2, 999, 1000, 1001, 2001, 2500):
        dumped('dict/%d-items' % n, {i: i % 10 for i in range(n)})
    dumped('dict/key-types', {
        1: 'int', 2**70: 'big int', -1.5: 'float', None: 'none', 'k': 'str',
        b'k': 'bytes', (1, 'a'): 'tuple', frozenset({1, 2}): 'frozenset', (): 'empty tuple',
        0.0: 'zero float', ((1, 2), (3,)): 'nested tuple', complex(1, 1): 'complex',
    })
    dumped('dict/bool-keys', {True: 'yes', False: 'no'})
    dumped('dict/str-keys', {'name': 'Alice', 'age': 25, 'emails': ['a@x.org'], 'ok': True})
    dumped('dict/nested', {'a': {'b': {'c': {'d': [1, {'e': ()}]}}}})
    for label, value in [('empty-set', set()), ('small-set', {1, 2, 3}), ('str-set', {'b', 'a', 'c'}),
                         ('1001-set', set(range(1001))), ('mixed-set', {None, 1.5, (1, 2), b'x', 's'}),
                         ('empty-frozenset', frozenset()), ('small-frozenset', frozenset({4, 5})),
                         ('1001-frozenset', frozenset(range(1001))),
                         ('set-of-frozensets', {frozenset(), frozenset({1}), frozenset({'a', 2})}),
                         ('frozenset-of-tuples', frozenset({(1, 2), ('a',)}))]:
        dumped('set/' + label, value)

    shared_list = [1, 2]
    dumped('shared/list', [shared_list, shared_list])
    shared_str = 'shared string'
    dumped('shared/str', [shared_str, shared_str, {'k': shared_str}])
    shared_tuple = (1, 'x')
    dumped('shared/tuple', [shared_tuple, shared_tuple])
    shared_bytes = b'shared bytes'
    dumped('shared/bytes', (shared_bytes, shared_bytes))
    shared_dict = {'v': 1}
    dumped('shared/dict-in-tuple', (shared_dict, [shared_dict], {'d': shared_dict}))
    many = ['s%d' % i for i in range(300)]
    dumped('shared/300-memo-entries', many + many[::-1])

    recursive_list = []
    recursive_list.append(recursive_list)
    dumped('recursive/list', recursive_list)
    recursive_dict = {}
    recursive_dict['self'] = recursive_dict
    dumped('recursive/dict', recursive_dict)
    t = ([],)
    t[0].append(t)
    dumped('recursive/tuple-through-list', t)
    outer = []
    outer.append((outer,))
    dumped('recursive/list-in-tuple-in-list', outer)
    a, b = [], {}
    a.append(b)
    b['a'] = a
    b['t'] = (a, b)
    dumped('recursive/list-dict-tuple', a)
    nested = []
    for _ in range(200):
        nested = [nested]
    dumped('nested/list-depth-200', nested)
    nested_t = ()
    for _ in range(100):
        nested_t = (nested_t, 1)
    dumped('nested/tuple-depth-100', nested_t)


# ---------------------------------------------------------------------------------------------
# The standard library types that the reader maps

def stdlib():
    dt = datetime
    tz9 = dt.timezone(dt.timedelta(hours=9))
    tz_m530 = dt.timezone(dt.timedelta(hours=-5, minutes=-30))
    tz_named = dt.timezone(dt.timedelta(hours=9), 'KST')
    tz_odd = dt.timezone(dt.timedelta(hours=5, minutes=30, seconds=15, microseconds=500))
    values = [
        ('datetime/naive', dt.datetime(2024, 2, 29, 13, 45, 7)),
        ('datetime/microseconds', dt.datetime(2024, 2, 29, 13, 45, 7, 123456)),
        ('datetime/min', dt.datetime.min), ('datetime/max', dt.datetime.max),
        ('datetime/utc', dt.datetime(2024, 2, 29, 13, 45, 7, tzinfo=dt.timezone.utc)),
        ('datetime/+09:00', dt.datetime(2024, 2, 29, 13, 45, 7, 1, tzinfo=tz9)),
        ('datetime/-05:30', dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=tz_m530)),
        ('datetime/named-tz', dt.datetime(2024, 1, 1, tzinfo=tz_named)),
        ('datetime/tz-seconds-micros', dt.datetime(2024, 1, 1, 12, tzinfo=tz_odd)),
        ('datetime/fold', dt.datetime(2024, 11, 3, 1, 30, fold=1)),
        ('datetime/fold-aware', dt.datetime(2024, 11, 3, 1, 30, 0, 5, tzinfo=tz9, fold=1)),
        ('date/leap-day', dt.date(2024, 2, 29)), ('date/min', dt.date.min), ('date/max', dt.date.max),
        ('time/midnight', dt.time(0, 0)), ('time/microseconds', dt.time(13, 45, 7, 123456)),
        ('time/aware', dt.time(13, 45, tzinfo=tz9)), ('time/utc', dt.time(1, 2, 3, tzinfo=dt.timezone.utc)),
        ('time/fold', dt.time(1, 30, fold=1)), ('time/max', dt.time.max),
        ('timedelta/zero', dt.timedelta(0)), ('timedelta/negative', dt.timedelta(days=-1, seconds=5)),
        ('timedelta/minus-one-microsecond', dt.timedelta(microseconds=-1)),
        ('timedelta/microseconds', dt.timedelta(seconds=1, microseconds=500000)),
        ('timedelta/days', dt.timedelta(days=3)), ('timedelta/max', dt.timedelta.max),
        ('timedelta/min', dt.timedelta.min),
        ('timezone/utc', dt.timezone.utc), ('timezone/+09:00', tz9), ('timezone/-05:30', tz_m530),
        ('timezone/named', tz_named), ('timezone/seconds-micros', tz_odd),
        ('timezone/min', dt.timezone.min), ('timezone/max', dt.timezone.max),
        ('timezone/zero-named', dt.timezone(dt.timedelta(0), 'Z')),
    ]
    for text in ['1.10', '0', '-0', '1E+2', '0.0000001', '123456789012345678901234567890.5', 'NaN',
                 'sNaN', '-Infinity', 'Infinity', 'NaN123', '-sNaN7', '1E-1000', '-1.000']:
        values.append(('decimal/' + text, decimal.Decimal(text)))
    rng = random.Random(20240229)
    values += [
        ('uuid/uuid4', uuid.UUID(int=rng.getrandbits(128), version=4)),
        ('uuid/uuid1-safe', uuid.UUID('a8098c1a-f86e-11da-bd1a-00112444be1e', is_safe=uuid.SafeUUID.safe)),
        ('uuid/nil', uuid.UUID(int=0)),
        ('ordereddict/empty', collections.OrderedDict()),
        ('ordereddict/items', collections.OrderedDict([('b', 1), ('a', [2]), (3, None)])),
        ('counter/empty', collections.Counter()),
        ('counter/abracadabra', collections.Counter('abracadabra')),
        ('deque/empty', collections.deque()), ('deque/items', collections.deque([1, 'two', 3.0])),
        ('deque/maxlen', collections.deque([1, 2], maxlen=5)),
        ('defaultdict/int', collections.defaultdict(int, {'a': 1, 'b': 2})),
        ('defaultdict/list', collections.defaultdict(list)),
        ('defaultdict/dict', collections.defaultdict(dict, {1: {}})),
        ('range/stop', range(10)), ('range/start-stop-step', range(1, 10, 3)), ('range/negative', range(5, -5, -2)),
        ('range/big', range(0, 2**70, 2**60)),
        ('slice/full', slice(1, 2, 3)), ('slice/stop', slice(None, 5, None)), ('slice/objects', slice('a', (1,), None)),
        ('singleton/Ellipsis', Ellipsis), ('singleton/NotImplemented', NotImplemented),
    ]
    for t in (int, float, complex, bool, str, bytes, bytearray, list, tuple, dict, set, frozenset, object,
              type, range, slice):
        values.append(('type/' + t.__name__, t))
    values.append(('mixture/types-in-list', [int, str, None, dict]))
    for name, value in values:
        dumped(name, value, lossy_below=4 if 'fold' in name else 0)
    records = [{'id': i, 'name': 'user%d' % i, 'score': i * 1.5, 'tags': ['a', 'b'][:i % 3],
                'active': i % 2 == 0, 'nested': {'x': None, 'when': dt.date(2024, 1, 1 + i)}}
               for i in range(5)]
    dumped('mixture/records', records)
    dumped('mixture/stdlib', {
        'when': dt.datetime(2024, 5, 6, 7, 8, 9, 10, tzinfo=dt.timezone.utc),
        'amount': decimal.Decimal('12.50'), 'id': uuid.UUID(int=12345678901234567890),
        'steps': collections.deque([dt.timedelta(minutes=5)]),
        'counts': collections.Counter({'x': 2, 'y': 2, 'z': 3}),
        'bytes': [b'', bytearray(b'ba'), (b'tuple',)], 'c': complex(0, -1), 'r': range(3),
    })


# ---------------------------------------------------------------------------------------------
# Framing (protocol 4 and up)

def framing():
    # 67 500 bytes of floats: two frames.
    dumped('frames/two-frames', [0.5] * 7500, protocols=(4, 5))
    dumped('frames/empty-list-no-frame', [], protocols=(4, 5))


# ---------------------------------------------------------------------------------------------
# `load` vectors: user classes and other objects the reader keeps inert

def loadable():
    plain = vc.Plain(1, 'two')
    shared = [1, 2]
    node = vc.Node('loop')
    node.next = node
    my_list = vc.MyList([1, 2, 3])
    my_list.tag = 'tagged'
    my_set = vc.MySet({3, 1, 2})
    values = [
        ('user/plain', plain, 0),
        ('user/plain-shared-state', vc.Plain(shared, shared), 0),
        ('user/slots', vc.Slotted(1, [2]), 2),
        ('user/slots-and-dict', vc.SlottedWithDict(1, extra='e'), 2),
        ('user/getnewargs', vc.WithNewArgs(7), 0),
        ('user/getnewargs-ex', vc.WithNewArgsEx(7, label='seven'), 0),
        ('user/setstate', vc.WithSetState('a', 1), 0),
        ('user/state-setter', vc.WithStateSetter(42), 0),
        ('user/reduce-list-items', vc.ListLike([1, 'two', (3,)]), 0),
        ('user/reduce-dict-items', vc.DictLike('d', {'k': 1, 2: 'v'}), 0),
        ('user/list-subclass', my_list, 0),
        ('user/dict-subclass', vc.MyDict(a=1, b=[2]), 0),
        ('user/set-subclass', my_set, 0),
        ('user/int-subclass', vc.MyInt(5), 0),
        ('user/str-subclass', vc.MyStr('s'), 0),
        ('user/tuple-subclass', vc.MyTuple((1, 2)), 0),
        ('user/dataclass', vc.Point(1, 2), 0),
        ('user/frozen-dataclass', vc.FrozenPoint(1.5, -2.5), 0),
        ('user/nested-dataclass', vc.Record('r', ['t'], vc.Point(3, 4), {'k': vc.Point(5, 6)}), 0),
        ('user/enum', [vc.Color.RED, vc.Color.GREEN, vc.Color.RED], 0),
        ('user/int-flag', vc.Perm.R | vc.Perm.W, 0),
        ('user/namedtuple', vc.NT(1, 'a'), 0),
        ('user/exception', vc.CustomError('boom', 42), 0),
        ('user/nested-class', vc.Outer.Inner(5), 0),
        ('user/recursive-object', node, 0),
        ('user/singleton', vc.SINGLETON, 0),
        ('user/function', vc.func, 0),
        ('user/method-of-class', vc.Outer.method, 0),
        ('user/class', vc.Plain, 0),
        ('exception/value-error', ValueError('bad value'), 0),
        ('exception/key-error', KeyError('k'), 0),
        ('exception/os-error', OSError(2, 'No such file'), 0),
        ('exception/unicode-decode-error', UnicodeDecodeError('utf-8', b'\xff', 0, 1, 'invalid start byte'), 0),
        ('builtin/function', len, 0),
        ('builtin/object', object(), 0),
        ('builtin/none-type', type(None), 0),
        ('stdlib/partial', functools.partial(int, base=2), 0),
        ('stdlib/fraction', fractions.Fraction(1, 3), 0),
        ('numpy/int32-1d', numpy.arange(6, dtype=numpy.int32), 0),
        ('numpy/float64-2d', numpy.linspace(0, 1, 6).reshape(2, 3), 0),
        ('numpy/fortran-order', numpy.asfortranarray(numpy.arange(6, dtype=numpy.int16).reshape(2, 3)), 0),
        ('numpy/unicode', numpy.array(['a', 'bc']), 0),
        ('numpy/structured', numpy.array([(1, 2.5)], dtype=[('i', '<i4'), ('f', '<f8')]), 0),
        ('numpy/object', numpy.array([1, 'x', None], dtype=object), 0),
        ('numpy/scalars', [numpy.float64(1.5), numpy.int64(-7), numpy.bool_(True)], 0),
        ('numpy/empty', numpy.zeros((0, 3)), 0),
    ]
    for name, value, min_protocol in values:
        for protocol in PROTOCOLS:
            if protocol >= min_protocol:
                add(name, protocol, 'ASCII', 'load', pickle.dumps(value, protocol))


# ---------------------------------------------------------------------------------------------
# Vectors whose names configure the reader: ext:, persid:, buffers:. They are loaded, here as in
# the Java test, with the configuration parsed back from the name (load_as_named).

def extension_vectors():
    cases = [
        ([(1, 'builtins', 'int')], 'type-int', int, 'repr'),
        ([(300, 'collections', 'OrderedDict')], 'ordereddict', collections.OrderedDict([('a', 1)]), 'repr'),
        ([(70000, 'decimal', 'Decimal')], 'decimal', [decimal.Decimal('1.10'), decimal.Decimal('-0')], 'repr'),
        ([(0x7fffffff, 'builtins', 'range')], 'max-code', range(3), 'repr'),
        ([(2, 'vector_classes', 'Plain'), (65535, 'vector_classes', 'Point')], 'user-classes',
         [vc.Plain(1, 2), vc.Point(3, 4)], 'load'),
    ]
    for registry, label, value, check in cases:
        name = 'ext:%s:%s' % (';'.join('%d=%s.%s' % entry for entry in registry), label)
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            with extensions(registry):
                data = pickle.dumps(value, protocol)
            assert any(op.name.startswith('EXT') for op, _, _ in pickletools.genops(data)), name
            add(name, protocol, 'ASCII', check, data, original=value, has_original=True)


class extensions:
    """Registers copyreg extension codes for the duration of a with block."""

    def __init__(self, registry):
        self.registry = registry

    def __enter__(self):
        for code, module, name in self.registry:
            copyreg.add_extension(module, name, code)

    def __exit__(self, *exc):
        for code, module, name in self.registry:
            copyreg.remove_extension(module, name, code)


class RefPickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.key if isinstance(obj, vc.Ref) else None


class RefUnpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        return ('persistent', pid)


def persistent_vectors():
    cases = [
        ('persid:str-ids', {'a': vc.Ref('k1'), 'b': [vc.Ref('k2'), 1], 'c': vc.Ref('k1')}),
        ('persid:tuple-id', [vc.Ref(('table', 7)), 'after']),
        ('persid:int-id', vc.Ref(42)),
    ]
    for name, value in cases:
        for protocol in PROTOCOLS:
            out = io.BytesIO()
            RefPickler(out, protocol).dump(value)
            data = out.getvalue()
            add(name, protocol, 'ASCII', 'repr', data)


def buffer_vectors():
    cases = [
        ('readonly-bytes', pickle.PickleBuffer(b'abc'), 'repr'),
        ('writable-bytearray', pickle.PickleBuffer(bytearray(b'xyz')), 'repr'),
        ('several', [pickle.PickleBuffer(b'one'), 'in band', pickle.PickleBuffer(bytearray(b'two'))], 'repr'),
        ('numpy', numpy.arange(4, dtype=numpy.int16), 'load'),
    ]
    for label, value, check in cases:
        buffers = []
        data = pickle.dumps(value, 5, buffer_callback=buffers.append)
        raw = [bytes(b.raw()) for b in buffers]
        name = 'buffers:%s:%s' % (','.join(b.hex() for b in raw), label)
        add(name, 5, 'ASCII', check, data)


# ---------------------------------------------------------------------------------------------
# Hand-written pickles: opcodes and forms no pickler writes, and malformed input.
# Each successful one is also checked by pickletools.dis, which validates the stack and memo.

HAND = [
    # name, check, bytes
    ('op/MARK-TUPLE-LIST-DICT', 'repr',
     b'('                       # MARK                      the outer list
     b'(I1\nI2\nt'              # MARK INT INT TUPLE        (1, 2)
     b'(I3\nl'                  # MARK INT LIST             [3]
     b'(Va\nI4\nd'              # MARK UNICODE INT DICT     {'a': 4}
     b'l.'),                    # LIST STOP
    ('op/empty-MARK-forms', 'repr', b'((l(d(tt.'),                 # ([], {}, ())
    ('op/nested-empty-tuples', 'repr', b'((((tttt.'),              # ((((),),),)
    ('op/DUP', 'repr', b'(I7\n2t.'),                               # (7, 7)
    ('op/DUP-shares-the-object', 'repr', b'(]2K\x01at.'),          # the one list, twice: ([1], [1])
    ('op/POP', 'repr', b'(I1\nI2\n0t.'),                           # (1,)
    ('op/POP_MARK', 'repr', b'I5\n(I1\nI2\n1.'),                   # 5
    ('op/PUT-GET-BINPUT-BINGET-LONG_BINPUT-LONG_BINGET', 'repr',
     b'(Vabc\np3\n'             # UNICODE PUT 3
     b'g3\nq\x05'               # GET 3, BINPUT 5
     b'h\x05r\x06\x01\x00\x00'  # BINGET 5, LONG_BINPUT 262
     b'j\x06\x01\x00\x00'       # LONG_BINGET 262
     b'l.'),                    # ['abc', 'abc', 'abc', 'abc']: one object four times
    ('op/lenient-PUT-overwrites', 'repr', b'(Va\np0\nVb\np0\ng0\nl.'),   # ['a', 'b', 'b']
    ('op/INT-forms', 'repr',
     b'(I0\nI-1\nI01\nI00\nI+5\nI2147483648\nI-9223372036854775809\nI99999999999999999999\nl.'),
    ('op/LONG-forms', 'repr', b'(L0\nL123L\nL-123L\nL18446744073709551616L\nL-0L\nl.'),
    ('op/FLOAT-forms', 'repr',
     b'(F0\nF-0.0\nF1.5\nF1e+16\nF1E-5\nF0.10000000000000001\nF123456789.123\n'
     b'F1.7976931348623157e+308\nF4.9406564584124654e-324\nFnan\nFinf\nF-inf\nl.'),
    ('op/OBJ-complex', 'repr', b'(c__builtin__\ncomplex\nF1.0\nF2.0\no.'),   # (1+2j)
    ('op/OBJ-user-class', 'load', b'(cvector_classes\nPlain\nI1\nVtwo\no.'),
    ('op/INST-complex', 'repr', b'(F1.5\nF-2.0\ni__builtin__\ncomplex\n.'),  # (1.5-2j)
    ('op/INST-user-class-with-state', 'load',
     b'(I3\nVfour\nivector_classes\nOldWithArgs\n(dVz\nI1\nsb.'),
    ('op/GLOBAL-python2-names', 'repr',
     b'(c__builtin__\nunicode\nc__builtin__\nlong\nc__builtin__\nxrange\nc__builtin__\nset\nl.'),
    ('op/GLOBAL-python3-names-protocol-3', 'repr', b'\x80\x03cbuiltins\nbytes\ncbuiltins\nrange\n\x86.'),
    ('op/MEMOIZE-STACK_GLOBAL', 'repr',
     b'\x80\x04\x8c\x08builtins\x94\x8c\x03int\x94\x93\x94h\x02\x86.'),   # (int, int)
    ('op/STACK_GLOBAL-dotted-name', 'load',
     b'\x80\x04\x8c\x0evector_classes\x8c\x0bOuter.Inner\x93)\x81}\x8c\x01v\x4b\x05sb.'),
    ('op/NEWOBJ_EX-user-class', 'load',
     b'\x80\x04\x8c\x0evector_classes\x8c\rWithNewArgsEx\x93'
     b'K\x05\x85}\x8c\x05label\x8c\x01xs\x92.'),
    ('op/NEWOBJ_EX-builtin', 'load',
     b'\x80\x04\x8c\x08builtins\x8c\x07complex\x93G?\xf0\x00\x00\x00\x00\x00\x00\x85'
     b'}\x8c\x04imagG@\x00\x00\x00\x00\x00\x00\x00s\x92.'),                # complex(1.0, imag=2.0)
    ('op/EMPTY_SET-ADDITEMS-FROZENSET', 'repr', b'\x80\x04\x8f(K\x01K\x02\x90(K\x03\x91\x86.'),
    ('op/ADDITEMS-twice', 'repr', b'\x80\x04\x8f(K\x01\x90(K\x02K\x01\x90.'),  # {1, 2}
    ('op/FROZENSET-empty', 'repr', b'\x80\x04(\x91.'),
    ('op/LONG1-LONG4', 'repr',
     b'\x80\x02('
     b'\x8a\x00'                                   # LONG1 of no bytes: 0
     b'\x8a\x02\xff\x00'                           # 255
     b'\x8a\x01\x80'                               # -128
     b'\x8b\x00\x00\x00\x00'                       # LONG4 of no bytes: 0
     b'\x8b\x01\x00\x00\x00\xff'                   # -1
     b'\x8b\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01'   # 2**64
     b'\x8b\x02\x00\x00\x00\x00\x80'               # -32768
     b'l.'),
    ('op/BINUNICODE8', 'repr', b'\x80\x04\x8d\x06\x00\x00\x00\x00\x00\x00\x00\xed\x95\x9c\xea\xb5\xad.'),
    ('op/BINBYTES8', 'repr', b'\x80\x04\x8e\x03\x00\x00\x00\x00\x00\x00\x00abc.'),
    ('op/BYTEARRAY8', 'repr', b'\x80\x05\x96\x03\x00\x00\x00\x00\x00\x00\x00abc.'),
    ('op/BINUNICODE-surrogatepass', 'repr', b'X\x03\x00\x00\x00\xed\xa0\x80.'),   # '\ud800'
    ('op/UNICODE-raw-unicode-escape', 'repr', b'Vcaf\xe9 \\u00e9 \\U0001f600 \\\\x\n.'),
    ('op/FRAME-small-frames', 'repr',
     b'\x80\x04\x95\x02\x00\x00\x00\x00\x00\x00\x00]\x94'
     b'\x95\x03\x00\x00\x00\x00\x00\x00\x00K\x01a.'),           # [1]
    ('op/FRAME-whole-pickle', 'repr', b'\x80\x04\x95\x03\x00\x00\x00\x00\x00\x00\x00K\x07.'),
    ('op/STRING-quotes-and-escapes', 'repr', b'(S"it\'s"\nS\'a\\\'b\'\nS\'\\x41\\n\\t\'\nl.'),
    ('op/BINSTRING-SHORT_BINSTRING', 'repr', b'(T\x03\x00\x00\x00abcU\x02del.'),
    ('op/BINBYTES-SHORT_BINBYTES', 'repr', b'\x80\x03(B\x03\x00\x00\x00abcC\x02del.'),
    ('op/SETITEM-duplicate-key', 'repr', b'}(Vk\nK\x01Vj\nK\x02Vk\nK\x03u.'),   # {'k': 3, 'j': 2}
    ('op/SETITEMS-equal-keys-of-three-types', 'repr',
     b'\x80\x02}(K\x01Va\nG?\xf0\x00\x00\x00\x00\x00\x00Vb\n\x88Vc\nu.'),    # {1: 'c'}
    ('op/ADDITEMS-equal-items-of-three-types', 'repr',
     b'\x80\x04\x8f(K\x01G?\xf0\x00\x00\x00\x00\x00\x00\x88\x90.'),            # {1}
    ('op/dict-key-bytes-equal-content', 'repr', b'\x80\x03}(C\x01kK\x01C\x01kK\x02u.'),  # {b'k': 2}
    ('op/APPENDS-empty-mark', 'repr', b']K\x01a(e.'),
    ('op/SETITEMS-empty-mark', 'repr', b'}(u.'),
    ('op/BUILD-dict-state-on-ordereddict', 'repr',
     b'\x80\x02ccollections\nOrderedDict\n)R}b.'),                             # OrderedDict()
    ('op/REDUCE-set-from-tuple', 'repr', b'c__builtin__\nset\n((K\x01K\x02ttR.'),
    ('op/lenient-STOP-leaves-items-below', 'repr', b'K\x01K\x02.'),             # 2
    ('op/lenient-STOP-inside-open-MARK', 'repr', b'(K\x01.'),                   # 1
    ('op/lenient-bytes-after-STOP', 'repr', b'K\x01.trailing'),                 # 1
    ('ext:1=builtins.int;300=collections.OrderedDict;70000=decimal.Decimal:hand/EXT1-EXT2-EXT4', 'repr',
     b'\x80\x02'
     b'\x82\x01'                                   # EXT1 1: builtins.int
     b'\x83\x2c\x01)R'                             # EXT2 300: collections.OrderedDict, called: OrderedDict()
     b'\x84\x70\x11\x01\x00X\x03\x00\x00\x001.5\x85R'   # EXT4 70000: decimal.Decimal('1.5')
     b'\x87.'),
    ('persid:hand/PERSID-BINPERSID', 'repr', b'(Pk1\nVk2\nQ(K\x07Vt\ntQl.'),
    ('buffers:6869,6a6b:hand/NEXT_BUFFER-READONLY_BUFFER', 'repr', b'\x80\x05\x97\x98\x97\x86.'),
    # Malformed input: CPython raises, and so must the reader.
    ('err/empty-input', 'repr', b''),
    ('err/no-STOP', 'repr', b'\x80\x04K\x01'),
    ('err/truncated-argument', 'repr', b'\x80\x02X\x05\x00\x00\x00ab'),
    ('err/truncated-LONG1', 'repr', b'\x80\x02\x8a\x05\x01\x02.'),
    ('err/truncated-FRAME', 'repr', b'\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00N.'),
    ('err/unknown-opcode', 'repr', b'\xff.'),
    ('err/unsupported-protocol', 'repr', b'\x80\x06N.'),
    ('err/APPEND-stack-underflow', 'repr', b'a.'),
    ('err/STOP-empty-stack', 'repr', b'.'),
    ('err/TUPLE1-stack-underflow', 'repr', b'\x80\x02\x85.'),
    ('err/STACK_GLOBAL-underflow', 'repr', b'\x80\x04\x93.'),
    ('err/STACK_GLOBAL-not-str', 'repr', b'\x80\x04K\x01K\x02\x93.'),
    ('err/APPENDS-without-MARK', 'repr', b']K\x01e.'),
    ('err/POP_MARK-without-MARK', 'repr', b'K\x011.'),
    ('err/GET-missing', 'repr', b'g5\n.'),
    ('err/BINGET-missing', 'repr', b'h\x05.'),
    ('err/LONG_BINGET-missing', 'repr', b'j\x00\x01\x00\x00.'),
    ('err/MEMOIZE-empty-stack', 'repr', b'\x80\x04\x94.'),
    ('err/PERSID-without-hook', 'repr', b'Pk\n.'),
    ('err/BINPERSID-without-hook', 'repr', b'K\x01Q.'),
    ('err/NEXT_BUFFER-without-buffers', 'repr', b'\x80\x05\x97.'),
    ('err/EXT1-unregistered', 'repr', b'\x80\x02\x82\xfe.'),
    ('err/STRING-not-quoted', 'repr', b'Sabc\n.'),
    ('err/STRING-mismatched-quotes', 'repr', b'S\'abc"\n.'),
    ('err/BINSTRING-negative-length', 'repr', b'T\xff\xff\xff\xff.'),
    ('err/BINUNICODE-bad-utf8', 'repr', b'X\x02\x00\x00\x00\xc3\x28.'),
    ('err/INT-not-a-number', 'repr', b'Iabc\n.'),
    ('err/LONG-not-a-number', 'repr', b'L12x\n.'),
    ('err/FLOAT-not-a-number', 'repr', b'Fx\n.'),
    ('err/DICT-odd-items', 'repr', b'(K\x01d.'),
    ('err/SETITEMS-odd-items', 'repr', b'}(K\x01u.'),
    ('err/dict-key-unhashable', 'repr', b'}]K\x01s.'),
    ('err/set-item-unhashable', 'repr', b'\x80\x04\x8f(]\x90.'),
    ('err/frozenset-item-unhashable', 'repr', b'\x80\x04(}\x91.'),
]


def hand():
    for name, check, data in HAND:
        if not name.startswith('err/') and 'lenient' not in name:
            try:
                pickletools.dis(data, out=io.StringIO())
            except Exception as e:
                raise AssertionError('%s: pickletools.dis refuses it: %s' % (name, e)) from e
        add(name, 'hand', 'ASCII', check, data)
        expected = VECTORS[-1].expected
        if name.startswith('err/') != expected.startswith('!'):
            raise AssertionError('%s: %s' % (name, expected))
    # The STRING family under the three encodings.
    strings = b'(S\'caf\\xc3\\xa9\'\nU\x02\xff\xfeT\x01\x00\x00\x00\x80l.'
    for encoding in ('ASCII', 'latin1', 'bytes'):
        add('op/STRING-BINSTRING-non-ascii', 'hand', encoding, 'repr', strings)


# ---------------------------------------------------------------------------------------------
# Python 2 pickles. Python 2.7.18 wrote each of these, with cPickle (or the pure-Python pickle,
# whose memo numbering starts at 0) at the protocol given, from the expression beside it; the
# classes came from a Python 2 module named vector_classes with old-style OldStyle and OldWithArgs
# and a new-style NewStyle. They are loaded under the three encodings; the one-letter str types
# become str (ASCII: fails on non-ASCII bytes; latin1) or bytes.

PY2 = [
    # name, pickler, protocol, check, the Python 2 expression, the bytes it wrote
    ('none', 'cPickle', 0, 'repr', 'None',
     b'N.'),
    ('none', 'cPickle', 1, 'repr', 'None',
     b'N.'),
    ('none', 'cPickle', 2, 'repr', 'None',
     b'\x80\x02N.'),
    ('bools', 'cPickle', 0, 'repr', '[True, False]',
     b'(lp1\n' b'I01\n' b'aI00\n' b'a.'),
    ('bools', 'cPickle', 1, 'repr', '[True, False]',
     b']q\x01(I01\n' b'I00\n' b'e.'),
    ('bools', 'cPickle', 2, 'repr', '[True, False]',
     b'\x80\x02]q\x01(\x88\x89e.'),
    ('ints', 'cPickle', 0, 'repr', '[0, 1, -1, 255, 256, 65535, 65536, 2147483647, -2147483648, 2147483648, 9223372036854775807]',
     b'(lp1\n' b'I0\n' b'aI1\n' b'aI-1\n' b'aI255\n' b'aI256\n' b'aI65535\n' b'aI65536\n' b'aI2147483647\n' b'aI-2147483648\n' b'aI2147483648\n' b'aI9223372036854775807\n' b'a.'),
    ('ints', 'cPickle', 1, 'repr', '[0, 1, -1, 255, 256, 65535, 65536, 2147483647, -2147483648, 2147483648, 9223372036854775807]',
     b']q\x01(K\x00K\x01J\xff\xff\xff\xffK\xffM\x00\x01M\xff\xffJ\x00\x00\x01\x00J\xff\xff\xff\x7fJ\x00\x00\x00\x80I2147483648\n' b'I9223372036854775807\n' b'e.'),
    ('ints', 'cPickle', 2, 'repr', '[0, 1, -1, 255, 256, 65535, 65536, 2147483647, -2147483648, 2147483648, 9223372036854775807]',
     b'\x80\x02]q\x01(K\x00K\x01J\xff\xff\xff\xffK\xffM\x00\x01M\xff\xffJ\x00\x00\x01\x00J\xff\xff\xff\x7fJ\x00\x00\x00\x80I2147483648\n' b'I9223372036854775807\n' b'e.'),
    ('longs', 'cPickle', 0, 'repr', '[0L, 123L, -123L, 2L**64, -(2L**64), 2L**100]',
     b'(lp1\n' b'L0L\n' b'aL123L\n' b'aL-123L\n' b'aL18446744073709551616L\n' b'aL-18446744073709551616L\n' b'aL1267650600228229401496703205376L\n' b'a.'),
    ('longs', 'cPickle', 1, 'repr', '[0L, 123L, -123L, 2L**64, -(2L**64), 2L**100]',
     b']q\x01(L0L\n' b'L123L\n' b'L-123L\n' b'L18446744073709551616L\n' b'L-18446744073709551616L\n' b'L1267650600228229401496703205376L\n' b'e.'),
    ('longs', 'cPickle', 2, 'repr', '[0L, 123L, -123L, 2L**64, -(2L**64), 2L**100]',
     b'\x80\x02]q\x01(\x8a\x00\x8a\x01{\x8a\x01\x85\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\xff\x8a\x0d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10e.'),
    ('floats', 'cPickle', 0, 'repr', '[0.0, -0.0, 0.1, 1.5, 1e16, 1e-5, 1e22, 5e-324, 1.7976931348623157e308, 123456789.123]',
     b'(lp1\n' b'F0\n' b'aF-0\n' b'aF0.10000000000000001\n' b'aF1.5\n' b'aF10000000000000000\n' b'aF1.0000000000000001e-05\n' b'aF1e+22\n' b'aF4.9406564584124654e-324\n' b'aF1.7976931348623157e+308\n' b'aF123456789.123\n' b'a.'),
    ('floats', 'cPickle', 1, 'repr', '[0.0, -0.0, 0.1, 1.5, 1e16, 1e-5, 1e22, 5e-324, 1.7976931348623157e308, 123456789.123]',
     b']q\x01(G\x00\x00\x00\x00\x00\x00\x00\x00G\x80\x00\x00\x00\x00\x00\x00\x00G?\xb9\x99\x99\x99\x99\x99\x9aG?\xf8\x00\x00\x00\x00\x00\x00GCA\xc3y7\xe0\x80\x00G>\xe4\xf8\xb5\x88\xe3h\xf1GD\x80\xf0\xcf\x06M\xd5\x92G\x00\x00\x00\x00\x00\x00\x00\x01G\x7f\xef\xff\xff\xff\xff\xff\xffGA\x9do4T}\xf3\xb6e.'),
    ('floats', 'cPickle', 2, 'repr', '[0.0, -0.0, 0.1, 1.5, 1e16, 1e-5, 1e22, 5e-324, 1.7976931348623157e308, 123456789.123]',
     b'\x80\x02]q\x01(G\x00\x00\x00\x00\x00\x00\x00\x00G\x80\x00\x00\x00\x00\x00\x00\x00G?\xb9\x99\x99\x99\x99\x99\x9aG?\xf8\x00\x00\x00\x00\x00\x00GCA\xc3y7\xe0\x80\x00G>\xe4\xf8\xb5\x88\xe3h\xf1GD\x80\xf0\xcf\x06M\xd5\x92G\x00\x00\x00\x00\x00\x00\x00\x01G\x7f\xef\xff\xff\xff\xff\xff\xffGA\x9do4T}\xf3\xb6e.'),
    ('float-specials', 'cPickle', 0, 'repr', "[float('inf'), float('-inf'), float('nan')]",
     b'(lp1\n' b'Finf\n' b'aF-inf\n' b'aFnan\n' b'a.'),
    ('float-specials', 'cPickle', 1, 'repr', "[float('inf'), float('-inf'), float('nan')]",
     b']q\x01(G\x7f\xf0\x00\x00\x00\x00\x00\x00G\xff\xf0\x00\x00\x00\x00\x00\x00G\xff\xf8\x00\x00\x00\x00\x00\x00e.'),
    ('float-specials', 'cPickle', 2, 'repr', "[float('inf'), float('-inf'), float('nan')]",
     b'\x80\x02]q\x01(G\x7f\xf0\x00\x00\x00\x00\x00\x00G\xff\xf0\x00\x00\x00\x00\x00\x00G\xff\xf8\x00\x00\x00\x00\x00\x00e.'),
    ('complex', 'cPickle', 0, 'repr', '1.5-2j',
     b'c__builtin__\n' b'complex\n' b'p1\n' b'(F1.5\n' b'F-2\n' b'tRp2\n' b'.'),
    ('complex', 'cPickle', 1, 'repr', '1.5-2j',
     b'c__builtin__\n' b'complex\n' b'q\x01(G?\xf8\x00\x00\x00\x00\x00\x00G\xc0\x00\x00\x00\x00\x00\x00\x00tRq\x02.'),
    ('complex', 'cPickle', 2, 'repr', '1.5-2j',
     b'\x80\x02c__builtin__\n' b'complex\n' b'q\x01G?\xf8\x00\x00\x00\x00\x00\x00G\xc0\x00\x00\x00\x00\x00\x00\x00\x86Rq\x02.'),
    ('str-ascii', 'cPickle', 0, 'repr', "'hello world'",
     b'S\'hello world\'\n' b'p1\n' b'.'),
    ('str-ascii', 'cPickle', 1, 'repr', "'hello world'",
     b'U\x0bhello worldq\x01.'),
    ('str-ascii', 'cPickle', 2, 'repr', "'hello world'",
     b'\x80\x02U\x0bhello worldq\x01.'),
    ('str-quotes', 'cPickle', 0, 'repr', '\'it\\\'s "quoted" \\\\ \\n\\t\'',
     b'S\'it\\\'s "quoted" \\\\ \\n\\t\'\n' b'p1\n' b'.'),
    ('str-quotes', 'cPickle', 1, 'repr', '\'it\\\'s "quoted" \\\\ \\n\\t\'',
     b'U\x12it\'s "quoted" \\ \n' b'\x09q\x01.'),
    ('str-quotes', 'cPickle', 2, 'repr', '\'it\\\'s "quoted" \\\\ \\n\\t\'',
     b'\x80\x02U\x12it\'s "quoted" \\ \n' b'\x09q\x01.'),
    ('str-utf8', 'cPickle', 0, 'repr', "'caf\\xc3\\xa9 \\xed\\x95\\x9c\\xea\\xb5\\xad\\xec\\x96\\xb4'",
     b'S\'caf\\xc3\\xa9 \\xed\\x95\\x9c\\xea\\xb5\\xad\\xec\\x96\\xb4\'\n' b'p1\n' b'.'),
    ('str-utf8', 'pickle', 0, 'repr', "'caf\\xc3\\xa9 \\xed\\x95\\x9c\\xea\\xb5\\xad\\xec\\x96\\xb4'",
     b'S\'caf\\xc3\\xa9 \\xed\\x95\\x9c\\xea\\xb5\\xad\\xec\\x96\\xb4\'\n' b'p0\n' b'.'),
    ('str-utf8', 'cPickle', 1, 'repr', "'caf\\xc3\\xa9 \\xed\\x95\\x9c\\xea\\xb5\\xad\\xec\\x96\\xb4'",
     b'U\x0fcaf\xc3\xa9 \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4q\x01.'),
    ('str-utf8', 'cPickle', 2, 'repr', "'caf\\xc3\\xa9 \\xed\\x95\\x9c\\xea\\xb5\\xad\\xec\\x96\\xb4'",
     b'\x80\x02U\x0fcaf\xc3\xa9 \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4q\x01.'),
    ('str-latin1', 'cPickle', 0, 'repr', "'\\xe9t\\xe9'",
     b'S\'\\xe9t\\xe9\'\n' b'p1\n' b'.'),
    ('str-latin1', 'cPickle', 1, 'repr', "'\\xe9t\\xe9'",
     b'U\x03\xe9t\xe9q\x01.'),
    ('str-latin1', 'cPickle', 2, 'repr', "'\\xe9t\\xe9'",
     b'\x80\x02U\x03\xe9t\xe9q\x01.'),
    ('str-allbytes', 'cPickle', 0, 'repr', "''.join(chr(i) for i in range(256))",
     b'S\'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f !"#$%&\\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff\'\n' b'p1\n' b'.'),
    ('str-allbytes', 'cPickle', 1, 'repr', "''.join(chr(i) for i in range(256))",
     b'T\x00\x01\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\n' b'\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xffq\x01.'),
    ('str-allbytes', 'cPickle', 2, 'repr', "''.join(chr(i) for i in range(256))",
     b'\x80\x02T\x00\x01\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\n' b'\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xffq\x01.'),
    ('str-300', 'cPickle', 0, 'repr', "'x\\xff' * 150",
     b'S\'x\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xffx\\xff\'\n' b'p1\n' b'.'),
    ('str-300', 'cPickle', 1, 'repr', "'x\\xff' * 150",
     b'T,\x01\x00\x00x\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffq\x01.'),
    ('str-300', 'cPickle', 2, 'repr', "'x\\xff' * 150",
     b'\x80\x02T,\x01\x00\x00x\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffx\xffq\x01.'),
    ('unicode', 'cPickle', 0, 'repr', "u'caf\\xe9 \\ud55c\\uad6d\\uc5b4 \\U0001f600 \\\\ \\n'",
     b'Vcaf\xe9 \\ud55c\\uad6d\\uc5b4 \\U0001f600 \\u005c \\u000a\n' b'p1\n' b'.'),
    ('unicode', 'pickle', 0, 'repr', "u'caf\\xe9 \\ud55c\\uad6d\\uc5b4 \\U0001f600 \\\\ \\n'",
     b'Vcaf\xe9 \\ud55c\\uad6d\\uc5b4 \\U0001f600 \\u005c \\u000a\n' b'p0\n' b'.'),
    ('unicode', 'cPickle', 1, 'repr', "u'caf\\xe9 \\ud55c\\uad6d\\uc5b4 \\U0001f600 \\\\ \\n'",
     b'X\x18\x00\x00\x00caf\xc3\xa9 \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xf0\x9f\x98\x80 \\ \n' b'q\x01.'),
    ('unicode', 'cPickle', 2, 'repr', "u'caf\\xe9 \\ud55c\\uad6d\\uc5b4 \\U0001f600 \\\\ \\n'",
     b'\x80\x02X\x18\x00\x00\x00caf\xc3\xa9 \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xf0\x9f\x98\x80 \\ \n' b'q\x01.'),
    ('unicode-ascii', 'cPickle', 0, 'repr', "u'plain'",
     b'Vplain\n' b'p1\n' b'.'),
    ('unicode-ascii', 'cPickle', 1, 'repr', "u'plain'",
     b'X\x05\x00\x00\x00plainq\x01.'),
    ('unicode-ascii', 'cPickle', 2, 'repr', "u'plain'",
     b'\x80\x02X\x05\x00\x00\x00plainq\x01.'),
    ('mixed-keys', 'cPickle', 0, 'repr', "{'a': 1, u'b': 2, 3: 'c', (1, 2): [u'x', 'y'], None: 1.5}",
     b'(dp1\n' b'S\'a\'\n' b'I1\n' b'sI3\n' b'S\'c\'\n' b'sVb\n' b'I2\n' b's(I1\n' b'I2\n' b'tp2\n' b'(lp3\n' b'Vx\n' b'aS\'y\'\n' b'asNF1.5\n' b's.'),
    ('mixed-keys', 'cPickle', 1, 'repr', "{'a': 1, u'b': 2, 3: 'c', (1, 2): [u'x', 'y'], None: 1.5}",
     b'}q\x01(U\x01aK\x01K\x03U\x01cX\x01\x00\x00\x00bK\x02(K\x01K\x02t]q\x02(X\x01\x00\x00\x00xU\x01yeNG?\xf8\x00\x00\x00\x00\x00\x00u.'),
    ('mixed-keys', 'cPickle', 2, 'repr', "{'a': 1, u'b': 2, 3: 'c', (1, 2): [u'x', 'y'], None: 1.5}",
     b'\x80\x02}q\x01(U\x01aK\x01K\x03U\x01cX\x01\x00\x00\x00bK\x02K\x01K\x02\x86]q\x02(X\x01\x00\x00\x00xU\x01yeNG?\xf8\x00\x00\x00\x00\x00\x00u.'),
    ('nested', 'cPickle', 0, 'repr', "{'list': [1, 2, (3, 4)], 'tuple': (), 'empty': {}, 'one': (1,)}",
     b'(dp1\n' b'S\'one\'\n' b'p2\n' b'(I1\n' b'tp3\n' b'sS\'list\'\n' b'p4\n' b'(lp5\n' b'I1\n' b'aI2\n' b'a(I3\n' b'I4\n' b'tp6\n' b'asS\'empty\'\n' b'p7\n' b'(dp8\n' b'sS\'tuple\'\n' b'p9\n' b'(ts.'),
    ('nested', 'pickle', 0, 'repr', "{'list': [1, 2, (3, 4)], 'tuple': (), 'empty': {}, 'one': (1,)}",
     b'(dp0\n' b'S\'one\'\n' b'p1\n' b'(I1\n' b'tp2\n' b'sS\'list\'\n' b'p3\n' b'(lp4\n' b'I1\n' b'aI2\n' b'a(I3\n' b'I4\n' b'tp5\n' b'asS\'empty\'\n' b'p6\n' b'(dp7\n' b'sS\'tuple\'\n' b'p8\n' b'(ts.'),
    ('nested', 'cPickle', 1, 'repr', "{'list': [1, 2, (3, 4)], 'tuple': (), 'empty': {}, 'one': (1,)}",
     b'}q\x01(U\x03one(K\x01tU\x04listq\x02]q\x03(K\x01K\x02(K\x03K\x04tq\x04eU\x05empty}U\x05tupleq\x05)u.'),
    ('nested', 'cPickle', 2, 'repr', "{'list': [1, 2, (3, 4)], 'tuple': (), 'empty': {}, 'one': (1,)}",
     b'\x80\x02}q\x01(U\x03oneK\x01\x85U\x04listq\x02]q\x03(K\x01K\x02K\x03K\x04\x86q\x04eU\x05empty}U\x05tupleq\x05)u.'),
    ('shared', 'cPickle', 0, 'repr', '(lambda a: [a, a, (a,)])([1, 2])',
     b'(lp1\n' b'(lp2\n' b'I1\n' b'aI2\n' b'aag2\n' b'a(g2\n' b'tp3\n' b'a.'),
    ('shared', 'cPickle', 1, 'repr', '(lambda a: [a, a, (a,)])([1, 2])',
     b']q\x01(]q\x02(K\x01K\x02eh\x02(h\x02tq\x03e.'),
    ('shared', 'cPickle', 2, 'repr', '(lambda a: [a, a, (a,)])([1, 2])',
     b'\x80\x02]q\x01(]q\x02(K\x01K\x02eh\x02h\x02\x85q\x03e.'),
    ('set', 'cPickle', 0, 'repr', 'set([1, 2, 3])',
     b'c__builtin__\n' b'set\n' b'p1\n' b'((lp2\n' b'I1\n' b'aI2\n' b'aI3\n' b'atRp3\n' b'.'),
    ('set', 'pickle', 0, 'repr', 'set([1, 2, 3])',
     b'c__builtin__\n' b'set\n' b'p0\n' b'((lp1\n' b'I1\n' b'aI2\n' b'aI3\n' b'atp2\n' b'Rp3\n' b'.'),
    ('set', 'cPickle', 1, 'repr', 'set([1, 2, 3])',
     b'c__builtin__\n' b'set\n' b'q\x01(]q\x02(K\x01K\x02K\x03etRq\x03.'),
    ('set', 'pickle', 1, 'repr', 'set([1, 2, 3])',
     b'c__builtin__\n' b'set\n' b'q\x00(]q\x01(K\x01K\x02K\x03etq\x02Rq\x03.'),
    ('set', 'cPickle', 2, 'repr', 'set([1, 2, 3])',
     b'\x80\x02c__builtin__\n' b'set\n' b'q\x01]q\x02(K\x01K\x02K\x03e\x85Rq\x03.'),
    ('set', 'pickle', 2, 'repr', 'set([1, 2, 3])',
     b'\x80\x02c__builtin__\n' b'set\n' b'q\x00]q\x01(K\x01K\x02K\x03e\x85q\x02Rq\x03.'),
    ('frozenset', 'cPickle', 0, 'repr', 'frozenset([4, 5])',
     b'c__builtin__\n' b'frozenset\n' b'p1\n' b'((lp2\n' b'I4\n' b'aI5\n' b'atRp3\n' b'.'),
    ('frozenset', 'cPickle', 1, 'repr', 'frozenset([4, 5])',
     b'c__builtin__\n' b'frozenset\n' b'q\x01(]q\x02(K\x04K\x05etRq\x03.'),
    ('frozenset', 'cPickle', 2, 'repr', 'frozenset([4, 5])',
     b'\x80\x02c__builtin__\n' b'frozenset\n' b'q\x01]q\x02(K\x04K\x05e\x85Rq\x03.'),
    ('empty-set', 'cPickle', 0, 'repr', 'set()',
     b'c__builtin__\n' b'set\n' b'p1\n' b'((ltRp2\n' b'.'),
    ('empty-set', 'cPickle', 1, 'repr', 'set()',
     b'c__builtin__\n' b'set\n' b'q\x01(]tRq\x02.'),
    ('empty-set', 'cPickle', 2, 'repr', 'set()',
     b'\x80\x02c__builtin__\n' b'set\n' b'q\x01]\x85Rq\x02.'),
    ('old-instance', 'cPickle', 0, 'load', "OldStyle(1, 'two')",
     b'(ivector_classes\n' b'OldStyle\n' b'p1\n' b'(dp2\n' b'S\'a\'\n' b'I1\n' b'sS\'b\'\n' b'S\'two\'\n' b'p3\n' b'sb.'),
    ('old-instance', 'pickle', 0, 'load', "OldStyle(1, 'two')",
     b'(ivector_classes\n' b'OldStyle\n' b'p0\n' b'(dp1\n' b'S\'a\'\n' b'p2\n' b'I1\n' b'sS\'b\'\n' b'p3\n' b'S\'two\'\n' b'p4\n' b'sb.'),
    ('old-instance', 'cPickle', 1, 'load', "OldStyle(1, 'two')",
     b'(cvector_classes\n' b'OldStyle\n' b'q\x01oq\x02}q\x03(U\x01aK\x01U\x01bU\x03twoub.'),
    ('old-instance', 'pickle', 1, 'load', "OldStyle(1, 'two')",
     b'(cvector_classes\n' b'OldStyle\n' b'q\x00oq\x01}q\x02(U\x01aq\x03K\x01U\x01bq\x04U\x03twoq\x05ub.'),
    ('old-instance', 'cPickle', 2, 'load', "OldStyle(1, 'two')",
     b'\x80\x02(cvector_classes\n' b'OldStyle\n' b'q\x01oq\x02}q\x03(U\x01aK\x01U\x01bU\x03twoub.'),
    ('old-instance', 'pickle', 2, 'load', "OldStyle(1, 'two')",
     b'\x80\x02(cvector_classes\n' b'OldStyle\n' b'q\x00oq\x01}q\x02(U\x01aq\x03K\x01U\x01bq\x04U\x03twoq\x05ub.'),
    ('old-instance-initargs', 'cPickle', 0, 'load', "OldWithArgs(3, 'four')",
     b'(I3\n' b'S\'four\'\n' b'p1\n' b'ivector_classes\n' b'OldWithArgs\n' b'p2\n' b'(dp3\n' b'S\'y\'\n' b'g1\n' b'sS\'x\'\n' b'I3\n' b'sb.'),
    ('old-instance-initargs', 'cPickle', 1, 'load', "OldWithArgs(3, 'four')",
     b'(cvector_classes\n' b'OldWithArgs\n' b'q\x01K\x03U\x04fourq\x02oq\x03}q\x04(U\x01yh\x02U\x01xK\x03ub.'),
    ('old-instance-initargs', 'cPickle', 2, 'load', "OldWithArgs(3, 'four')",
     b'\x80\x02(cvector_classes\n' b'OldWithArgs\n' b'q\x01K\x03U\x04fourq\x02oq\x03}q\x04(U\x01yh\x02U\x01xK\x03ub.'),
    ('new-instance', 'cPickle', 0, 'load', 'NewStyle([1, 2])',
     b'ccopy_reg\n' b'_reconstructor\n' b'p1\n' b'(cvector_classes\n' b'NewStyle\n' b'p2\n' b'c__builtin__\n' b'object\n' b'p3\n' b'NtRp4\n' b'(dp5\n' b'S\'a\'\n' b'(lp6\n' b'I1\n' b'aI2\n' b'asb.'),
    ('new-instance', 'pickle', 0, 'load', 'NewStyle([1, 2])',
     b'ccopy_reg\n' b'_reconstructor\n' b'p0\n' b'(cvector_classes\n' b'NewStyle\n' b'p1\n' b'c__builtin__\n' b'object\n' b'p2\n' b'Ntp3\n' b'Rp4\n' b'(dp5\n' b'S\'a\'\n' b'p6\n' b'(lp7\n' b'I1\n' b'aI2\n' b'asb.'),
    ('new-instance', 'cPickle', 1, 'load', 'NewStyle([1, 2])',
     b'ccopy_reg\n' b'_reconstructor\n' b'q\x01(cvector_classes\n' b'NewStyle\n' b'q\x02c__builtin__\n' b'object\n' b'q\x03NtRq\x04}q\x05U\x01a]q\x06(K\x01K\x02esb.'),
    ('new-instance', 'pickle', 1, 'load', 'NewStyle([1, 2])',
     b'ccopy_reg\n' b'_reconstructor\n' b'q\x00(cvector_classes\n' b'NewStyle\n' b'q\x01c__builtin__\n' b'object\n' b'q\x02Ntq\x03Rq\x04}q\x05U\x01aq\x06]q\x07(K\x01K\x02esb.'),
    ('new-instance', 'cPickle', 2, 'load', 'NewStyle([1, 2])',
     b'\x80\x02cvector_classes\n' b'NewStyle\n' b'q\x01)\x81q\x02}q\x03U\x01a]q\x04(K\x01K\x02esb.'),
    ('new-instance', 'pickle', 2, 'load', 'NewStyle([1, 2])',
     b'\x80\x02cvector_classes\n' b'NewStyle\n' b'q\x00)\x81q\x01}q\x02U\x01aq\x03]q\x04(K\x01K\x02esb.'),
    ('value-error', 'cPickle', 0, 'load', "ValueError('bad value')",
     b'cexceptions\n' b'ValueError\n' b'p1\n' b'(S\'bad value\'\n' b'p2\n' b'tp3\n' b'Rp4\n' b'.'),
    ('value-error', 'cPickle', 1, 'load', "ValueError('bad value')",
     b'cexceptions\n' b'ValueError\n' b'q\x01(U\x09bad valueq\x02tq\x03Rq\x04.'),
    ('value-error', 'cPickle', 2, 'load', "ValueError('bad value')",
     b'\x80\x02cexceptions\n' b'ValueError\n' b'q\x01U\x09bad valueq\x02\x85q\x03Rq\x04.'),
    ('io-error', 'cPickle', 0, 'load', "IOError(2, 'No such file')",
     b'cexceptions\n' b'IOError\n' b'p1\n' b'(I2\n' b'S\'No such file\'\n' b'p2\n' b'tp3\n' b'Rp4\n' b'.'),
    ('io-error', 'cPickle', 1, 'load', "IOError(2, 'No such file')",
     b'cexceptions\n' b'IOError\n' b'q\x01(K\x02U\x0cNo such fileq\x02tq\x03Rq\x04.'),
    ('io-error', 'cPickle', 2, 'load', "IOError(2, 'No such file')",
     b'\x80\x02cexceptions\n' b'IOError\n' b'q\x01K\x02U\x0cNo such fileq\x02\x86q\x03Rq\x04.'),
    ('standard-error', 'cPickle', 0, 'load', "StandardError('std')",
     b'cexceptions\n' b'StandardError\n' b'p1\n' b'(S\'std\'\n' b'p2\n' b'tp3\n' b'Rp4\n' b'.'),
    ('standard-error', 'cPickle', 1, 'load', "StandardError('std')",
     b'cexceptions\n' b'StandardError\n' b'q\x01(U\x03stdq\x02tq\x03Rq\x04.'),
    ('standard-error', 'cPickle', 2, 'load', "StandardError('std')",
     b'\x80\x02cexceptions\n' b'StandardError\n' b'q\x01U\x03stdq\x02\x85q\x03Rq\x04.'),
    ('datetime', 'cPickle', 0, 'repr', 'datetime.datetime(2015, 11, 27, 12, 34, 56, 123456)',
     b'cdatetime\n' b'datetime\n' b'p1\n' b'(S\'\\x07\\xdf\\x0b\\x1b\\x0c"8\\x01\\xe2@\'\n' b'tRp2\n' b'.'),
    ('datetime', 'pickle', 0, 'repr', 'datetime.datetime(2015, 11, 27, 12, 34, 56, 123456)',
     b'cdatetime\n' b'datetime\n' b'p0\n' b'(S\'\\x07\\xdf\\x0b\\x1b\\x0c"8\\x01\\xe2@\'\n' b'p1\n' b'tp2\n' b'Rp3\n' b'.'),
    ('datetime', 'cPickle', 1, 'repr', 'datetime.datetime(2015, 11, 27, 12, 34, 56, 123456)',
     b'cdatetime\n' b'datetime\n' b'q\x01(U\n' b'\x07\xdf\x0b\x1b\x0c"8\x01\xe2@tRq\x02.'),
    ('datetime', 'cPickle', 2, 'repr', 'datetime.datetime(2015, 11, 27, 12, 34, 56, 123456)',
     b'\x80\x02cdatetime\n' b'datetime\n' b'q\x01U\n' b'\x07\xdf\x0b\x1b\x0c"8\x01\xe2@\x85Rq\x02.'),
    ('datetime-ascii-state', 'cPickle', 0, 'repr', 'datetime.datetime(1900, 1, 2, 3, 4, 5)',
     b'cdatetime\n' b'datetime\n' b'p1\n' b'(S\'\\x07l\\x01\\x02\\x03\\x04\\x05\\x00\\x00\\x00\'\n' b'tRp2\n' b'.'),
    ('datetime-ascii-state', 'cPickle', 1, 'repr', 'datetime.datetime(1900, 1, 2, 3, 4, 5)',
     b'cdatetime\n' b'datetime\n' b'q\x01(U\n' b'\x07l\x01\x02\x03\x04\x05\x00\x00\x00tRq\x02.'),
    ('datetime-ascii-state', 'cPickle', 2, 'repr', 'datetime.datetime(1900, 1, 2, 3, 4, 5)',
     b'\x80\x02cdatetime\n' b'datetime\n' b'q\x01U\n' b'\x07l\x01\x02\x03\x04\x05\x00\x00\x00\x85Rq\x02.'),
    ('date', 'cPickle', 0, 'repr', 'datetime.date(2015, 11, 27)',
     b'cdatetime\n' b'date\n' b'p1\n' b'(S\'\\x07\\xdf\\x0b\\x1b\'\n' b'tRp2\n' b'.'),
    ('date', 'cPickle', 1, 'repr', 'datetime.date(2015, 11, 27)',
     b'cdatetime\n' b'date\n' b'q\x01(U\x04\x07\xdf\x0b\x1btRq\x02.'),
    ('date', 'cPickle', 2, 'repr', 'datetime.date(2015, 11, 27)',
     b'\x80\x02cdatetime\n' b'date\n' b'q\x01U\x04\x07\xdf\x0b\x1b\x85Rq\x02.'),
    ('time', 'cPickle', 0, 'repr', 'datetime.time(12, 34, 56, 789012)',
     b'cdatetime\n' b'time\n' b'p1\n' b'(S\'\\x0c"8\\x0c\\n\\x14\'\n' b'tRp2\n' b'.'),
    ('time', 'cPickle', 1, 'repr', 'datetime.time(12, 34, 56, 789012)',
     b'cdatetime\n' b'time\n' b'q\x01(U\x06\x0c"8\x0c\n' b'\x14tRq\x02.'),
    ('time', 'cPickle', 2, 'repr', 'datetime.time(12, 34, 56, 789012)',
     b'\x80\x02cdatetime\n' b'time\n' b'q\x01U\x06\x0c"8\x0c\n' b'\x14\x85Rq\x02.'),
    ('timedelta', 'cPickle', 0, 'repr', 'datetime.timedelta(1, 2, 3)',
     b'cdatetime\n' b'timedelta\n' b'p1\n' b'(I1\n' b'I2\n' b'I3\n' b'tRp2\n' b'.'),
    ('timedelta', 'cPickle', 1, 'repr', 'datetime.timedelta(1, 2, 3)',
     b'cdatetime\n' b'timedelta\n' b'q\x01(K\x01K\x02K\x03tRq\x02.'),
    ('timedelta', 'cPickle', 2, 'repr', 'datetime.timedelta(1, 2, 3)',
     b'\x80\x02cdatetime\n' b'timedelta\n' b'q\x01K\x01K\x02K\x03\x87Rq\x02.'),
    ('decimal', 'cPickle', 0, 'repr', "decimal.Decimal('1.10')",
     b'cdecimal\n' b'Decimal\n' b'p1\n' b'(S\'1.10\'\n' b'tRp2\n' b'.'),
    ('decimal', 'cPickle', 1, 'repr', "decimal.Decimal('1.10')",
     b'cdecimal\n' b'Decimal\n' b'q\x01(U\x041.10tRq\x02.'),
    ('decimal', 'cPickle', 2, 'repr', "decimal.Decimal('1.10')",
     b'\x80\x02cdecimal\n' b'Decimal\n' b'q\x01U\x041.10\x85Rq\x02.'),
    ('decimal-nan', 'cPickle', 0, 'repr', "decimal.Decimal('-Infinity')",
     b'cdecimal\n' b'Decimal\n' b'p1\n' b'(S\'-Infinity\'\n' b'tRp2\n' b'.'),
    ('decimal-nan', 'cPickle', 1, 'repr', "decimal.Decimal('-Infinity')",
     b'cdecimal\n' b'Decimal\n' b'q\x01(U\x09-InfinitytRq\x02.'),
    ('decimal-nan', 'cPickle', 2, 'repr', "decimal.Decimal('-Infinity')",
     b'\x80\x02cdecimal\n' b'Decimal\n' b'q\x01U\x09-Infinity\x85Rq\x02.'),
    ('ordereddict', 'cPickle', 0, 'repr', "collections.OrderedDict([('z', 1), ('a', [2]), ('m', None)])",
     b'ccollections\n' b'OrderedDict\n' b'p1\n' b'((lp2\n' b'(lp3\n' b'S\'z\'\n' b'aI1\n' b'aa(lp4\n' b'S\'a\'\n' b'a(lp5\n' b'I2\n' b'aaa(lp6\n' b'S\'m\'\n' b'aNaatRp7\n' b'.'),
    ('ordereddict', 'cPickle', 1, 'repr', "collections.OrderedDict([('z', 1), ('a', [2]), ('m', None)])",
     b'ccollections\n' b'OrderedDict\n' b'q\x01(]q\x02(]q\x03(U\x01zK\x01e]q\x04(U\x01a]q\x05K\x02ae]q\x06(U\x01mNeetRq\x07.'),
    ('ordereddict', 'cPickle', 2, 'repr', "collections.OrderedDict([('z', 1), ('a', [2]), ('m', None)])",
     b'\x80\x02ccollections\n' b'OrderedDict\n' b'q\x01]q\x02(]q\x03(U\x01zK\x01e]q\x04(U\x01a]q\x05K\x02ae]q\x06(U\x01mNee\x85Rq\x07.'),
    ('defaultdict', 'cPickle', 0, 'repr', "collections.defaultdict(long, {'k': 5L})",
     b'ccollections\n' b'defaultdict\n' b'p1\n' b'(c__builtin__\n' b'long\n' b'p2\n' b'tRp3\n' b'S\'k\'\n' b'L5L\n' b's.'),
    ('defaultdict', 'cPickle', 1, 'repr', "collections.defaultdict(long, {'k': 5L})",
     b'ccollections\n' b'defaultdict\n' b'q\x01(c__builtin__\n' b'long\n' b'q\x02tRq\x03U\x01kL5L\n' b's.'),
    ('defaultdict', 'cPickle', 2, 'repr', "collections.defaultdict(long, {'k': 5L})",
     b'\x80\x02ccollections\n' b'defaultdict\n' b'q\x01c__builtin__\n' b'long\n' b'q\x02\x85Rq\x03U\x01k\x8a\x01\x05s.'),
    ('deque', 'cPickle', 0, 'repr', 'collections.deque([1, 2, 3], 5)',
     b'ccollections\n' b'deque\n' b'p1\n' b'((lp2\n' b'I1\n' b'aI2\n' b'aI3\n' b'aI5\n' b'tRp3\n' b'.'),
    ('deque', 'cPickle', 1, 'repr', 'collections.deque([1, 2, 3], 5)',
     b'ccollections\n' b'deque\n' b'q\x01(]q\x02(K\x01K\x02K\x03eK\x05tRq\x03.'),
    ('deque', 'cPickle', 2, 'repr', 'collections.deque([1, 2, 3], 5)',
     b'\x80\x02ccollections\n' b'deque\n' b'q\x01]q\x02(K\x01K\x02K\x03eK\x05\x86Rq\x03.'),
    ('counter', 'cPickle', 0, 'repr', "collections.Counter({'a': 2})",
     b'ccollections\n' b'Counter\n' b'p1\n' b'((dp2\n' b'S\'a\'\n' b'I2\n' b'stRp3\n' b'.'),
    ('counter', 'cPickle', 1, 'repr', "collections.Counter({'a': 2})",
     b'ccollections\n' b'Counter\n' b'q\x01(}q\x02U\x01aK\x02stRq\x03.'),
    ('counter', 'cPickle', 2, 'repr', "collections.Counter({'a': 2})",
     b'\x80\x02ccollections\n' b'Counter\n' b'q\x01}q\x02U\x01aK\x02s\x85Rq\x03.'),
    ('uuid', 'cPickle', 0, 'repr', "uuid.UUID('12345678-1234-5678-1234-567812345678')",
     b'ccopy_reg\n' b'_reconstructor\n' b'p1\n' b'(cuuid\n' b'UUID\n' b'p2\n' b'c__builtin__\n' b'object\n' b'p3\n' b'NtRp4\n' b'(dp5\n' b'S\'int\'\n' b'p6\n' b'L24197857161011715162171839636988778104L\n' b'sb.'),
    ('uuid', 'cPickle', 1, 'repr', "uuid.UUID('12345678-1234-5678-1234-567812345678')",
     b'ccopy_reg\n' b'_reconstructor\n' b'q\x01(cuuid\n' b'UUID\n' b'q\x02c__builtin__\n' b'object\n' b'q\x03NtRq\x04}q\x05U\x03intq\x06L24197857161011715162171839636988778104L\n' b'sb.'),
    ('uuid', 'cPickle', 2, 'repr', "uuid.UUID('12345678-1234-5678-1234-567812345678')",
     b'\x80\x02cuuid\n' b'UUID\n' b'q\x01)\x81q\x02}q\x03U\x03intq\x04\x8a\x10xV4\x12xV4\x12xV4\x12xV4\x12sb.'),
    ('xrange', 'cPickle', 0, 'repr', 'xrange(0, 10, 2)',
     b'c__builtin__\n' b'xrange\n' b'p1\n' b'(I0\n' b'I10\n' b'I2\n' b'tRp2\n' b'.'),
    ('xrange', 'cPickle', 1, 'repr', 'xrange(0, 10, 2)',
     b'c__builtin__\n' b'xrange\n' b'q\x01(K\x00K\n' b'K\x02tRq\x02.'),
    ('xrange', 'cPickle', 2, 'repr', 'xrange(0, 10, 2)',
     b'\x80\x02c__builtin__\n' b'xrange\n' b'q\x01K\x00K\n' b'K\x02\x87Rq\x02.'),
    ('object-type', 'cPickle', 0, 'repr', 'object',
     b'c__builtin__\n' b'object\n' b'p1\n' b'.'),
    ('object-type', 'cPickle', 1, 'repr', 'object',
     b'c__builtin__\n' b'object\n' b'q\x01.'),
    ('object-type', 'cPickle', 2, 'repr', 'object',
     b'\x80\x02c__builtin__\n' b'object\n' b'q\x01.'),
    ('types', 'cPickle', 0, 'repr', '[int, long, unicode, str, dict]',
     b'(lp1\n' b'c__builtin__\n' b'int\n' b'p2\n' b'ac__builtin__\n' b'long\n' b'p3\n' b'ac__builtin__\n' b'unicode\n' b'p4\n' b'ac__builtin__\n' b'str\n' b'p5\n' b'ac__builtin__\n' b'dict\n' b'p6\n' b'a.'),
    ('types', 'cPickle', 1, 'repr', '[int, long, unicode, str, dict]',
     b']q\x01(c__builtin__\n' b'int\n' b'q\x02c__builtin__\n' b'long\n' b'q\x03c__builtin__\n' b'unicode\n' b'q\x04c__builtin__\n' b'str\n' b'q\x05c__builtin__\n' b'dict\n' b'q\x06e.'),
    ('types', 'cPickle', 2, 'repr', '[int, long, unicode, str, dict]',
     b'\x80\x02]q\x01(c__builtin__\n' b'int\n' b'q\x02c__builtin__\n' b'long\n' b'q\x03c__builtin__\n' b'unicode\n' b'q\x04c__builtin__\n' b'str\n' b'q\x05c__builtin__\n' b'dict\n' b'q\x06e.'),
    ('recursive-list', 'cPickle', 0, 'repr', '(lambda a: (a.append(a), a)[1])([])',
     b'(lp1\n' b'g1\n' b'a.'),
    ('recursive-list', 'cPickle', 1, 'repr', '(lambda a: (a.append(a), a)[1])([])',
     b']q\x01h\x01a.'),
    ('recursive-list', 'cPickle', 2, 'repr', '(lambda a: (a.append(a), a)[1])([])',
     b'\x80\x02]q\x01h\x01a.'),
    ('recursive-tuple', 'cPickle', 0, 'repr', '(lambda l: (l.append((l,)), l[0])[1])([])',
     b'((lp1\n' b'(g1\n' b'tp2\n' b'a00g2\n' b'.'),
    ('recursive-tuple', 'cPickle', 1, 'repr', '(lambda l: (l.append((l,)), l[0])[1])([])',
     b'(]q\x01(h\x01tq\x02a1h\x02.'),
    ('recursive-tuple', 'cPickle', 2, 'repr', '(lambda l: (l.append((l,)), l[0])[1])([])',
     b'\x80\x02]q\x01h\x01\x85q\x02a0h\x02.'),
]


def python2():
    for name, pickler, protocol, check, _expression, data in PY2:
        for encoding in ('ASCII', 'latin1', 'bytes'):
            add('py2/%s/%s-p%d' % (name, pickler, protocol), 'py2', encoding, check, data)


# ---------------------------------------------------------------------------------------------

def load_as_named(name, data, encoding):
    """pickle.loads configured as the vector's name says (ext:, persid:, buffers:)."""
    kind, _, rest = name.partition(':')
    spec = rest.partition(':')[0]
    if kind == 'ext':
        registry = []
        for entry in filter(None, spec.split(';')):
            code, _, qualified = entry.partition('=')
            module, _, attribute = qualified.rpartition('.')
            registry.append((int(code), module, attribute))
        with extensions(registry):
            return pickle.loads(data, encoding=encoding)
    if kind == 'persid':
        return RefUnpickler(io.BytesIO(data), encoding=encoding).load()
    if kind == 'buffers':
        buffers = [bytes.fromhex(h) for h in spec.split(',') if h]
        return pickle.loads(data, encoding=encoding, buffers=buffers)
    return pickle.loads(data, encoding=encoding)


def opcode_coverage():
    seen = set()
    for vector in VECTORS:
        try:
            for opcode, _arg, _pos in pickletools.genops(vector.data):
                seen.add(opcode.name)
        except Exception:  # the malformed vectors: count what was read before the fault
            pass
    return sorted(op.name for op in pickletools.opcodes if op.name not in seen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT, help='where to write the vectors (default: %(default)s)')
    args = parser.parse_args()
    scalars()
    texts()
    containers()
    stdlib()
    framing()
    loadable()
    extension_vectors()
    persistent_vectors()
    buffer_vectors()
    hand()
    python2()
    missing = opcode_coverage()
    header = [
        '# Test vectors for the pickle reader, written by core/src/test/python/make_vectors.py from',
        '# CPython 3.11 (and Python 2.7 for protocol py2). Do not edit: run the script. Columns:',
        '# name\tprotocol\tencoding\tcheck\tpickle_hex\texpected',
    ]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w', encoding='utf-8', newline='\n') as out:
        out.write('\n'.join(header + [v.line() for v in VECTORS]) + '\n')
    print('%d vectors written to %s' % (len(VECTORS), os.path.normpath(args.out)))
    print('opcodes missing: %s' % (', '.join(missing) or 'none'))
    if missing:
        sys.exit(1)


if __name__ == '__main__':
    main()
