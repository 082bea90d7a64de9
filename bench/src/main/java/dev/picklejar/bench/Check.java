package dev.picklejar.bench;

import dev.picklejar.Pickle;
import dev.picklejar.numpy.NdArray;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every probe once, without JMH: does each library load each corpus, and are the bytes each
 * writes identical to CPython's? {@code java -cp bench/target/benchmarks.jar dev.picklejar.bench.Check [corpus...]}
 * (what {@code bench/run.sh check} runs). Writes the same probe files the benchmarks write.
 */
public final class Check {
    private static final String STREAM = "records-stream";
    private static final String BINDING = "binding";
    private static final List<String> CORPORA = List.of("records", "ints", "floats", "strings", "bytes", "nested",
            STREAM, ArrayCorpora.NUMPY, ArrayCorpora.TORCH, BINDING);

    private static final String RUNNING = "picklejar.bench.check";

    private Check() {
    }

    /** Whether this JVM runs the check, which times nothing and so never stops a slow operation. */
    static boolean running() {
        return Boolean.getBoolean(RUNNING);
    }

    public static void main(String[] args) {
        System.setProperty(RUNNING, "true");
        List<String> corpora = args.length == 0 ? CORPORA : List.of(args);
        int failures = 0;
        for (String corpus : corpora) {
            if (corpus.equals(ArrayCorpora.NUMPY)) {
                failures += checkNumpy();
                continue;
            }
            if (corpus.equals(ArrayCorpora.TORCH)) {
                failures += report("picklejar", corpus, "load", () -> {
                    double sum = ArrayCorpora.sum(ArrayCorpora.loadTorch(ArrayCorpora.torchFile()));
                    ArrayCorpora.checkSum(corpus, sum);
                    return "sum of every float " + sum + ", as torch's";
                });
                continue;
            }
            if (corpus.equals(BINDING)) {
                for (String format : BindingBenchmark.FORMATS) {
                    failures += report(format, corpus, "write+read", () -> {
                        BindingBenchmark.Codec codec = BindingBenchmark.codec(format);
                        List<BindingBenchmark.Row> rows = BindingBenchmark.rows(100_000);
                        byte[] bytes = codec.write(rows);
                        if (!codec.read(bytes).equals(rows)) {
                            throw new IllegalStateException("does not read back what it wrote");
                        }
                        return bytes.length + " bytes, read back equal";
                    });
                }
                continue;
            }
            for (Library library : Library.values()) {
                if (corpus.equals(STREAM)) {
                    failures += report(library, corpus, "stream p5", () -> Probe.loadAll(library, corpus, 5) + " pickles");
                    continue;
                }
                for (int protocol : new int[] {5, 2}) {
                    failures += report(library, corpus, "loads p" + protocol, () -> {
                        Probe.loads(library, corpus, protocol);
                        return "ok";
                    });
                }
                for (int protocol : new int[] {5, 2}) {
                    if (library == Library.PYROLITE && protocol != 2) {
                        continue;
                    }
                    failures += report(library, corpus, "dumps p" + protocol, () -> {
                        Probe.Graph graph = Probe.graph(library, corpus, protocol);
                        byte[] out = Probe.dumps(library, corpus, protocol, graph);
                        byte[] cpython = Files.readAllBytes(Workspace.corpus(corpus, protocol));
                        String same = Arrays.equals(out, cpython) ? "identical to CPython"
                                : "differs from CPython (" + out.length + " vs " + cpython.length + " bytes)";
                        return same + (graph.note() == null ? "" : "; graph " + graph.note());
                    });
                }
            }
        }
        System.out.println(failures == 0 ? "all probes ran" : failures + " probe(s) failed (reported as n/a)");
    }

    /** picklejar loads numpy's pickles to an NdArray with numpy's floats, and writes them back to numpy's bytes. */
    private static int checkNumpy() {
        int failures = 0;
        for (int protocol : new int[] {5, 4}) {
            failures += report("picklejar", ArrayCorpora.NUMPY, "loads+dumps p" + protocol, () -> {
                byte[] data = Workspace.read(ArrayCorpora.NUMPY, protocol);
                NdArray array = ArrayCorpora.loadsNumpy(data);
                ArrayCorpora.checkSum(ArrayCorpora.NUMPY, ArrayCorpora.sum(array));
                byte[] out = Pickle.dumps(array, protocol);
                return "sum as numpy's; dumps " + (Arrays.equals(out, data) ? "identical to numpy's"
                        : "differs from numpy's (" + out.length + " vs " + data.length + " bytes)");
            });
        }
        return failures;
    }

    private interface Step {
        String run() throws Exception;
    }

    private static int report(Library library, String corpus, String what, Step step) {
        return report(library.displayName(), corpus, what, step);
    }

    private static int report(String library, String corpus, String what, Step step) {
        long start = System.nanoTime();
        String outcome;
        int failed = 0;
        try {
            outcome = step.run();
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            Throwable cause = e instanceof IllegalStateException && e.getCause() != null ? e.getCause() : e;
            outcome = "FAILED " + Probe.describe(cause);
            failed = 1;
        }
        System.out.printf("%-15s %-9s %-9s %8.0f ms  %s%n", corpus, library, what,
                (System.nanoTime() - start) / 1e6, outcome);
        return failed;
    }
}
