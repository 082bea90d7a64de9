"""Classes and functions that the `load` vectors of make_vectors.py pickle.

They live in their own module so that the pickles name `vector_classes.X`, never `__main__`. Every
class has a repr that shows its state and no address, so the expected column stays the same from
run to run. The Python 2 vectors name OldStyle, OldWithArgs and NewStyle: Python 2.7 wrote them from
classes of the same names (old-style for the first two).
"""

import collections
import dataclasses
import enum
import reprlib


def _state_repr(obj, items):
    parts = []
    for key, value in sorted(items, key=lambda kv: repr(kv[0])):
        label = key if isinstance(key, str) else repr(key)
        parts.append('%s=%r' % (label, value))
    return '%s(%s)' % (type(obj).__qualname__, ', '.join(parts))


class _ShowsState:
    """Repr: the class name and the instance dict, sorted by key; safe on cycles."""

    @reprlib.recursive_repr()
    def __repr__(self):
        return _state_repr(self, vars(self).items())


class OldStyle(_ShowsState):
    """An old-style class in the Python 2 vectors (INST/OBJ without arguments)."""

    def __init__(self, a=None, b=None):
        self.a = a
        self.b = b


class OldWithArgs(_ShowsState):
    """An old-style class with __getinitargs__ in the Python 2 vectors (INST/OBJ with arguments)."""

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __getinitargs__(self):
        return (self.x, self.y)


class NewStyle(_ShowsState):
    """A new-style class in the Python 2 vectors (copy_reg._reconstructor, NEWOBJ)."""

    def __init__(self, a=None):
        self.a = a


class Plain(_ShowsState):
    """An ordinary class: pickled with its __dict__ as the BUILD state."""

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Slotted:
    """__slots__ and no __dict__: the state is (None, slots dict); protocol 2 and up only."""

    __slots__ = ('x', 'y')

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return 'Slotted(x=%r, y=%r)' % (self.x, self.y)


class SlottedWithDict:
    """__slots__ next to a __dict__: the state is (dict, slots dict)."""

    __slots__ = ('x', '__dict__')

    def __init__(self, x, **extra):
        self.x = x
        self.__dict__.update(extra)

    def __repr__(self):
        return _state_repr(self, [('x', self.x)] + list(self.__dict__.items()))


class WithNewArgs(_ShowsState):
    """__getnewargs__: NEWOBJ with arguments."""

    def __new__(cls, n):
        self = super().__new__(cls)
        self.n = n
        return self

    def __getnewargs__(self):
        return (self.n,)


class WithNewArgsEx(_ShowsState):
    """__getnewargs_ex__ with keyword arguments: NEWOBJ_EX from protocol 4."""

    def __new__(cls, n, *, label):
        self = super().__new__(cls)
        self.n = n
        self.label = label
        return self

    def __getnewargs_ex__(self):
        return (self.n,), {'label': self.label}


class WithSetState:
    """__getstate__/__setstate__ with a tuple state."""

    def __init__(self, a, b):
        self.pair = (a, b)

    def __getstate__(self):
        return self.pair

    def __setstate__(self, state):
        self.pair = tuple(state)

    def __repr__(self):
        return 'WithSetState%r' % (self.pair,)


class WithStateSetter(_ShowsState):
    """A 6-tuple __reduce__ with a state setter: REDUCE of the setter, then POP."""

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (WithStateSetter, (None,), {'value': self.value}, None, None, set_state)


def set_state(obj, state):
    obj.__dict__.update(state)


class ListLike:
    """__reduce_ex__ that returns list items: APPEND/APPENDS on an object."""

    def __init__(self, items=()):
        self.items = list(items)

    def append(self, item):
        self.items.append(item)

    def extend(self, items):
        self.items.extend(items)

    def __reduce_ex__(self, protocol):
        return (ListLike, (), None, iter(self.items), None)

    def __repr__(self):
        return 'ListLike(%r)' % (self.items,)


class DictLike:
    """__reduce_ex__ that returns a state and dict items: BUILD and SETITEM(S) on an object."""

    def __init__(self, name, items=()):
        self.name = name
        self.items = dict(items)

    def __setitem__(self, key, value):
        self.items[key] = value

    def __reduce_ex__(self, protocol):
        return (DictLike, (None,), {'name': self.name}, None, iter(self.items.items()))

    def __repr__(self):
        return 'DictLike(%r, %r)' % (self.name, self.items)


class MyList(list):
    """A list subclass with an attribute."""

    def __repr__(self):
        return 'MyList(%s, tag=%r)' % (list.__repr__(self), getattr(self, 'tag', None))


class MyDict(dict):
    """A dict subclass."""

    def __repr__(self):
        return 'MyDict(%s)' % dict.__repr__(self)


class MySet(set):
    """A set subclass."""

    def __repr__(self):
        return 'MySet(%s)' % sorted(self)


class MyInt(int):
    """An int subclass."""

    def __repr__(self):
        return 'MyInt(%d)' % self


class MyStr(str):
    """A str subclass."""

    def __repr__(self):
        return 'MyStr(%s)' % str.__repr__(self)


class MyTuple(tuple):
    """A tuple subclass."""

    def __repr__(self):
        return 'MyTuple(%s)' % tuple.__repr__(self)


@dataclasses.dataclass
class Point:
    x: int
    y: int


@dataclasses.dataclass(frozen=True)
class FrozenPoint:
    x: float
    y: float


@dataclasses.dataclass
class Record:
    name: str
    tags: list
    point: Point
    extra: dict = dataclasses.field(default_factory=dict)


class Color(enum.Enum):
    RED = 1
    GREEN = 'green'


class Shape(enum.Enum):
    """Pickled by name, getattr(Shape, 'SQUARE'), as enums that choose enum.pickle_by_enum_name are."""
    __reduce_ex__ = enum.pickle_by_enum_name
    SQUARE = 4
    CIRCLE = 0


@dataclasses.dataclass(slots=True)
class SlotsPoint:
    x: int
    y: int


class Perm(enum.IntFlag):
    R = 4
    W = 2
    X = 1


NT = collections.namedtuple('NT', 'x y')


class CustomError(Exception):
    """An exception with an extra attribute in its __dict__."""

    def __init__(self, message, code):
        super().__init__(message, code)
        self.code = code


class Outer:
    """A nested class: its qualified name has a dot."""

    class Inner(_ShowsState):
        def __init__(self, v):
            self.v = v

    def method(self):
        return 1


class Node:
    """A node that may point at itself: a recursive object graph."""

    def __init__(self, name):
        self.name = name
        self.next = None

    @reprlib.recursive_repr()
    def __repr__(self):
        return 'Node(%r, next=%r)' % (self.name, self.next)


class _Singleton:
    """__reduce__ returns a string: the object is pickled as the global that names it."""

    def __reduce__(self):
        return 'SINGLETON'

    def __repr__(self):
        return 'SINGLETON'


SINGLETON = _Singleton()


class Ref:
    """An object that the persistent_id hook of make_vectors.py pickles by reference."""

    def __init__(self, key):
        self.key = key


def func(x):
    return x
