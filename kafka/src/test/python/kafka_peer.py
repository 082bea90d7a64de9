"""The Python side of picklejar-kafka's tests: a real confluent-kafka producer and consumer.

Run by the tests with Debian's /usr/bin/python3 (python3-confluent-kafka, python3-numpy):

  kafka_peer.py produce-values|produce-numpy BOOTSTRAP TOPIC
      pickles VALUES (or numpy arrays) at protocols 2 to 5, one record each, keyed
      "p<protocol>-<name>"; prints "key<TAB>repr" per record ("key<TAB>numpy<TAB>dtype<TAB>shape
      <TAB>hex of the raw bytes" for arrays), then "produced N".
  kafka_peer.py check-java-values BOOTSTRAP TOPIC COUNT
      consumes COUNT records that Java wrote (keys "p<protocol>-<name>") and prints per record
      "key<TAB>equal|DIFFERENT<TAB>same-bytes|other-bytes<TAB>repr": whether pickle.loads gives
      JAVA_VALUES[name], and whether the record is pickle.dumps(JAVA_VALUES[name], protocol).
  kafka_peer.py produce-poison BOOTSTRAP TOPIC
      a partition of good pickles with two poison records in the middle (a truncated pickle and a
      JSON text); prints "poison<TAB>offset<TAB>byte offset<TAB>opcode" for each, where the byte
      offset and opcode are pickletools' view of where reading fails.
  kafka_peer.py produce-clicks BOOTSTRAP TOPIC
      pickled click events (dicts) keyed by user, at protocols 2 to 5, with one poison record in
      the middle; prints "expect<TAB>user<TAB>count<TAB>total" per user and
      "poison<TAB>offset<TAB>hex of its bytes".
  kafka_peer.py check-totals BOOTSTRAP TOPIC USERS...
      consumes the Streams application's output (key user, value a pickled dict) until every
      user's count reaches the expected one (USERS given as "user=count=total"); prints
      "protocols<TAB>the pickle protocols seen", "total<TAB>user<TAB>repr(value)" for each final
      value, then "ok" or "mismatch".
"""
import datetime
import decimal
import pickle
import pickletools
import sys
import time
import uuid

import confluent_kafka

UTC = datetime.timezone.utc
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))

# What Python produces for Java; Java compares each with what python's repr() prints.
VALUES = {
    "dict": {"name": "Alice", "age": 25, "langs": ("한국어", "English"), "scores": [1.5, -0.0, float("inf")],
             "tags": {"kafka"}, "blob": b"\x00\xff", "big": 2 ** 100, "none": None, "yes": True},
    "datetime": datetime.datetime(2026, 11, 25, 9, 30, 0, 123456),
    "datetime-utc": datetime.datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
    "datetime-ist": datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=IST),
    "date": datetime.date(1999, 12, 31),
    "time": datetime.time(13, 5, 7, 890),
    "timedelta": datetime.timedelta(days=2, seconds=5, microseconds=7),
    "decimal": decimal.Decimal("1.10"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "nested": [{"id": i, "at": datetime.datetime(2026, 1, 1, i)} for i in range(3)],
}

# What Java writes for Python (the Java test builds the same values).
JAVA_VALUES = {
    "dict": {"name": "Alice", "age": 25, "langs": ("한국어", "English"), "scores": [1.5, -0.0],
             "blob": b"\x00\xff", "big": 2 ** 100, "none": None, "yes": True},
    "datetime": datetime.datetime(2026, 11, 25, 9, 30, 0, 123456),
    "datetime-utc": datetime.datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
    "date": datetime.date(1999, 12, 31),
    "timedelta": datetime.timedelta(days=2, seconds=5, microseconds=7),
    "decimal": decimal.Decimal("1.10"),
    "list": [1, 2.5, "three", None, (4,)],
}


def numpy_values():
    import numpy as np
    return {
        "np-float64": np.arange(6, dtype=np.float64).reshape(2, 3),
        "np-int32": np.array([1, -2, 300000], dtype=np.int32),
        "np-uint8": np.arange(12, dtype=np.uint8).reshape(2, 2, 3),
    }


def producer(bootstrap):
    return confluent_kafka.Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})


def consumer(bootstrap, topic):
    c = confluent_kafka.Consumer({"bootstrap.servers": bootstrap, "group.id": "python-" + topic,
                                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    c.subscribe([topic])
    return c


def flush(p):
    left = p.flush(60)
    if left:
        sys.exit("%d records were not delivered" % left)


def produce_values(bootstrap, topic, values):
    p = producer(bootstrap)
    n = 0
    for protocol in range(2, 6):
        for name, value in values.items():
            key = "p%d-%s" % (protocol, name)
            p.produce(topic, key=key.encode(), value=pickle.dumps(value, protocol), partition=0)
            if type(value).__module__ == "numpy":
                print("%s\tnumpy\t%s\t%s\t%s" % (key, value.dtype.str, ",".join(map(str, value.shape)),
                                                  value.tobytes().hex()))
            else:
                print("%s\t%r" % (key, value))
            n += 1
    flush(p)
    print("produced %d" % n)


def check_java_values(bootstrap, topic, count):
    c = consumer(bootstrap, topic)
    seen = 0
    deadline = time.monotonic() + 60
    while seen < count and time.monotonic() < deadline:
        m = c.poll(1.0)
        if m is None:
            continue
        if m.error():
            sys.exit("consumer error: %s" % m.error())
        key = m.key().decode()
        protocol, name = key[1:].split("-", 1)
        value = pickle.loads(m.value())
        expected = JAVA_VALUES[name]
        equal = "equal" if value == expected and type(value) is type(expected) else "DIFFERENT"
        same = "same-bytes" if m.value() == pickle.dumps(expected, int(protocol)) else "other-bytes"
        print("%s\t%s\t%s\t%r" % (key, equal, same, value))
        seen += 1
    c.close()
    print("consumed %d" % seen)


def failure_point(full, cut):
    """Where pickletools sees reading stop when the pickle is cut after `cut` bytes: the opcode
    whose bytes reach past the cut."""
    last = None
    for op, arg, pos in pickletools.genops(full):
        if pos >= cut:
            break
        last = (pos, op.name)
    return last


def produce_poison(bootstrap, topic):
    p = producer(bootstrap)
    good = [pickle.dumps({"n": i, "text": "record %d" % i}, 4) for i in range(6)]
    # Protocol 3: no frames, so the first opcode that cannot be read whole is the one cut through.
    full = pickle.dumps({"n": 99, "text": "a record cut short in the middle of this text"}, 3)
    cut = len(full) - 20
    truncated = full[:cut]
    json_text = b'{"n": 3}'
    for bad in (truncated, json_text):
        try:
            pickle.loads(bad)
            sys.exit("poison loaded")
        except (pickle.UnpicklingError, EOFError):
            pass
    records = good[:3] + [truncated, json_text] + good[3:]
    for value in records:
        p.produce(topic, value=value, partition=0)
    flush(p)
    pos, name = failure_point(full, cut)
    print("poison\t3\t%d\t%s" % (pos, name))
    try:
        pickletools.dis(json_text, out=open("/dev/null", "w"))
    except ValueError as e:
        # "at position 0, opcode b'{' unknown"
        print("poison\t4\t%s\tunknown" % str(e).split(",")[0].split()[-1])
    print("produced %d" % len(records))


def produce_clicks(bootstrap, topic):
    p = producer(bootstrap)
    users = ["alice", "bob", "한국어"]
    counts, totals = {}, {}
    n = 0
    start = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    for i in range(40):
        user = users[i % len(users)] if i % 7 else "alice"
        amount = round(0.25 * i, 2)
        event = {"user": user, "page": "/item/%d" % (i % 5), "amount": amount,
                 "at": start + datetime.timedelta(seconds=i)}
        p.produce(topic, key=user.encode(), value=pickle.dumps(event, 2 + i % 4), partition=0)
        counts[user] = counts.get(user, 0) + 1
        totals[user] = totals.get(user, 0) + amount
        n += 1
        if i == 20:
            poison = pickle.dumps(event, 4)[:-9]
            p.produce(topic, key=b"mallory", value=poison, partition=0)
            print("poison\t%d\t%s" % (n, poison.hex()))
            n += 1
    flush(p)
    for user in users:
        print("expect\t%s\t%d\t%r" % (user, counts[user], totals[user]))
    print("produced %d" % n)


def check_totals(bootstrap, topic, expected):
    want = {}
    for spec in expected:
        user, count, total = spec.split("=")
        want[user] = (int(count), float(total))
    c = consumer(bootstrap, topic)
    last = {}
    protocols = set()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        m = c.poll(0.5)
        if m is None:
            if all(u in last and last[u]["count"] == w[0] for u, w in want.items()):
                break
            continue
        if m.error():
            sys.exit("consumer error: %s" % m.error())
        last[m.key().decode()] = pickle.loads(m.value())
        protocols.add(m.value()[1] if m.value()[0] == 0x80 else 0)
    c.close()
    print("protocols\t%s" % ",".join(map(str, sorted(protocols))))
    ok = True
    for user, (count, total) in want.items():
        value = last.get(user)
        print("total\t%s\t%r" % (user, value))
        ok = ok and value is not None and value["count"] == count and abs(value["total"] - total) < 1e-9
    print("ok" if ok else "mismatch")


def main(argv):
    command, bootstrap, topic = argv[1], argv[2], argv[3]
    if command == "produce-values":
        produce_values(bootstrap, topic, VALUES)
    elif command == "produce-numpy":
        produce_values(bootstrap, topic, numpy_values())
    elif command == "check-java-values":
        check_java_values(bootstrap, topic, int(argv[4]))
    elif command == "produce-poison":
        produce_poison(bootstrap, topic)
    elif command == "produce-clicks":
        produce_clicks(bootstrap, topic)
    elif command == "check-totals":
        check_totals(bootstrap, topic, argv[4:])
    else:
        sys.exit("unknown command " + command)
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv)
