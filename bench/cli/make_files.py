#!/usr/bin/env python3
"""Writes the inputs of bench/cli/run.sh with CPython, from bench/make_corpora.py's generators and
fixed seeds (the same bytes every run on the same CPython):

    tiny.pickle      pickle.dumps([1, 2, 3], 2): 14 bytes, for start-up
    records.pickle   25k JSON-like records (make_corpora's records generator), protocol 5: ~5 MB
    bytes.pickle     one 1.6 MB bytes object of random bytes, protocol 5
    big.pickle       one pickle of 250k such records, protocol 5: ~50 MB

    python3 bench/cli/make_files.py [DIR]   (default: bench/target/cli; existing files are kept)
"""
import os
import pickle
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import make_corpora  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "target", "cli")
    os.makedirs(out, exist_ok=True)
    files = {
        "tiny.pickle": lambda: pickle.dumps([1, 2, 3], 2),
        "records.pickle": lambda: pickle.dumps(make_corpora.records(random.Random(1), 25_000), 5),
        "bytes.pickle": lambda: pickle.dumps(random.Random(2).randbytes(1_600_000), 5),
        "big.pickle": lambda: pickle.dumps(make_corpora.records(random.Random(3), 250_000), 5),
    }
    for name, make in files.items():
        path = os.path.join(out, name)
        if not os.path.exists(path):
            data = make()
            with open(path + ".tmp", "wb") as f:
                f.write(data)
            os.replace(path + ".tmp", path)
        print("%-15s %10d bytes" % (name, os.path.getsize(path)), file=sys.stderr)


if __name__ == "__main__":
    main()
