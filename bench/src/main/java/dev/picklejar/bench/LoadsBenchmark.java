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

/** {@code loads(bytes)} of one whole corpus file, as CPython wrote it: picklejar and Pyrolite. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LoadsBenchmark {
    @Param({"records", "ints", "floats", "strings", "bytes", "nested"})
    public String corpus;

    @Param({"5"})
    public int protocol;

    private byte[] data;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        data = Workspace.read(corpus, protocol);
        Probe.loads(Library.ofMethod(method(params)), corpus, protocol);
    }

    @Benchmark
    public void picklejar(Blackhole blackhole) {
        blackhole.consume(Library.PICKLEJAR.loadsUnchecked(data));
    }

    @Benchmark
    public void pyrolite(Blackhole blackhole) {
        blackhole.consume(Library.PYROLITE.loadsUnchecked(data));
    }

    static String method(BenchmarkParams params) {
        String name = params.getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
