"""Python classes the jackson module's tests bind to Java types (imported by the vector script and
by the live checks, so CPython can load what Java writes)."""
import collections
import dataclasses
import datetime
import decimal
import enum
import typing
import uuid

import pydantic


@dataclasses.dataclass
class Point:
    x: int
    y: int


@dataclasses.dataclass(slots=True)
class SlotPoint:
    x: int
    y: int


Pair = collections.namedtuple('Pair', 'left right')


class Color(enum.Enum):
    RED = 'red'
    GREEN = 'green'


class Suit(enum.Enum):
    """Pickled by name, getattr(Suit, 'HEARTS'), as Python 3.12 and later pickle every member."""
    __reduce_ex__ = enum.pickle_by_enum_name
    HEARTS = 1
    SPADES = 2


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@dataclasses.dataclass
class Person:
    name: str
    age: int
    tags: list
    scores: dict
    born: datetime.date
    seen: datetime.datetime
    balance: decimal.Decimal
    id: uuid.UUID
    avatar: bytes
    color: Color
    level: Level
    home: Point
    friends: list
    nickname: typing.Optional[str] = None


class Plain:
    """A plain class (no dataclass): its instances pickle their __dict__."""

    def __init__(self, title, count, ratio):
        self.title = title
        self.count = count
        self.ratio = ratio

    def __eq__(self, other):
        return type(other) is Plain and vars(self) == vars(other)


@dataclasses.dataclass
class Samples:
    values: object
    counts: object
    grid: object
    flags: object


@dataclasses.dataclass
class Circle:
    radius: float


@dataclasses.dataclass
class Square:
    side: float


@dataclasses.dataclass
class Item:
    name: str
    count: int
    price: float


class User(pydantic.BaseModel):
    """A pydantic v2 model: its pickle's state is {'__dict__': {...}, '__pydantic_fields_set__': ...}."""
    name: str
    age: int
    emails: list
