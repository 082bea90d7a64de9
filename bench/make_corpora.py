#!/usr/bin/env python3
"""Writes the benchmark corpora with CPython: each corpus pickled at protocols 5 and 2, plus a small
JSON that says what it holds (object count, sizes). Output: bench/target/corpora (never committed).

    python3 bench/make_corpora.py [--out DIR] [--force] [corpus ...]

Besides the graphs of Python values: `numpy-f32`, a 100 MiB float32 numpy array pickled by numpy
(this python3's numpy 2.x) at protocols 5 and 4, in band; and `torch`, a 500 MB checkpoint
(`torch.save` of 5 float32 tensors of 100 MB, zip format) written by TORCH_PYTHON (default
/usr/bin/python3, the one with torch). A corpus is rewritten only when it is missing or was made by
another version of this script or of python3.

The data is built from fixed seeds, so every run writes the same bytes on the same CPython.
'objects' counts the values a pickle describes, as a loader creates them: every int, float, bool
and None occurrence, plus each distinct str, bytes, list, dict and tuple (shared ones, which the
pickle memoizes and fetches again, once).
"""
import argparse
import hashlib
import json
import os
import pickle
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "target", "corpora")
PROTOCOLS = (5, 2)
NESTING_DEPTH = 500

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def korean(rng, lo, hi):
    return "".join(chr(rng.randint(HANGUL_FIRST, HANGUL_LAST)) for _ in range(rng.randint(lo, hi)))


def ascii_word(rng, lo, hi):
    return "".join(rng.choice(ASCII_LETTERS) for _ in range(rng.randint(lo, hi)))


def mixed_int(rng):
    """Every width the pickle writes differently: BININT1, BININT2, BININT, LONG1 (8 bytes), and beyond."""
    r = rng.random()
    if r < 0.40:
        return rng.randint(0, 255)
    if r < 0.60:
        return rng.randint(256, 65535)
    if r < 0.80:
        return rng.randint(-2**31, 2**31 - 1)
    if r < 0.95:
        return rng.randint(-2**63, 2**63 - 1)
    return rng.randint(-2**100, 2**100)


def records(rng, n=100_000):
    """JSON-like records, passed through json so that sharing is what json.loads gives (keys shared
    within one document, every value its own object)."""
    cities = ["Seoul", "Busan", "Paris", "Lima", "Oslo", "Austin", "서울", "부산", "Nairobi", "Kyoto"]
    tags = ["new", "vip", "beta", "trial", "churned", "mobile", "web", "한국", "eu", "us"]
    out = []
    for i in range(n):
        name = korean(rng, 2, 4) if rng.random() < 0.2 else ascii_word(rng, 4, 8).capitalize() + " " + ascii_word(rng, 5, 10).capitalize()
        out.append({
            "id": i,
            "uuid": "%032x" % rng.getrandbits(128),
            "name": name,
            "email": ascii_word(rng, 5, 12).lower() + "@example.com",
            "age": rng.randint(18, 90),
            "balance": round(rng.uniform(-1000, 1e7), 2),
            "score": rng.random(),
            "active": rng.random() < 0.7,
            "verified": rng.choice([True, False, None]),
            "tags": rng.sample(tags, rng.randint(0, 4)),
            "counts": [mixed_int(rng) for _ in range(3)],
            "location": {"lat": rng.uniform(-90, 90), "lon": rng.uniform(-180, 180), "city": rng.choice(cities)},
            "created": rng.randint(1_500_000_000, 1_800_000_000),
        })
    return json.loads(json.dumps(out, ensure_ascii=False))


def ints(rng, n=1_000_000):
    return [mixed_int(rng) for _ in range(n)]


def floats(rng, n=1_000_000):
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            out.append(rng.gauss(0, 1) * 10.0 ** rng.randint(-8, 12))
        elif r < 0.8:
            out.append(round(rng.uniform(-1e4, 1e4), 2))
        elif r < 0.999:
            out.append(float(rng.randint(-10**6, 10**6)))
        else:
            out.append(rng.choice([0.0, -0.0, float("inf"), float("-inf"), 5e-324, 1.7976931348623157e308]))
    return out


def strings(rng, n=200_000):
    """Short strings, half ASCII, half Korean (three UTF-8 bytes a character)."""
    return [ascii_word(rng, 3, 16) if i % 2 == 0 else korean(rng, 1, 8) for i in range(n)]


def blob(rng, size=64 << 20):
    return rng.randbytes(size)


def nested(rng, copies=1000, depth=NESTING_DEPTH):
    """Lists and dicts nested `depth` deep, alternating, with a few leaves on the way down."""
    out = []
    for c in range(copies):
        node = [c, "leaf"]
        for level in range(depth - 1, 0, -1):
            if level % 2:
                node = {"depth": level, "child": node}
            else:
                node = [level, rng.random(), node]
        out.append(node)
    return out


CORPORA = {
    "records": ("100k JSON-like dicts (ints, str ASCII and Korean, floats, bools, None, lists, a nested dict)", records),
    "ints": ("1M ints of mixed sizes (1, 2, 4, 8 bytes and up to 101 bits, signed)", ints),
    "floats": ("1M floats (wide exponents, rounded decimals, integral values, a few inf/-0.0/denormals)", floats),
    "strings": ("200k short strings, half ASCII, half Korean", strings),
    "bytes": ("one 64 MiB bytes object", blob),
    "nested": ("1000 copies of lists and dicts nested %d deep" % NESTING_DEPTH, nested),
}
# One pickle per record, back to back, as a log that repeated pickle.load reads (streaming loads).
STREAM = "records-stream"
NUMPY = "numpy-f32"
NUMPY_PROTOCOLS = (5, 4)
NUMPY_ITEMS = 100 * (1 << 20) // 4  # 100 MiB of float32
TORCH = "torch"
TORCH_TENSORS = 5
TORCH_ITEMS = 25_000_000  # 100 MB of float32 each
TORCH_PYTHON = os.environ.get("TORCH_PYTHON", "/usr/bin/python3")
# Run by TORCH_PYTHON: writes the checkpoint and prints, as JSON, what the benchmark checks against.
TORCH_SCRIPT = r"""
import json, sys, torch
path, tensors, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
g = torch.Generator().manual_seed(15)
state = {"layer%d.weight" % i: torch.rand(items, generator=g, dtype=torch.float32) * 2 - 1 for i in range(tensors)}
torch.save(state, path)
print(json.dumps({"torch": torch.__version__, "python": sys.version.split()[0],
                  "sums": {k: float(v.double().sum()) for k, v in state.items()}}))
"""


def count_objects(value):
    """Values the pickle describes (see the module docstring); iterative, so depth does not matter."""
    seen = set()
    count = 0
    todo = [value]
    while todo:
        v = todo.pop()
        t = type(v)
        if t in (int, float, bool) or v is None:
            count += 1
            continue
        if id(v) in seen:
            continue
        seen.add(id(v))
        count += 1
        if t is dict:
            for k, x in v.items():
                todo.append(k)
                todo.append(x)
        elif t in (list, tuple):
            todo.extend(v)
        elif t not in (str, bytes):
            raise TypeError("unexpected type in corpus: %r" % t)
    return count


def script_digest():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def numpy_corpus(out, seed):
    """A 100 MiB float32 array, pickled by numpy itself (in band) at protocols 5 and 4."""
    import numpy
    array = numpy.random.default_rng(seed).random(NUMPY_ITEMS, dtype=numpy.float32) * 2 - 1
    info = {"name": NUMPY, "kind": "numpy", "objects": NUMPY_ITEMS, "numpy": numpy.__version__,
            "description": "one float32 numpy array of %d items (100 MiB), pickled by numpy %s in band"
                           % (NUMPY_ITEMS, numpy.__version__),
            "sum": float(array.sum(dtype=numpy.float64)), "payload_bytes": array.nbytes, "files": {}}
    for protocol in NUMPY_PROTOCOLS:
        data = pickle.dumps(array, protocol)
        file = "%s.p%d.pickle" % (NUMPY, protocol)
        write(os.path.join(out, file), data)
        info["files"][str(protocol)] = {"file": file, "bytes": len(data)}
    return info


def torch_corpus(out):
    """A torch.save checkpoint (zip) of 5 float32 tensors of 100 MB, written by TORCH_PYTHON."""
    file = TORCH + ".pt"
    path = os.path.join(out, file)
    done = subprocess.run([TORCH_PYTHON, "-c", TORCH_SCRIPT, path + ".tmp", str(TORCH_TENSORS), str(TORCH_ITEMS)],
                          check=True, capture_output=True, text=True)
    os.replace(path + ".tmp", path)
    made = json.loads(done.stdout)
    return {"name": TORCH, "kind": "torch", "objects": TORCH_TENSORS * TORCH_ITEMS,
            "description": "torch.save (zip) of %d float32 tensors of %d items (100 MB each), torch %s"
                           % (TORCH_TENSORS, TORCH_ITEMS, made["torch"]),
            "python": made["python"], "torch": made["torch"], "sums": made["sums"],
            "payload_bytes": TORCH_TENSORS * TORCH_ITEMS * 4,
            "files": {"zip": {"file": file, "bytes": os.path.getsize(path)}}}


def describe(name, info):
    sizes = "  ".join("%s%s %.1f MB" % ("p" if p.isdigit() else "", p, f["bytes"] / 1e6) for p, f in info["files"].items())
    print("%-15s %10d objects  %s" % (name, info["objects"], sizes), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--force", action="store_true", help="rewrite even when the corpus is current")
    ap.add_argument("corpus", nargs="*", help="corpora to make (default: all); others already made are kept")
    args = ap.parse_args()
    known = list(CORPORA) + [STREAM, NUMPY, TORCH]
    unknown = [n for n in args.corpus if n not in known]
    if unknown:
        sys.exit("unknown corpus: %s (known: %s)" % (", ".join(unknown), ", ".join(known)))
    wanted = set(args.corpus or known)
    if STREAM in wanted:
        wanted.add("records")  # the stream is made from the records
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    stamp = {"script": script_digest(), "python": "%d.%d.%d" % sys.version_info[:3]}
    manifest = {"corpora": {}}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
        manifest.setdefault("corpora", {})

    def current(name):
        info = manifest["corpora"].get(name)
        return (not args.force and info is not None and info.get("stamp") == stamp
                and all(os.path.exists(os.path.join(args.out, f["file"])) for f in info["files"].values()))

    def save(name, info):
        info["stamp"] = stamp
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(info, f, indent=1)
        manifest["corpora"][name] = info
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1)
        describe(name, info)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * NESTING_DEPTH))
    for seed, (name, (description, build)) in enumerate(CORPORA.items()):
        if name not in wanted or (current(name) and (name != "records" or current(STREAM) or STREAM not in wanted)):
            continue
        rng = random.Random(seed)
        value = build(rng)
        info = {"name": name, "description": description, "objects": count_objects(value), "files": {}}
        for protocol in PROTOCOLS:
            data = pickle.dumps(value, protocol)
            file = "%s.p%d.pickle" % (name, protocol)
            write(os.path.join(args.out, file), data)
            info["files"][str(protocol)] = {"file": file, "bytes": len(data)}
        save(name, info)
        if name == "records":
            parts = [pickle.dumps(r, 5) for r in value]
            file = STREAM + ".p5.pickles"
            write(os.path.join(args.out, file), b"".join(parts))
            save(STREAM, {"name": STREAM, "description": "the records, one protocol-5 pickle each, back to back",
                          "objects": sum(count_objects(r) for r in value), "pickles": len(parts),
                          "files": {"5": {"file": file, "bytes": sum(map(len, parts))}}})
        del value
    if NUMPY in wanted and not current(NUMPY):
        save(NUMPY, numpy_corpus(args.out, len(CORPORA)))
    if TORCH in wanted and not current(TORCH):
        save(TORCH, torch_corpus(args.out))
    # Keep the manifest in the order the report lists corpora.
    manifest["corpora"] = {n: manifest["corpora"][n] for n in known if n in manifest["corpora"]}
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
    print("corpora in %s: %s" % (args.out, ", ".join(manifest["corpora"])))


if __name__ == "__main__":
    main()
