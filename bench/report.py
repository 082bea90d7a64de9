#!/usr/bin/env python3
"""Merges the JMH results (picklejar, Pyrolite) and CPython's timings into Markdown tables.

    python3 bench/report.py [--results DIR] [--corpora DIR] [--out FILE] [--collectors "g1 parallel"]

Reads DIR/jmh/COLLECTOR/*.json (JMH -rf json, with -prof gc; one file per corpus and round),
DIR/cpython/*.json (cpython_bench.py, one file per corpus and round), DIR/probes/*.json (what the one
operation before measuring found) and DIR/machine.txt; prints the report and writes it to DIR/report.md.
Each collector has its own tables, G1 first. Times are medians over every JMH iteration (or
CPython repeat) of every round; ±N% is half their range (max − min) over the median, so that an
unstable number shows as one.

MB/s is the size of CPython's pickle of the corpus at that protocol (10^6 bytes) divided by the time
of one operation, for all three, so the ratios are ratios of times. Objects/s counts the values the
corpus holds (make_corpora.py). Allocation is JMH's gc.alloc.rate.norm: bytes allocated per
operation, in parentheses as a multiple of the pickle's size.
"""
import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_RATIO = 2.0
UNIT_SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}
# JMH benchmark (class.method, corpus protocol) -> (library, column)
COLUMNS = {
    ("LoadsBenchmark.picklejar", 5): ("picklejar", "loads5"),
    ("LoadsBenchmark.picklejar", 2): ("picklejar", "loads2"),
    ("LoadsBenchmark.pyrolite", 5): ("Pyrolite", "loads5"),
    ("LoadsBenchmark.pyrolite", 2): ("Pyrolite", "loads2"),
    ("DumpsBenchmark.picklejar5", None): ("picklejar", "dumps5"),
    ("DumpsBenchmark.picklejar2", None): ("picklejar", "dumps2"),
    ("DumpsBenchmark.pyrolite2", None): ("Pyrolite", "dumps2"),
    ("StreamLoadsBenchmark.picklejar", None): ("picklejar", "stream5"),
    ("StreamLoadsBenchmark.pyrolite", None): ("Pyrolite", "stream5"),
    ("NumpyBenchmark.picklejar", 5): ("picklejar", "loads5"),
    ("NumpyBenchmark.picklejar", 4): ("picklejar", "loads4"),
    ("NumpyBenchmark.picklejarSum", 5): ("picklejar", "loadsum5"),
    ("NumpyBenchmark.picklejarSum", 4): ("picklejar", "loadsum4"),
    ("NumpyBenchmark.memcpy", 5): ("memcpy", "memcpy5"),
    ("NumpyBenchmark.memcpy", 4): ("memcpy", "memcpy4"),
    ("TorchBenchmark.picklejar", None): ("picklejar", "load"),
    ("TorchBenchmark.picklejarSum", None): ("picklejar", "loadsum"),
    ("TorchBenchmark.memcpy", None): ("memcpy", "memcpy"),
}
BINDING_COLUMNS = {"BindingBenchmark.readValue": "read", "BindingBenchmark.writeValueAsBytes": "write"}
COLLECTOR_TITLES = {"g1": "G1, the JVM's default collector", "parallel": "the parallel collector (-XX:+UseParallelGC)"}
PROBE_COLUMN = {("loads", 5): "loads5", ("loads", 2): "loads2", ("dumps", 5): "dumps5",
                ("dumps", 2): "dumps2", ("stream", 5): "stream5"}
OPERATIONS = {  # column -> (title, protocol of the file whose size gives MB/s)
    "loads5": ("loads", 5), "loads2": ("loads p2", 2), "stream5": ("stream loads", 5),
    "dumps5": ("dumps p5", 5), "dumps2": ("dumps p2", 2),
}
LIBRARIES = ("picklejar", "Pyrolite")
NOISY_SPREAD = 0.10


def load_json(path, default):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        try:
            return json.load(f)
        except ValueError:  # a run still writing it, or one that was interrupted
            print("report.py: skipping %s (not complete JSON)" % path, file=sys.stderr)
            return default


def pooled(values):
    """{"seconds": median, "min", "max", "spread": (max - min) / median, "n"} of times in seconds."""
    values = sorted(values)
    n = len(values)
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    return {"seconds": median, "min": values[0], "max": values[-1], "n": n,
            "spread": (values[-1] - values[0]) / median if median else None}


def jmh_results(results_dir, collector):
    """{(corpus, library, column): pooled times + "alloc"} from jmh/COLLECTOR/*.json, every round pooled."""
    raw, allocs = {}, {}
    for path in sorted(glob.glob(os.path.join(results_dir, "jmh", collector, "*.json"))):
        for run in load_json(path, []):
            name = ".".join(run["benchmark"].split(".")[-2:])
            params = run.get("params", {})
            if name in BINDING_COLUMNS:
                key = ("binding", params.get("format"), BINDING_COLUMNS[name])
            else:
                protocol = int(params["protocol"]) if "protocol" in params else None
                column = COLUMNS.get((name, protocol)) or COLUMNS.get((name, None))
                if column is None:
                    continue
                key = (params.get("corpus"), column[0], column[1])
            metric = run["primaryMetric"]
            unit = UNIT_SECONDS[metric["scoreUnit"]]
            values = [x * unit for fork in metric.get("rawData", []) for x in fork] or [metric["score"] * unit]
            raw.setdefault(key, []).extend(values)
            for mname, m in run.get("secondaryMetrics", {}).items():
                if mname.lstrip("\u00b7") == "gc.alloc.rate.norm":
                    allocs.setdefault(key, []).append(m["score"])
    out = {}
    for key, values in raw.items():
        out[key] = pooled(values)
        a = sorted(allocs.get(key, []))
        out[key]["alloc"] = a[len(a) // 2] if a else None
    return out


def cpython_results(results_dir):
    """{"python": version, "corpora": {corpus: {operation: pooled times}}} from cpython/*.json, runs pooled."""
    times, info = {}, {}
    for path in sorted(glob.glob(os.path.join(results_dir, "cpython", "*.json"))):
        run = load_json(path, {})
        if not info.get("python") or run.get("corpora", {}).keys() - {"torch"}:
            info["python"] = run.get("python")
        for corpus, ops in run.get("corpora", {}).items():
            if corpus == "torch":
                info["torch_python"] = run.get("python")
            for op, r in ops.items():
                entry = times.setdefault(corpus, {}).setdefault(op, {"times": [], "runs": 0})
                entry["times"] += r.get("times") or [r["seconds"]]
                entry["runs"] += 1
                if "identical_to_file" in r:
                    entry["identical_to_file"] = r["identical_to_file"]
    corpora = {}
    for corpus, ops in times.items():
        for op, entry in ops.items():
            result = pooled(entry["times"])
            result["runs"] = entry["runs"]
            if "identical_to_file" in entry:
                result["identical_to_file"] = entry["identical_to_file"]
            corpora.setdefault(corpus, {})[op] = result
    info["corpora"] = corpora
    return info


def probes(results_dir, collector):
    """What the forks on that collector found in their one operation before measuring."""
    out = {}
    for path in glob.glob(os.path.join(results_dir, "probes", collector, "*.json")):
        p = load_json(path, {})
        column = PROBE_COLUMN.get((p.get("operation"), p.get("protocol")))
        if column:
            out[(p["corpus"], p["library"], column)] = p
    return out


def fmt(x):
    """Three significant digits, without an exponent."""
    if x is None:
        return "—"
    if x >= 100:
        return "{:,.0f}".format(x)
    if x >= 10:
        return "%.1f" % x
    if x >= 1:
        return "%.2f" % x
    return "%.3g" % x


def fmt_count(x):
    """A rate with a k or M suffix: 8.65M, 87.4k, 0.5."""
    if x is None:
        return "—"
    for suffix, size in (("M", 1e6), ("k", 1e3)):
        if x >= size:
            return fmt(x / size) + suffix
    return fmt(x)


def fmt_bytes(n, reference):
    if n is None:
        return "—"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            text = "%s %s" % (fmt(n / size), unit)
            break
    else:
        text = "%.0f B" % n
    return "%s (%s×)" % (text, fmt(n / reference)) if reference else text


def ratio(a, b):
    """How many times faster a is than b (times per operation)."""
    if a is None or b is None:
        return None
    return b / a


def fmt_ratio(r):
    if r is None:
        return "—"
    return ("**%s×**" if r >= TARGET_RATIO else "%s×") % fmt(r)


class Notes:
    def __init__(self):
        self.items = []

    def add(self, text):
        if text not in self.items:
            self.items.append(text)
        return "[%d]" % (self.items.index(text) + 1)


def cell_time(corpus, library, column, jmh, probe, notes, ran):
    """(seconds or None, marker text) for a JVM library."""
    r = jmh.get((corpus, library, column))
    p = probe.get((corpus, library, column))
    if r is not None:
        mark = ""
        if r["spread"] is not None and r["spread"] > NOISY_SPREAD:
            mark = " ~"
        if p and p.get("graph_note"):
            mark += " " + notes.add("%s %s: graph %s" % (library, column, p["graph_note"]))
        return r, mark
    if library == "Pyrolite" and column == "dumps5":
        return None, "n/a " + notes.add("Pyrolite writes protocol 2 only.")
    if p is not None and p.get("timed_once"):
        return {"seconds": p["millis"] / 1e3, "spread": None, "alloc": None}, " " + notes.add(
            "Timed once (one cold operation in the benchmark's setup), not by JMH: it took longer than "
            "the PICKLEJAR_BENCH_SLOW_SECONDS limit; no allocation figure.")
    if p is not None and p.get("ok") is False:
        return None, "n/a " + notes.add("%s %s %s: %s" % (library, column, corpus, p.get("error")))
    if not ran:
        return None, "—"
    return None, "n/a " + notes.add("%s %s %s: no JMH result (failed during measurement? see jmh.log)"
                                     % (library, column, corpus))


def corpus_table(name, info, jmh, cpy, probe, columns, notes, ran):
    sizes = {int(p): f["bytes"] for p, f in info["files"].items()}
    objects = info["objects"]
    lines = []
    desc = "%s — %s; %s objects; %s" % (name, info["description"], "{:,}".format(objects),
                                          ", ".join("p%d %s MB" % (p, fmt(s / 1e6)) for p, s in sorted(sizes.items(), reverse=True)))
    lines.append("### " + desc)
    lines.append("")
    load_cols = [c for c in columns if c.startswith(("loads", "stream"))]
    head = []
    for c in columns:
        title = OPERATIONS[c][0]
        head.append("%s MB/s" % title)
        if c in load_cols:
            head.append("%s obj/s" % title)
    head += ["alloc/op %s" % OPERATIONS[c][0] for c in columns]
    lines.append("| | " + " | ".join(head) + " |")
    lines.append("|---|" + "---:|" * len(head))

    times = {}
    for library in LIBRARIES:
        row, allocs = [], []
        for c in columns:
            r, mark = cell_time(name, library, c, jmh, probe, notes, ran)
            size = sizes[OPERATIONS[c][1]]
            seconds = r["seconds"] if r else None
            times[(library, c)] = seconds
            row.append(fmt(size / 1e6 / seconds) + mark if seconds else mark.strip())
            if c in load_cols:
                row.append(fmt_count(objects / seconds) if seconds else mark.strip())
            allocs.append(fmt_bytes(r["alloc"], size) if r and r.get("alloc") is not None else "—")
        lines.append("| %s | %s |" % (library, " | ".join(row + allocs)))

    py = cpy.get("corpora", {}).get(name, {})
    label = "CPython %s" % cpy.get("python", "") if cpy else "CPython"
    rows = [(label, {c: py.get(c) for c in columns})]
    if any(py.get(c + "_gc_off") for c in load_cols):
        rows.append((label + ", gc off", {c: py.get(c + "_gc_off") for c in load_cols}))
    for title, results in rows:
        row = []
        for c in columns:
            r = results.get(c)
            size = sizes[OPERATIONS[c][1]]
            seconds = r["seconds"] if r else None
            if title == label:
                times[("CPython", c)] = seconds
            mark = ""
            if r and r["max"] > r["min"] * (1 + NOISY_SPREAD):
                mark = " ~"
            if r and r.get("identical_to_file") is False:
                mark += " " + notes.add("CPython's dumps of %s differs from the corpus file." % name)
            row.append(fmt(size / 1e6 / seconds) + mark if seconds else "—")
            if c in load_cols:
                row.append(fmt_count(objects / seconds) if seconds else "—")
        lines.append("| %s | %s |" % (title, " | ".join(row + ["—"] * len(columns))))

    for other in ("CPython", "Pyrolite"):
        row = []
        for c in columns:
            r = fmt_ratio(ratio(times.get(("picklejar", c)), times.get((other, c))))
            row.append(r)
            if c in load_cols:
                row.append(r)
        allocs = []
        for c in columns:
            a = jmh.get((name, "picklejar", c), {}).get("alloc")
            b = jmh.get((name, "Pyrolite", c), {}).get("alloc")
            allocs.append("%s×" % fmt(a / b) if other == "Pyrolite" and a and b else "")
        lines.append("| picklejar ÷ %s | %s |" % (other, " | ".join(row + allocs)))

    for c in columns:
        for library in LIBRARIES:
            p = probe.get((name, library, c))
            if p and p.get("identical_to_cpython") is False and library == "picklejar":
                lines.append("")
                lines.append("**picklejar's %s output differs from CPython's** (%s vs %s bytes)."
                             % (c, "{:,}".format(p["bytes"]), "{:,}".format(p["cpython_bytes"])))
    lines.append("")
    return lines, times


def fmt_ms(r, noisy_mark=True):
    """Milliseconds per operation with the spread of the pooled times: 430 ±6%."""
    if not r or r.get("seconds") is None:
        return "—"
    text = fmt(r["seconds"] * 1e3)
    if r.get("spread") is not None and r.get("n", 0) > 1:
        text += " ±%.0f%%" % (r["spread"] * 50)
    return text


def summary_table(ordered, jmh, cpy, probe, notes, ran):
    """One row per corpus and operation: ms of each library, CPython with gc on and off, ratios."""
    lines = ["| corpus | operation | picklejar ms | Pyrolite ms | CPython ms | CPython gc off ms "
             "| ÷ CPython | ÷ CPython gc off | ÷ Pyrolite |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, info, columns in ordered:
        py = cpy.get("corpora", {}).get(name, {})
        for c in columns:
            pj, _ = cell_time(name, "picklejar", c, jmh, probe, notes, name in ran)
            pr, pr_mark = cell_time(name, "Pyrolite", c, jmh, probe, notes, name in ran)
            on, off = py.get(c), py.get(c + "_gc_off")
            t = (lambda r: r["seconds"] if r else None)
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                name, OPERATIONS[c][0], fmt_ms(pj), fmt_ms(pr) + pr_mark.replace(" ~", "") if pr else pr_mark.strip() or "—",
                fmt_ms(on), fmt_ms(off), fmt_ratio(ratio(t(pj), t(on))), fmt_ratio(ratio(t(pj), t(off))),
                fmt_ratio(ratio(t(pj), t(pr)))))
    return lines


ARRAY_ROWS = [  # corpus, picklejar column, memcpy column, CPython operation, title
    ("numpy-f32", "loads5", "memcpy5", "loads5", "loads p5 (to an NdArray)"),
    ("numpy-f32", "loadsum5", "memcpy5", "loadsum5", "loads p5 + sum of the floats"),
    ("numpy-f32", "loads4", "memcpy4", "loads4", "loads p4 (to an NdArray)"),
    ("numpy-f32", "loadsum4", "memcpy4", "loadsum4", "loads p4 + sum of the floats"),
    ("torch", "load", "memcpy", "load", "TorchCheckpoint.load"),
    ("torch", "loadsum", "memcpy", "loadsum", "load + sum of every tensor"),
]


def array_table(jmh, cpy, infos):
    """numpy's array and torch's checkpoint: picklejar against memcpy of the same bytes and numpy/torch."""
    lines = ["| corpus | operation | picklejar ms | memcpy ms | picklejar ÷ memcpy (target ≤ 1.5×) "
             "| numpy / torch ms | ÷ numpy / torch |", "|---|---|---:|---:|---:|---:|---:|"]
    for corpus, col, mcol, op, title in ARRAY_ROWS:
        if corpus not in infos:
            continue
        pj, mc = jmh.get((corpus, "picklejar", col)), jmh.get((corpus, "memcpy", mcol))
        py = cpy.get("corpora", {}).get(corpus, {}).get(op)
        if not (pj or mc or py):
            continue
        of_memcpy = "%s×" % fmt(pj["seconds"] / mc["seconds"]) if pj and mc else "—"
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            corpus, title, fmt_ms(pj), fmt_ms(mc), of_memcpy, fmt_ms(py),
            fmt_ratio(ratio(pj and pj["seconds"], py and py["seconds"]))))
    return lines


def binding_table(jmh):
    """Data binding: each format's read and write of the rows, and how many times faster than msgpack."""
    formats = []
    for (corpus, fmt_name, _column) in jmh:
        if corpus == "binding" and fmt_name not in formats:
            formats.append(fmt_name)
    if not formats:
        return []
    order = ["pickle", "pickle-p2", "msgpack", "cbor", "smile", "json"]
    formats.sort(key=lambda f: order.index(f) if f in order else len(order))
    lines = ["| format | readValue ms | writeValueAsBytes ms | read: msgpack ÷ this | write: msgpack ÷ this |",
             "|---|---:|---:|---:|---:|"]
    for f in formats:
        read, write = jmh.get(("binding", f, "read")), jmh.get(("binding", f, "write"))
        mread, mwrite = jmh.get(("binding", "msgpack", "read")), jmh.get(("binding", "msgpack", "write"))
        r = lambda x, y: "%s×" % fmt(y["seconds"] / x["seconds"]) if x and y else "—"
        lines.append("| %s | %s | %s | %s | %s |" % (f, fmt_ms(read), fmt_ms(write), r(read, mread), r(write, mwrite)))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", default=os.path.join(HERE, "target", "results"))
    ap.add_argument("--corpora", default=os.path.join(HERE, "target", "corpora"))
    ap.add_argument("--out", default=None, help="default: RESULTS/report.md")
    ap.add_argument("--title", default="picklejar benchmarks")
    ap.add_argument("--collectors", default=None,
                    help="collectors to report, in order (default: those under RESULTS/jmh, G1 first)")
    args = ap.parse_args()

    manifest = load_json(os.path.join(args.corpora, "manifest.json"), None)
    if manifest is None:
        sys.exit("no corpora in %s: run python3 bench/make_corpora.py" % args.corpora)
    if args.collectors:
        collectors = args.collectors.split()
    else:
        found = [os.path.basename(d) for d in glob.glob(os.path.join(args.results, "jmh", "*")) if os.path.isdir(d)]
        collectors = sorted(found, key=lambda g: (g != "g1", g))
    cpy = cpython_results(args.results)
    probe_by_gc = {gc: probes(args.results, gc) for gc in collectors}
    jmh_by_gc = {gc: jmh_results(args.results, gc) for gc in collectors}
    ran_corpora = ({k[0] for j in jmh_by_gc.values() for k in j} | {k[0] for p in probe_by_gc.values() for k in p}
                   | set(cpy.get("corpora", {})))
    if not ran_corpora:
        sys.exit("no results in %s: run bench/run.sh" % args.results)

    out = ["# " + args.title, ""]
    machine = os.path.join(args.results, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            out += ["```text", f.read().rstrip(), "```", ""]
    # Whole-pickle corpora first, then the streams.
    graphs = [(n, i) for n, i in manifest["corpora"].items() if n in ran_corpora and "kind" not in i]
    graphs.sort(key=lambda item: "pickles" in item[1])
    ordered = []
    for name, info in graphs:
        if "pickles" in info:
            columns = ["stream5"]
        else:
            columns = ["loads5"]
            if any(k[0] == name and k[2] == "loads2" for j in jmh_by_gc.values() for k in j) \
                    or "loads2" in cpy.get("corpora", {}).get(name, {}):
                columns.append("loads2")
            columns += ["dumps5", "dumps2"]
        ordered.append((name, info, columns))
    arrays = {n: i for n, i in manifest["corpora"].items() if n in ran_corpora and "kind" in i}

    notes = Notes()
    details = []
    for gc in collectors:
        jmh, probe = jmh_by_gc[gc], probe_by_gc[gc]
        title = COLLECTOR_TITLES.get(gc, gc)
        out += ["## %s" % title[0].upper() + title[1:], ""]
        if ordered:
            out += ["How many times faster picklejar is (÷ columns; target: %g× or more, in bold). ms: "
                    "median time per operation ± half its range over every iteration (JMH) or repeat "
                    "(CPython) of every round." % TARGET_RATIO, ""]
            out += summary_table(ordered, jmh, cpy, probe, notes, ran_corpora) + [""]
        if arrays:
            out += ["numpy's array and torch's checkpoint (memcpy: the same bytes copied into an array "
                    "allocated once; numpy: `pickle.loads` by python3's numpy; torch: `torch.load` by %s):"
                    % (cpy.get("torch_python") and "CPython %s" % cpy["torch_python"] or "TORCH_PYTHON"), ""]
            out += array_table(jmh, cpy, arrays) + [""]
        binding = binding_table(jmh)
        if binding:
            out += ["Data binding of 100k rows (`List<Row>`): PickleMapper (picklejar-jackson, Jackson 3) "
                    "against jackson-dataformat-msgpack (Jackson 2) and Jackson 3's own formats:", ""]
            out += binding + [""]
        if ordered:
            details += ["## Per corpus, %s" % title, ""]
            for name, info, columns in ordered:
                lines, _ = corpus_table(name, info, jmh, cpy, probe, columns, notes, name in ran_corpora)
                details += lines
    out += details
    out += ["MB/s: size of CPython's pickle at that protocol ÷ time per operation (10^6 bytes), the same "
            "numerator for all three. obj/s: objects (values in the graph, see make_corpora.py) per second. "
            "alloc/op: JMH gc.alloc.rate.norm, (× pickle size); in the ÷ Pyrolite row, picklejar's "
            "allocation ÷ Pyrolite's (below 1: picklejar allocates less). `~`: iterations (JMH) or repeats "
            "(CPython) spread more than %d%% — noisy. CPython: median of the timeit repeats of every run "
            "(one before and one after each round of JMH measurements), gc on (as a program runs); "
            "'gc off' is loads under gc.disable()." % (NOISY_SPREAD * 100), ""]
    if notes.items:
        out += ["Notes:", ""] + ["%d. %s" % (i + 1, n) for i, n in enumerate(notes.items)] + [""]
    text = "\n".join(out)
    print(text)
    path = args.out or os.path.join(args.results, "report.md")
    with open(path, "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
