#!/usr/bin/env python3
"""Times CPython's C pickler on the very files the JMH benchmarks read, and writes JSON for report.py.

    python3 bench/cpython_bench.py [--mode quick|full] [--out FILE] [corpus ...]

run.sh runs it once per corpus before and after each round of JMH measurements of that corpus (a
new process each time, so that one process's heap state does not stand for all); report.py pools
the times of every run.

loads  = pickle.loads(data) on the protocol 5 file (and the protocol 2 file in full mode);
dumps  = pickle.dumps(obj, protocol) for protocols 5 and 2, obj being what CPython loaded;
stream = repeated pickle.load(f) over a file of many pickles, until EOF;
numpy-f32: pickle.loads of numpy's pickle (protocols 5 and 4), then also with .sum() of the array;
torch: torch.load(file) (run it with the python3 that has torch), then also summing every tensor.

Timing is timeit's, with the garbage collector left on, as a program runs (timeit turns it off by
default; the JVM numbers include their GC too); loads are also timed with gc.disable(), as some
programs do around a big load ("loads5_gc_off"). Each repeat runs the operation enough times to last
about --repeat-seconds; the reported time per operation is the median over repeats (min, max and every
repeat's time kept).
"""
import argparse
import gc
import json
import os
import pickle
import platform
import statistics
import sys
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPORA = os.path.join(HERE, "target", "corpora")
DEFAULT_OUT = os.path.join(HERE, "target", "results", "cpython.json")
MODES = {
    # repeats, seconds a repeat should last, cap on the seconds spent on one operation
    "quick": (3, 0.2, 6.0),
    "full": (5, 0.5, 20.0),
}


def measure(fn, repeats, repeat_seconds, budget, setup="gc.enable()"):
    """Seconds per call of fn: median, min and max over repeats (fewer when one call is slow)."""
    gc.collect()
    start = time.perf_counter()
    fn()  # warm-up, and the size of one call
    once = time.perf_counter() - start
    number = max(1, int(repeat_seconds / max(once, 1e-9)))
    repeats = max(2, min(repeats, int(budget / max(once * number, 1e-9))))
    timer = timeit.Timer(fn, setup=setup, globals={"gc": gc})
    times = [t / number for t in timer.repeat(repeat=repeats, number=number)]
    return {"seconds": statistics.median(times), "min": min(times), "max": max(times),
            "repeats": repeats, "number": number, "times": times}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def load_all(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            try:
                pickle.load(f)
            except EOFError:
                return n
            n += 1


def bench_corpus(corpora_dir, name, info, mode):
    repeats, repeat_seconds, budget = MODES[mode]
    files = info["files"]
    out = {}
    if info.get("kind") == "numpy":
        data = {int(p): read(os.path.join(corpora_dir, f["file"])) for p, f in files.items()}
        for protocol in sorted(data, reverse=True):
            out["loads%d" % protocol] = measure(lambda: pickle.loads(data[protocol]), repeats, repeat_seconds, budget)
            out["loadsum%d" % protocol] = measure(lambda: pickle.loads(data[protocol]).sum(), repeats,
                                                  repeat_seconds, budget)
        return out
    if info.get("kind") == "torch":
        import torch
        path = os.path.join(corpora_dir, files["zip"]["file"])
        read(path)
        out["load"] = measure(lambda: torch.load(path), repeats, repeat_seconds, budget)
        out["loadsum"] = measure(lambda: sum(float(t.sum()) for t in torch.load(path).values()), repeats,
                                 repeat_seconds, budget)
        return out
    if "pickles" in info:  # a stream of pickles
        path = os.path.join(corpora_dir, files["5"]["file"])
        read(path)  # into the page cache, as the JVM's setup does
        out["stream5"] = measure(lambda: load_all(path), repeats, repeat_seconds, budget)
        return out
    data = {int(p): read(os.path.join(corpora_dir, f["file"])) for p, f in files.items()}
    # Loads first, with no other graph alive: a live graph would make every full collection slower.
    out["loads5"] = measure(lambda: pickle.loads(data[5]), repeats, repeat_seconds, budget)
    if mode == "full":
        out["loads2"] = measure(lambda: pickle.loads(data[2]), repeats, repeat_seconds, budget)
    gc.disable()
    try:
        out["loads5_gc_off"] = measure(lambda: pickle.loads(data[5]), repeats, repeat_seconds, budget,
                                       setup="gc.disable()")
    finally:
        gc.enable()
    obj = pickle.loads(data[5])
    for protocol in (5, 2):
        written = pickle.dumps(obj, protocol)
        result = measure(lambda: pickle.dumps(obj, protocol), repeats, repeat_seconds, budget)
        result["bytes"] = len(written)
        result["identical_to_file"] = written == data[protocol]
        out["dumps%d" % protocol] = result
        del written
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=sorted(MODES), default="quick")
    ap.add_argument("--corpora", default=DEFAULT_CORPORA)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("corpus", nargs="*", help="corpus names (default: all in the manifest)")
    args = ap.parse_args()
    with open(os.path.join(args.corpora, "manifest.json")) as f:
        manifest = json.load(f)
    names = args.corpus or list(manifest["corpora"])
    unknown = [n for n in names if n not in manifest["corpora"]]
    if unknown:
        sys.exit("unknown corpus: %s (known: %s)" % (", ".join(unknown), ", ".join(manifest["corpora"])))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    result = {"python": sys.version.split()[0], "implementation": platform.python_implementation(),
              "pickle_module": pickle.Pickler.__module__, "mode": args.mode, "gc": "enabled", "corpora": {}}
    for name in names:
        start = time.perf_counter()
        result["corpora"][name] = bench_corpus(args.corpora, name, manifest["corpora"][name], args.mode)
        timings = "  ".join("%s %.1f ms" % (op, r["seconds"] * 1e3) for op, r in result["corpora"][name].items())
        print("cpython %-15s %s  (%.0f s)" % (name, timings, time.perf_counter() - start), flush=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
