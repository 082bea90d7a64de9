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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Streaming loads: every pickle of a file of many pickles, read one after another from a
 * {@code FileInputStream} (picklejar's {@code Unpickler.open}; Pyrolite's {@code load} on a buffered
 * stream), as repeated {@code pickle.load(f)} reads it in Python.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamLoadsBenchmark {
    @Param({"records-stream"})
    public String corpus;

    private Path file;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        file = Workspace.corpus(corpus, 5);
        Probe.loadAll(Library.ofMethod(LoadsBenchmark.method(params)), corpus, 5);
    }

    @Benchmark
    public long picklejar(Blackhole blackhole) {
        return Library.PICKLEJAR.loadAllUnchecked(file, blackhole::consume);
    }

    @Benchmark
    public long pyrolite(Blackhole blackhole) {
        return Library.PYROLITE.loadAllUnchecked(file, blackhole::consume);
    }
}
