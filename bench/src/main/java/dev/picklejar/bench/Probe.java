package dev.picklejar.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One operation done before measuring, so that a library that cannot handle a corpus is reported as
 * "n/a" with its error instead of crashing the run, and so that a writer's output is compared with
 * CPython's. Each probe leaves a small JSON file in {@code bench/target/results/probes} for report.py.
 */
final class Probe {
    /** A graph to dump, and which of CPython's files it was loaded from. */
    record Graph(Object value, int loadedFromProtocol, String note) {
    }

    private final String operation;
    private final Library library;
    private final String corpus;
    private final int protocol;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Probe(String operation, Library library, String corpus, int protocol) {
        this.operation = operation;
        this.library = library;
        this.corpus = corpus;
        this.protocol = protocol;
        fields.put("operation", operation);
        fields.put("library", library.displayName());
        fields.put("corpus", corpus);
        fields.put("protocol", protocol);
    }

    /** Loads the corpus file once; throws, after recording why, when the library cannot. */
    static Object loads(Library library, String corpus, int protocol) {
        Probe probe = new Probe("loads", library, corpus, protocol);
        byte[] data = Workspace.read(corpus, protocol);
        Object value = probe.run(() -> library.loads(data));
        probe.save();
        probe.stopIfSlow();
        return value;
    }

    /** Reads every pickle of a stream corpus once. */
    static long loadAll(Library library, String corpus, int protocol) {
        Probe probe = new Probe("stream", library, corpus, protocol);
        Path file = Workspace.corpus(corpus, protocol);
        long pickles = probe.run(() -> library.loadAll(file, value -> { }));
        probe.fields.put("pickles", pickles);
        probe.save();
        probe.stopIfSlow();
        return pickles;
    }

    /**
     * The graph a library dumps: what that library loaded from CPython's protocol 5 file, or from the
     * protocol 2 file when it cannot read protocol 5 (the probe file says so).
     */
    static Graph graph(Library library, String corpus, int dumpProtocol) {
        Probe probe = new Probe("dumps", library, corpus, dumpProtocol);
        try {
            return new Graph(library.loads(Workspace.read(corpus, 5)), 5, null);
        } catch (Exception | StackOverflowError e) {
            String note = "loaded from protocol 2: " + describe(e) + " on protocol 5";
            probe.fields.put("graph_note", note);
            byte[] p2 = Workspace.read(corpus, 2);
            Object value = probe.run(() -> library.loads(p2));
            return new Graph(value, 2, note);
        }
    }

    /** Dumps the graph once and compares the bytes with CPython's pickle of the corpus at that protocol. */
    static byte[] dumps(Library library, String corpus, int protocol, Graph graph) {
        Probe probe = new Probe("dumps", library, corpus, protocol);
        if (graph.note() != null) {
            probe.fields.put("graph_note", graph.note());
        }
        byte[] out = probe.run(() -> library.dumps(graph.value(), protocol));
        byte[] cpython = Workspace.read(corpus, protocol);
        probe.fields.put("bytes", out.length);
        probe.fields.put("cpython_bytes", cpython.length);
        probe.fields.put("identical_to_cpython", Arrays.equals(out, cpython));
        probe.save();
        probe.stopIfSlow();
        return out;
    }

    /** Runs the operation once; on failure records the error and throws, so that JMH skips the benchmark. */
    private <T> T run(Callable<T> operation) {
        long start = System.nanoTime();
        T result;
        try {
            result = operation.call();
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            fields.put("ok", false);
            fields.put("error", describe(e));
            save();
            throw new IllegalStateException(library.displayName() + " " + this.operation + " " + corpus + " p"
                    + protocol + " failed (reported as n/a): " + describe(e), e);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        fields.put("ok", true);
        fields.put("millis", millis);
        return result;
    }

    /**
     * Stops a benchmark whose one operation took longer than {@code PICKLEJAR_BENCH_SLOW_SECONDS}
     * (run.sh: 8 in quick mode, 15 in full): the probe's time stands for it in the report. Pyrolite
     * takes seconds to load a long list, and JMH would run it for minutes to add nothing but digits.
     */
    private void stopIfSlow() {
        String limit = System.getenv("PICKLEJAR_BENCH_SLOW_SECONDS");
        Object millis = fields.get("millis");
        if (limit == null || limit.isBlank() || Check.running() || !(millis instanceof Double ms)) {
            return;
        }
        double seconds = Double.parseDouble(limit);
        if (ms > seconds * 1000) {
            fields.put("timed_once", true);
            save();
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s %s %s p%d timed once, not by JMH: %.1f s for one operation, over "
                    + "PICKLEJAR_BENCH_SLOW_SECONDS=%s", library.displayName(), operation, corpus, protocol,
                    ms / 1000, limit));
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private void save() {
        // One folder per collector (run.sh sets picklejar.bench.collector in the forks): a probe
        // slow on G1 may be fast on the parallel collector, and each report says what its own found.
        Path file = Workspace.results().resolve("probes").resolve(System.getProperty("picklejar.bench.collector", "any"))
                .resolve(operation + "."
                + library.name().toLowerCase(Locale.ROOT) + "." + corpus + ".p" + protocol + ".json");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.object(fields) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
