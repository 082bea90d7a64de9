package dev.picklejar.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * {@code dumps(graph, protocol)} where the graph is what the same library loaded from the corpus in
 * setup (picklejar dumps what picklejar loaded, Pyrolite what Pyrolite loaded). The method name ends
 * with the protocol; Pyrolite writes protocol 2 only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DumpsBenchmark {
    @Param({"records", "ints", "floats", "strings", "bytes", "nested"})
    public String corpus;

    private Object graph;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        String method = LoadsBenchmark.method(params);
        Library library = Library.ofMethod(method);
        int protocol = method.charAt(method.length() - 1) - '0';
        Probe.Graph loaded = Probe.graph(library, corpus, protocol);
        graph = loaded.value();
        Probe.dumps(library, corpus, protocol, loaded);
    }

    @Benchmark
    public void picklejar5(Blackhole blackhole) {
        blackhole.consume(Library.PICKLEJAR.dumpsUnchecked(graph, 5));
    }

    @Benchmark
    public void picklejar2(Blackhole blackhole) {
        blackhole.consume(Library.PICKLEJAR.dumpsUnchecked(graph, 2));
    }

    @Benchmark
    public void pyrolite2(Blackhole blackhole) {
        blackhole.consume(Library.PYROLITE.dumpsUnchecked(graph, 2));
    }
}
