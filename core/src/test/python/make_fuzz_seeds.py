#!/usr/bin/env python3
"""Writes the fuzz targets' shared seed corpus from the committed CPython test vectors.

Run it from the repository root:  python3 core/src/test/python/make_fuzz_seeds.py

The seeds are the pickles of core/src/test/resources/vectors/reader.tsv (written by CPython 3.11
and Python 2.7 through make_vectors.py: every type at every protocol, plus the hand-made forms),
each under 16 KiB, one file per distinct pickle, named by the SHA-1 of its bytes. They go straight
into core/src/test/resources/dev/picklejar/fuzz/PickleFuzzTestInputs/, where Jazzer replays them for
every target of PickleFuzzTest in the normal test run and where tools/fuzz.sh starts fuzzing from.
Crashes found by fuzzing are kept apart, in that folder's <target>/ subfolders, and never deleted.
"""
import hashlib
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
VECTORS = os.path.join(ROOT, "core/src/test/resources/vectors/reader.tsv")
OUT = os.path.join(ROOT, "core/src/test/resources/dev/picklejar/fuzz/PickleFuzzTestInputs")
MAX_SEED = 16 * 1024


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        path = os.path.join(OUT, name)
        if os.path.isfile(path) and name.startswith("seed-"):
            os.remove(path)
    seen = set()
    with open(VECTORS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            columns = line.rstrip("\n").split("\t")
            data = bytes.fromhex(columns[4])
            if len(data) > MAX_SEED or data in seen:
                continue
            seen.add(data)
            with open(os.path.join(OUT, "seed-" + hashlib.sha1(data).hexdigest()), "wb") as out:
                out.write(data)
    print(f"{len(seen)} seeds in {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
