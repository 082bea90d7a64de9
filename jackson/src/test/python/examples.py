"""The Python values of the jackson module's tests, by name: what CPython pickles for the read
tests, and what the Java side's writes must equal (byte for byte, and as loaded values)."""
import datetime
import decimal
import uuid

import numpy as np

from pjtypes import Circle, Color, Item, Level, Suit, Pair, Person, Plain, Point, Samples, SlotPoint, Square, User


def person():
    return Person(
        name='Alice', age=37, tags=['admin', 'ops'], scores={'math': 9.5, 'art': 7.25},
        born=datetime.date(1989, 4, 1),
        seen=datetime.datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=datetime.timezone.utc),
        balance=decimal.Decimal('1234.50'), id=uuid.UUID('12345678-1234-5678-1234-567812345678'),
        avatar=b'\x00\xffPNG', color=Color.GREEN, level=Level.HIGH, home=Point(1, 2),
        friends=[Point(3, 4), Point(5, 6)], nickname=None)


def values():
    return {
        # read tests
        'point': Point(1, 2),
        'slots': SlotPoint(3, 4),
        'pair': Pair('left', 2.5),
        'colors': [Color.RED, Color.GREEN, Color.RED],
        'levels': [Level.LOW, Level.HIGH],
        'suits': [Suit.SPADES, Suit.HEARTS],
        'person': person(),
        'plain': Plain('box', 3, 0.5),
        'samples': Samples(values=np.array([1.5, -2.0, 3.25]), counts=np.array([1, 2, 3], dtype=np.int32),
                           grid=np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64),
                           flags=np.array([True, False])),
        'nested': {'points': [Point(1, 2), Point(3, 4)], 'by_name': {'a': [1, 2], 'b': [3]},
                   'pairs': (Pair(1, 2), Pair(3, 4)), 'when': datetime.datetime(2026, 1, 2, 3, 4, 5),
                   'day': datetime.date(2026, 1, 2), 'price': decimal.Decimal('9.99'), 'nothing': None},
        'shapes': [Circle(1.5), Square(2.0)],
        'user': User(name='Bob', age=41, emails=['bob@example.org']),
        'stream': [Point(1, 2), Point(3, 4), Point(5, 6)],
        'bad-x': {'x': 'abc', 'y': 2},
        'extra': {'x': 1, 'y': 2, 'z': 3},
        'only-x': {'x': 1},
        'big-x': {'x': 2 ** 40, 'y': 2},
        # write tests: the Python value each Java value stands for
        'w-points': [Point(1, 2), Point(3, 4)],
        'w-items': [{'name': 'apple', 'count': 3, 'price': 0.5}, {'name': 'pear', 'count': 0, 'price': 1.25}],
        'w-colors': [Color.RED, Color.GREEN, Color.RED],
        'w-names': ['RED', 'GREEN'],
        'w-arrays': {'ints': [1, -2, 300000], 'doubles': [0.5, -1e300], 'longs': [2 ** 40],
                     'flags': [True, False], 'data': b'\x00\x01\xfe'},
        'w-person': person(),
        'w-plain': Plain('box', 3, 0.5),
        'w-items-typed': [Item('apple', 3, 0.5)],
        'w-times': [datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.timezone.utc),
                    datetime.datetime(2026, 11, 25, 18, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
                    datetime.time(23, 59, 59, 999999), datetime.timedelta(days=-2, seconds=3, microseconds=4),
                    None, 'x'],
    }
