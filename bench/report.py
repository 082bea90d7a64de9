#!/usr/bin/env python3
"""Merges the JMH results (picklejar, Pyrolite) and CPython's timings into Markdown tables.

    python3 bench/report.py [--results DIR] [--corpora DIR] [--out FILE]

Reads DIR/jmh*.json (JMH -rf json, with -prof gc), DIR/cpython.json (cpython_bench.py),
DIR/probes/*.json (what the one operation before measuring found) and DIR/machine.txt; prints the
report and writes it to DIR/report.md.

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
}
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
        return json.load(f)


def jmh_results(results_dir):
    """{(corpus, library, column): {"seconds", "spread", "alloc"}} from every jmh*.json."""
    out = {}
    for path in sorted(glob.glob(os.path.join(results_dir, "jmh*.json"))):
        for run in load_json(path, []):
            name = ".".join(run["benchmark"].split(".")[-2:])
            params = run.get("params", {})
            protocol = int(params["protocol"]) if "protocol" in params else None
            key = COLUMNS.get((name, protocol)) or COLUMNS.get((name, None))
            if key is None:
                continue
            metric = run["primaryMetric"]
            seconds = metric["score"] * UNIT_SECONDS[metric["scoreUnit"]]
            raw = [x for fork in metric.get("rawData", []) for x in fork]
            spread = (max(raw) - min(raw)) / (sum(raw) / len(raw)) if len(raw) > 1 else None
            alloc = None
            for mname, m in run.get("secondaryMetrics", {}).items():
                if mname.lstrip("\u00b7") == "gc.alloc.rate.norm":
                    alloc = m["score"]
            out[(params["corpus"], key[0], key[1])] = {"seconds": seconds, "spread": spread, "alloc": alloc,
                                                      "error": metric.get("scoreError")}
    return out


def probes(results_dir):
    out = {}
    for path in glob.glob(os.path.join(results_dir, "probes", "*.json")):
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", default=os.path.join(HERE, "target", "results"))
    ap.add_argument("--corpora", default=os.path.join(HERE, "target", "corpora"))
    ap.add_argument("--out", default=None, help="default: RESULTS/report.md")
    ap.add_argument("--title", default="picklejar benchmarks")
    args = ap.parse_args()

    manifest = load_json(os.path.join(args.corpora, "manifest.json"), None)
    if manifest is None:
        sys.exit("no corpora in %s: run python3 bench/make_corpora.py" % args.corpora)
    jmh = jmh_results(args.results)
    cpy = load_json(os.path.join(args.results, "cpython.json"), {})
    probe = probes(args.results)
    ran_corpora = {k[0] for k in jmh} | {k[0] for k in probe} | set(cpy.get("corpora", {}))
    if not ran_corpora:
        sys.exit("no results in %s: run bench/run.sh" % args.results)

    notes = Notes()
    out = ["# " + args.title, ""]
    machine = os.path.join(args.results, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            out += ["```text", f.read().rstrip(), "```", ""]
    summary = []
    sections = []
    # Whole-pickle corpora first, then the streams.
    ordered = sorted(manifest["corpora"].items(), key=lambda item: "pickles" in item[1])
    for name, info in ordered:
        if name not in ran_corpora:
            continue
        if "pickles" in info:
            columns = ["stream5"]
        else:
            columns = ["loads5"]
            if any(k[0] == name and k[2] == "loads2" for k in jmh) or "loads2" in cpy.get("corpora", {}).get(name, {}):
                columns.append("loads2")
            columns += ["dumps5", "dumps2"]
        lines, times = corpus_table(name, info, jmh, cpy, probe, columns, notes, name in ran_corpora)
        sections += lines
        for c in columns:
            summary.append((name, OPERATIONS[c][0],
                            ratio(times.get(("picklejar", c)), times.get(("CPython", c))),
                            ratio(times.get(("picklejar", c)), times.get(("Pyrolite", c))),
                            times.get(("picklejar", c))))

    out += ["## Summary: how many times faster picklejar is (target: %g× or more, in bold)" % TARGET_RATIO, ""]
    out += ["| corpus | operation | picklejar ms/op | vs CPython | vs Pyrolite |", "|---|---|---:|---:|---:|"]
    for name, op, vs_c, vs_p, seconds in summary:
        out.append("| %s | %s | %s | %s | %s |" % (name, op, fmt(seconds * 1e3) if seconds else "—",
                                                 fmt_ratio(vs_c), fmt_ratio(vs_p)))
    out += ["", "## Per corpus", ""]
    out += sections
    out += ["MB/s: size of CPython's pickle at that protocol ÷ time per operation (10^6 bytes), the same "
            "numerator for all three. obj/s: objects (values in the graph, see make_corpora.py) per second. "
            "alloc/op: JMH gc.alloc.rate.norm, (× pickle size); in the ÷ Pyrolite row, picklejar's "
            "allocation ÷ Pyrolite's (below 1: picklejar allocates less). `~`: iterations (JMH) or repeats "
            "(CPython) spread more than %d%% — noisy. CPython: median of timeit repeats, gc on "
            "(as a program runs); the 'gc off' row is loads under gc.disable()." % (NOISY_SPREAD * 100), ""]
    if notes.items:
        out += ["Notes:", ""] + ["%d. %s" % (i + 1, n) for i, n in enumerate(notes.items)] + [""]
    text = "\n".join(out)
    print(text)
    path = args.out or os.path.join(args.results, "report.md")
    with open(path, "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
