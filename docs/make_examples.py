#!/usr/bin/env python3
"""Writes the pickles the README's command examples read (run from anywhere; CPython 3.11):

    docs/data.pickle   pickle.dumps({'name': 'Alice', 'age': 25}, 5), what `picklejar demo` writes
    docs/many.pickle   four pickles back to back, as four pickle.dump calls on one file write them:
                       a dict (protocol 5), a list of mixed values (protocol 4), an aware datetime
                       (protocol 2) and a Decimal (protocol 0)
"""
import datetime
import decimal
import os
import pickle

here = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(here, 'data.pickle'), 'wb') as f:
    pickle.dump({'name': 'Alice', 'age': 25}, f, 5)

with open(os.path.join(here, 'many.pickle'), 'wb') as f:
    pickle.dump({'name': 'Alice', 'age': 25}, f, 5)
    pickle.dump([1, 2.5, ' 한국어', b'\x00\xff', (1,), {1, 2}, None], f, 4)
    pickle.dump(datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.timezone.utc), f, 2)
    pickle.dump(decimal.Decimal('1.10'), f, 0)
