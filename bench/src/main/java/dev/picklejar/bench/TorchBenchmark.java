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

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A 500 MB torch checkpoint (5 float32 tensors of 100 MB, zip format): {@code TorchCheckpoint.load}
 * of the file, the same and a sum of every float of every tensor, and the memory-copy baseline:
 * the file's bytes (mapped, in the page cache as load finds them) copied into an array allocated once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TorchBenchmark {
    @Param({ArrayCorpora.TORCH})
    public String corpus;

    private Path file;
    private ByteBuffer mapped;
    private byte[] copy;

    @Setup(Level.Trial)
    public void setUp() {
        file = ArrayCorpora.torchFile();
        mapped = ArrayCorpora.map(file);
        copy = new byte[mapped.capacity()];
        mapped.duplicate().get(copy);  // into the page cache
        ArrayCorpora.checkSum(corpus, ArrayCorpora.sum(ArrayCorpora.loadTorch(file)));
    }

    @Benchmark
    public Object picklejar() {
        return ArrayCorpora.loadTorch(file);
    }

    @Benchmark
    public double picklejarSum() {
        return ArrayCorpora.sum(ArrayCorpora.loadTorch(file));
    }

    @Benchmark
    public void memcpy(Blackhole blackhole) {
        mapped.duplicate().get(copy);
        blackhole.consume(copy);
    }
}
