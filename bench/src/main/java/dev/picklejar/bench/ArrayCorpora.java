package dev.picklejar.bench;

import dev.picklejar.Pickle;
import dev.picklejar.numpy.NdArray;
import dev.picklejar.torch.Tensor;
import dev.picklejar.torch.TorchCheckpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numpy array and torch checkpoint corpora as their users read them: picklejar's
 * {@code Pickle.loads} to an {@link NdArray}, {@link TorchCheckpoint#load}, each with and without
 * summing every float; and the memory-copy baseline of the same bytes. {@link NumpyBenchmark},
 * {@link TorchBenchmark} and {@link Check} call this code.
 */
final class ArrayCorpora {
    static final String NUMPY = "numpy-f32";
    static final String TORCH = "torch";

    private ArrayCorpora() {
    }

    static NdArray loadsNumpy(byte[] data) {
        Object value = Pickle.loads(data);
        if (!(value instanceof NdArray array)) {
            throw new IllegalStateException("numpy pickle loaded as " + (value == null ? "None" : value.getClass().getName())
                    + ", not an NdArray");
        }
        return array;
    }

    /** The sum of every float of a float32 array, read through its buffer (not copied). */
    static double sum(NdArray array) {
        return sum(array.asFloatBuffer());
    }

    /**
     * Four running sums, so that the loop is bound by reading the floats rather than by the latency
     * of one chain of additions (one chain alone takes longer than a memcpy of the same bytes).
     */
    static double sum(FloatBuffer floats) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        int n = floats.limit();
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            a += floats.get(i);
            b += floats.get(i + 1);
            c += floats.get(i + 2);
            d += floats.get(i + 3);
        }
        for (; i < n; i++) {
            a += floats.get(i);
        }
        return (a + b) + (c + d);
    }

    static Path torchFile() {
        return Workspace.target().resolve("corpora").resolve(TORCH + ".pt");
    }

    static TorchCheckpoint loadTorch(Path file) {
        try {
            return TorchCheckpoint.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sum of every float of every tensor of the checkpoint. */
    static double sum(TorchCheckpoint checkpoint) {
        double total = 0;
        for (Tensor t : checkpoint.tensors().values()) {
            total += sum(t.storage().buffer().asFloatBuffer());
        }
        return total;
    }

    /** The whole file mapped into memory: the memcpy baseline's source, the bytes load reads too. */
    static ByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What make_corpora.py wrote CPython's sum as: numpy-f32.json's "sum", torch.json's "sums" added up. */
    static double expectedSum(String corpus) {
        try {
            String json = Files.readString(Workspace.target().resolve("corpora").resolve(corpus + ".json"));
            Matcher m = Pattern.compile(corpus.equals(TORCH) ? "\"layer\\d+\\.weight\": (-?[0-9.eE+-]+)"
                    : "\"sum\": (-?[0-9.eE+-]+)").matcher(json);
            double total = 0;
            boolean found = false;
            while (m.find()) {
                total += Double.parseDouble(m.group(1));
                found = true;
            }
            if (!found) {
                throw new IllegalStateException(corpus + ".json has no sum: run python3 bench/make_corpora.py --force");
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws unless the sum is CPython's (float32 items summed in double: equal to a few ulps of the total). */
    static void checkSum(String corpus, double sum) {
        double expected = expectedSum(corpus);
        if (Math.abs(sum - expected) > 1e-6 * Math.max(1, Math.abs(expected))) {
            throw new IllegalStateException(corpus + ": sum of the floats is " + sum + ", CPython's " + expected);
        }
    }
}
