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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * A 100 MiB float32 numpy array pickled by numpy (in band, protocols 5 and 4): picklejar's
 * {@code Pickle.loads} to an NdArray, the same and a sum of every float, and {@code System.arraycopy}
 * of the pickle's bytes into an array allocated once (the memory-copy baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NumpyBenchmark {
    @Param({ArrayCorpora.NUMPY})
    public String corpus;

    @Param({"5", "4"})
    public int protocol;

    private byte[] data;
    private byte[] copy;

    @Setup(Level.Trial)
    public void setUp() {
        data = Workspace.read(corpus, protocol);
        copy = new byte[data.length];
        ArrayCorpora.checkSum(corpus, ArrayCorpora.sum(ArrayCorpora.loadsNumpy(data)));
    }

    @Benchmark
    public Object picklejar() {
        return ArrayCorpora.loadsNumpy(data);
    }

    @Benchmark
    public double picklejarSum() {
        return ArrayCorpora.sum(ArrayCorpora.loadsNumpy(data));
    }

    @Benchmark
    public void memcpy(Blackhole blackhole) {
        System.arraycopy(data, 0, copy, 0, data.length);
        blackhole.consume(copy);
    }
}
