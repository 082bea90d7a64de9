#!/usr/bin/env python3
"""CPython's expectations for `picklejar convert`, written at test time by ConvertCommandTest.

    python3 convert_expectations.py make DIR            writes the inputs and expected outputs into DIR
    python3 convert_expectations.py check JSONL PICKLES decodes each line of JSONL by the JSON mapping
                                                        and compares it with the pickle at the same place
                                                        in PICKLES; prints "ok N", exits 1 on a difference

Files that `make` writes (nothing is committed: CPython makes them fresh on every run):

  own.pickle        own_values(), each pickled by pickle.dumps at every protocol 0-5 (that can
                    pickle it), back to back:
                    `convert` must give these very bytes back (each pickle at its own protocol).
  cross.pickle      the same values (those every protocol can pickle, and whose reduction is the
                    same at every protocol) at protocol 5; cross.N.pickle the same values by pickle.dumps(v, N):
                    `convert --protocol N cross.pickle` must give cross.N.pickle.
  json.pickle       json_values(), each at protocols 0-5 (some only at 4 and 5);
  json.jsonl        for each of those pickles, the line that `convert --to json` must write: encode()
                    below is the mapping of the README, written in Python from CPython's own view of
                    the value (pickle's __reduce_ex__ for other objects).
  plain.jsonl       JSON lines as json.dumps writes them (plain JSON and tagged values);
  plain.N.pickle    pickle.dumps(decode(json.loads(line)), N) for each line: `convert --protocol N
                    plain.jsonl` must give these bytes (CPython's decoder shares equal keys and short
                    strings, and so does picklejar's, so even the memo references agree).

The mapping (see ConvertCommand's help): null/true/false/numbers/strings/arrays/objects are None, bool,
int, float, str, list and dict with str keys; everything else is an object with one key starting with $.
"""

import _compat_pickle
import base64
import collections
import copyreg
import datetime
import decimal
import enum
import functools
import importlib
import json
import math
import os
import pickle
import re
import sys
import types
import uuid

MAX_SAFE_INTEGER = 2**53 - 1
LONE_SURROGATE = re.compile('[\ud800-\udfff]')


# ---------------------------------------------------------------------------------------------
# Classes the pickles name (as __main__.X: `make` and `check` both run this file as a script)

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ('a', 'b')

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Color(enum.Enum):
    RED = 1
    GREEN = 'green'


Pair = collections.namedtuple('Pair', 'left right')


class Tagged(list):
    """A list subclass with attributes: pickled with list items (APPENDS) and a state."""


class Keyword:
    """Built by cls.__new__(cls, *args, **kwargs): NEWOBJ_EX from protocol 4."""

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls)
        self.args = args
        self.kwargs = kwargs
        return self

    def __getnewargs_ex__(self):
        return self.args, self.kwargs

    def __reduce_ex__(self, protocol):
        if protocol >= 4:
            return copyreg.__newobj_ex__, (type(self), self.args, self.kwargs), None
        return object.__reduce_ex__(self, protocol)


# ---------------------------------------------------------------------------------------------
# Values

def standard_values():
    """Values of the built-in and standard types, without sharing or cycles."""
    utc = datetime.timezone.utc
    return [
        None, True, False, 0, 1, -1, 255, 256, 65535, 2**31 - 1, -2**31, 2**31, 2**53 - 1, -(2**53 - 1),
        2**53, -2**53, 2**63, -2**63 - 1, 2**64, 2**1000, -(2**1000),
        0.0, -0.0, 0.1, 1.5, 1e16, 1e-5, 1e22, 5e-324, 1.7976931348623157e308, 1 / 3,
        float('nan'), float('inf'), float('-inf'),
        '', 'a', 'hello', 'it\'s "quoted"', 'back\\slash', 'a\nb\rc\td\x00\x1f\x7f\x80\x9f',
        'café ÿ', '한국어', '😀 emoji 𝄞', 'a\ud800b', '\udc80', '\u2028\u2029\ufeff',
        'x' * 70_000,
        b'', b'abc', bytes(range(256)), b'y' * 70_000, bytearray(b'ba'), bytearray(),
        (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), ((1, 'a'), ()),
        [], [1, [2, [3, []]]], list(range(2500)),
        {}, {'a': 1, 'b': [2, 3]}, {'$x': 1}, {'$$': {'$y': 2}}, {'$x': 1, 'y': 2}, {'': None},
        {1: 'one', 2.5: 'float', None: 0, (1, 2): 'tuple', 'mixed': True, b'k': 'bytes'},
        {str(i): i for i in range(1001)},
        set(), {1, 2, 3}, {'s'}, frozenset(), frozenset({(1, 2), 3}), {frozenset({1})},
        1 + 2j, complex(-0.0, float('inf')), complex(float('nan'), 1e16),
        decimal.Decimal('1.10'), decimal.Decimal('-0'), decimal.Decimal('NaN'), decimal.Decimal('-Infinity'),
        decimal.Decimal('1E+2'), decimal.Decimal('123456789012345678901234567890.5'),
        uuid.UUID('12345678-1234-5678-1234-567812345678'),
        datetime.datetime(2026, 11, 25, 9, 30), datetime.datetime(1, 1, 1, 0, 0, 0, 1),
        datetime.datetime(2026, 11, 25, 9, 30, tzinfo=utc),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999999,
                          tzinfo=datetime.timezone(-datetime.timedelta(hours=5, minutes=30, seconds=15))),
        datetime.date(2026, 11, 25), datetime.date(1, 1, 1), datetime.time(), datetime.time(9, 30, 0, 5),
        datetime.time(23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=14))),
        datetime.timedelta(), datetime.timedelta(-1, 5, 6), datetime.timedelta(days=999999999),
        utc, datetime.timezone(datetime.timedelta(hours=-1, minutes=-30)),
    ]


def object_values():
    """Globals and instances of classes picklejar keeps as PyGlobal and PyObject."""
    tagged = Tagged([1, 2])
    tagged.label = 'two'
    return [
        len, Point, math.sqrt, collections.OrderedDict, functools.reduce,
        Point(1, 'y'), Slotted(1, [2]), Color.RED, Color.GREEN, Pair(1, (2, 3)),
        collections.OrderedDict([('a', 1), ('b', {2})]), collections.Counter('abca'),
        collections.deque([1, 2]), ValueError('bad', 3), functools.partial(max, 1, key=abs),
        tagged, datetime.timezone(datetime.timedelta(0), 'named'),
        datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1), 'CET')),
    ]


def own_values():
    shared = ['shared']
    recursive = [1]
    recursive.append(recursive)
    looped = {'name': 'loop'}
    looped['self'] = looped
    point = Point(0, 0)
    point.me = point
    return standard_values() + object_values() + [
        [shared, shared, (shared,)], recursive, looped, point, Keyword(1, k=2),
        datetime.datetime(2020, 11, 1, 1, 30, fold=1), datetime.time(1, 30, fold=1),
    ]


def json_values():
    """(value, lowest protocol): below it, a datetime loses its fold, and pickle writes NEWOBJ_EX as a
    call of functools.partial(cls.__new__, ...), which encode() does not spell out."""
    values = [(v, 0) for v in standard_values() + object_values()]
    values.append((Keyword(1, k=2), 4))
    values.append((datetime.datetime(2020, 11, 1, 1, 30, fold=1), 4))
    values.append((datetime.time(1, 30, fold=1), 4))
    return values


def plain_lines():
    """JSON text as a program would write it: plain JSON values, and tagged ones."""
    plain = [
        None, True, 0, -1, 2**53, 2**70, -2**70, 0.5, 1e16, -0.0, 'x', '', 'é', 'a\u0100', '😀',
        [], {}, [1, 'a', 'a', '', '', None, [True]],
        [{'id': 1, 'name': 'Alice', 'tags': ['x', 'y']}, {'id': 2, 'name': 'Bob', 'tags': []}],
        {'nested': {'deep': [[[{'k': 'v'}]]]}}, list(range(1500)), {str(i): i for i in range(1500)},
    ]
    lines = [json.dumps(v) for v in plain] + [json.dumps(v, ensure_ascii=False) for v in plain[-10:]]
    tagged = [
        {'$tuple': [1, 'a', {'$tuple': []}]}, {'$set': [1, 2, 3]}, {'$frozenset': ['a']},
        {'$bytes': 'AP8='}, {'$bytearray': 'YWJj'}, {'$int': '123456789012345678901234567890'},
        {'$float': 'nan'}, {'$float': '-inf'}, {'$dict': [[1, 'one'], [{'$tuple': [1, 2]}, 'pair']]},
        {'$$': {'$tuple': 'not a tag'}}, {'$complex': [1.0, -2.5]}, {'$decimal': '1.10'},
        {'$uuid': '12345678-1234-5678-1234-567812345678'}, {'$datetime': '2026-11-25T09:30:00'},
        {'$datetime': '2026-11-25T09:30:00.000001+01:00'}, {'$date': '2026-11-25'}, {'$time': '09:30:00'},
        {'$timedelta': [1, 2, 3]}, {'$timezone': '-05:30'}, {'$global': ['collections', 'OrderedDict']},
        {'records': [{'$tuple': [1, 2]}, {'when': {'$date': '2000-01-01'}}]},
    ]
    return lines + [json.dumps(v) for v in tagged]


# ---------------------------------------------------------------------------------------------
# The mapping, in Python

def plain_tz(tz):
    if tz is None:
        return True
    if type(tz) is not datetime.timezone or len(tz.__getinitargs__()) != 1:
        return False
    offset = tz.utcoffset(None)
    return offset.microseconds == 0 and abs(offset) <= datetime.timedelta(hours=18)


def iso_offset(offset):
    sign = '-' if offset < datetime.timedelta(0) else '+'
    seconds = int(abs(offset).total_seconds())
    text = '%s%02d:%02d' % (sign, seconds // 3600, seconds // 60 % 60)
    return text + (':%02d' % (seconds % 60) if seconds % 60 else '')


def encode_float(f):
    if math.isnan(f):
        return {'$float': 'nan'}
    if math.isinf(f):
        return {'$float': 'inf' if f > 0 else '-inf'}
    return f


def encode(obj, protocol):
    """The JSON form of obj as written at the given protocol (a Python structure for json.dumps)."""
    t = type(obj)
    if obj is None or t is bool or t is str:
        return obj
    if t is int:
        return obj if abs(obj) <= MAX_SAFE_INTEGER else {'$int': str(obj)}
    if t is float:
        return encode_float(obj)
    if t is bytes:
        return {'$bytes': base64.b64encode(obj).decode('ascii')}
    if t is bytearray:
        return {'$bytearray': base64.b64encode(obj).decode('ascii')}
    if t is tuple:
        return {'$tuple': [encode(x, protocol) for x in obj]}
    if t is list:
        return [encode(x, protocol) for x in obj]
    if t is dict:
        if all(type(k) is str for k in obj):
            d = {k: encode(v, protocol) for k, v in obj.items()}
            return {'$$': d} if len(d) == 1 and next(iter(d)).startswith('$') else d
        return {'$dict': [[encode(k, protocol), encode(v, protocol)] for k, v in obj.items()]}
    if t is set:
        return {'$set': [encode(x, protocol) for x in obj]}
    if t is frozenset:
        return {'$frozenset': [encode(x, protocol) for x in obj]}
    if t is complex:
        return {'$complex': [encode_float(obj.real), encode_float(obj.imag)]}
    if t is decimal.Decimal:
        return {'$decimal': str(obj)}
    if t is uuid.UUID:
        return {'$uuid': str(obj)}
    if t is datetime.datetime and obj.fold == 0 and plain_tz(obj.tzinfo):
        return {'$datetime': obj.isoformat()}
    if t is datetime.date:
        return {'$date': obj.isoformat()}
    if t is datetime.time and obj.fold == 0 and plain_tz(obj.tzinfo):
        return {'$time': obj.isoformat()}
    if t is datetime.timedelta:
        return {'$timedelta': [obj.days, obj.seconds, obj.microseconds]}
    if t is datetime.timezone and plain_tz(obj):
        return {'$timezone': iso_offset(obj.utcoffset(None))}
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)):
        return {'$global': global_name(obj, protocol)}
    return {'$object': encode_reduction(obj, protocol)}


def global_name(obj, protocol):
    """The module and name of a global as loading sees them: below protocol 3 pickle writes Python 2
    names (fix_imports) and loading maps them back, which may land on another module."""
    module, name = pickle.whichmodule(obj, obj.__qualname__), obj.__qualname__
    if protocol < 3:
        if (module, name) in _compat_pickle.REVERSE_NAME_MAPPING:
            module, name = _compat_pickle.REVERSE_NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.REVERSE_IMPORT_MAPPING:
            module = _compat_pickle.REVERSE_IMPORT_MAPPING[module]
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
    return [module, name]


def encode_reduction(obj, protocol):
    """What pickle's save_reduce writes for obj, as the $object fields."""
    rv = obj.__reduce_ex__(protocol)
    rv = rv + (None,) * (6 - len(rv))
    func, args, state, listitems, dictitems, state_setter = rv
    spec = {}
    if protocol >= 2 and func is copyreg.__newobj__:
        spec['callable'] = encode(args[0], protocol)
        spec['construction'] = 'NEWOBJ'
        spec['args'] = [encode(a, protocol) for a in args[1:]]
    elif protocol >= 4 and func is copyreg.__newobj_ex__:
        cls, cls_args, kwargs = args
        spec['callable'] = encode(cls, protocol)
        spec['construction'] = 'NEWOBJ_EX'
        spec['args'] = [encode(a, protocol) for a in cls_args]
        spec['kwargs'] = encode(kwargs, protocol)
    else:
        spec['callable'] = encode(func, protocol)
        spec['construction'] = 'REDUCE'
        spec['args'] = [encode(a, protocol) for a in args]
    if state is not None:
        spec['state'] = encode(state, protocol)
        if state_setter is not None:
            spec['state_setter'] = encode(state_setter, protocol)
    items = list(listitems) if listitems is not None else []
    if items:
        spec['list_items'] = [encode(x, protocol) for x in items]
    pairs = list(dictitems) if dictitems is not None else []
    if pairs:
        spec['dict_items'] = [[encode(k, protocol), encode(v, protocol)] for k, v in pairs]
    return spec


def json_line(obj, protocol):
    text = json.dumps(encode(obj, protocol), ensure_ascii=False)
    return LONE_SURROGATE.sub(lambda m: '\\u%04x' % ord(m.group()), text)


def resolve(module, qualname):
    target = importlib.import_module(module)
    for part in qualname.split('.'):
        target = getattr(target, part)
    return target


def parse_offset(text):
    if text == 'Z':
        return datetime.timezone.utc
    sign = -1 if text[0] == '-' else 1
    parts = [int(p) for p in text[1:].split(':')] + [0]
    return datetime.timezone(sign * datetime.timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2]))


def decode(j):
    """The Python value a JSON value stands for."""
    if isinstance(j, list):
        return [decode(x) for x in j]
    if not isinstance(j, dict):
        return j
    if len(j) != 1 or not next(iter(j)).startswith('$'):
        return {k: decode(v) for k, v in j.items()}
    tag, v = next(iter(j.items()))
    simple = {
        '$$': lambda: {k: decode(x) for k, x in v.items()},
        '$tuple': lambda: tuple(decode(x) for x in v),
        '$set': lambda: {decode(x) for x in v},
        '$frozenset': lambda: frozenset(decode(x) for x in v),
        '$dict': lambda: {decode(k): decode(x) for k, x in v},
        '$bytes': lambda: base64.b64decode(v),
        '$bytearray': lambda: bytearray(base64.b64decode(v)),
        '$int': lambda: int(v),
        '$float': lambda: float(v),
        '$complex': lambda: complex(decode(v[0]), decode(v[1])),
        '$decimal': lambda: decimal.Decimal(v),
        '$uuid': lambda: uuid.UUID(v),
        '$datetime': lambda: datetime.datetime.fromisoformat(v),
        '$date': lambda: datetime.date.fromisoformat(v),
        '$time': lambda: datetime.time.fromisoformat(v),
        '$timedelta': lambda: datetime.timedelta(*v),
        '$timezone': lambda: parse_offset(v),
        '$global': lambda: resolve(*v),
        '$object': lambda: build(v),
    }
    return simple[tag]()


def build(spec):
    """What unpickling does with the calls an $object records."""
    cls = decode(spec['callable'])
    args = [decode(a) for a in spec.get('args', [])]
    construction = spec['construction']
    if construction == 'NEWOBJ':
        obj = cls.__new__(cls, *args)
    elif construction == 'NEWOBJ_EX':
        obj = cls.__new__(cls, *args, **decode(spec['kwargs']))
    else:
        obj = cls(*args)
    for item in spec.get('list_items', []):
        obj.append(decode(item))
    for k, v in spec.get('dict_items', []):
        obj[decode(k)] = decode(v)
    for item in spec.get('set_items', []):
        obj.add(decode(item))
    if 'state' in spec:
        state = decode(spec['state'])
        if 'state_setter' in spec:
            decode(spec['state_setter'])(obj, state)
        elif getattr(obj, '__setstate__', None) is not None:
            obj.__setstate__(state)
        else:
            slots = None
            if isinstance(state, tuple) and len(state) == 2:
                state, slots = state
            if state:
                obj.__dict__.update(state)
            for k, v in (slots or {}).items():
                setattr(obj, k, v)
    return obj


def same(a, b):
    """Equal as values, float signs and nan included, instances by their attributes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (float, complex, decimal.Decimal)):
        return repr(a) == repr(b)
    if isinstance(a, (list, tuple, collections.deque)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b)) and same_attributes(a, b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a) and same_attributes(a, b)
    if isinstance(a, BaseException):
        return same(a.args, b.args)
    if isinstance(a, functools.partial):
        return a.func is b.func and same(a.args, b.args) and same(a.keywords, b.keywords)
    if isinstance(a, (set, frozenset, enum.Enum, type)) or callable(a):
        return a == b
    if hasattr(a, '__dict__') or hasattr(type(a), '__slots__'):
        return same_attributes(a, b)
    return a == b


def same_attributes(a, b):
    slots = getattr(type(a), '__slots__', ())
    if isinstance(slots, str):
        slots = (slots,)
    for name in slots:
        if hasattr(a, name) != hasattr(b, name) or hasattr(a, name) and not same(getattr(a, name), getattr(b, name)):
            return False
    return same(getattr(a, '__dict__', {}), getattr(b, '__dict__', {})) if hasattr(a, '__dict__') else True


# ---------------------------------------------------------------------------------------------

def reduces_per_protocol(value):
    """Whether the value's class reduces it differently at different protocols: a pickle of it keeps
    one reduction, so writing it at another protocol cannot give what CPython gives there."""
    return isinstance(value, (Pair, Tagged, Keyword))


def picklable(value, protocol):
    """Whether CPython pickles the value at the protocol (a class with __slots__ needs 2 or more)."""
    try:
        pickle.dumps(value, protocol)
        return True
    except TypeError:
        return False


def make(directory):
    os.makedirs(directory, exist_ok=True)

    def write(name, data):
        with open(os.path.join(directory, name), 'wb') as f:
            f.write(data)

    own = [(v, p) for v in own_values() for p in range(6) if picklable(v, p)]
    write('own.pickle', b''.join(pickle.dumps(v, p) for v, p in own))
    cross = [v for v in own_values() if all(picklable(v, p) for p in range(6)) and not reduces_per_protocol(v)]
    write('cross.pickle', b''.join(pickle.dumps(v, 5) for v in cross))
    for p in range(6):
        write('cross.%d.pickle' % p, b''.join(pickle.dumps(v, p) for v in cross))
    pickles, lines = [], []
    for value, lowest in json_values():
        for p in range(lowest, 6):
            if not picklable(value, p):
                continue
            pickles.append(pickle.dumps(value, p))
            lines.append(json_line(value, p) + '\n')
    write('json.pickle', b''.join(pickles))
    write('json.jsonl', ''.join(lines).encode('utf-8'))
    plain = plain_lines()
    write('plain.jsonl', ''.join(line + '\n' for line in plain).encode('utf-8'))
    for p in range(6):
        write('plain.%d.pickle' % p, b''.join(pickle.dumps(decode(json.loads(line)), p) for line in plain))
    print('made', len(own), 'own,', len(cross), 'cross,', len(pickles), 'json,', len(plain), 'plain')


def check(jsonl, pickles):
    with open(jsonl, 'rb') as f:
        lines = f.read().decode('utf-8').split('\n')[:-1]  # not splitlines(): U+2028 is no line end in JSON Lines
    values = []
    with open(pickles, 'rb') as f:
        while f.peek(1):
            values.append(pickle.load(f))
    if len(lines) != len(values):
        print('%d lines but %d pickles' % (len(lines), len(values)))
        return 1
    bad = 0
    for n, (line, value) in enumerate(zip(lines, values), 1):
        decoded = decode(json.loads(line))
        if not same(decoded, value):
            bad += 1
            print('line %d: %s decodes to %r, the pickle holds %r' % (n, line[:200], decoded, value))
    if bad:
        return 1
    print('ok', len(lines))
    return 0


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'make':
        make(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'check':
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
