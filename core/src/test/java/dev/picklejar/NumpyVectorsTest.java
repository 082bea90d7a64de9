package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.numpy.DType;
import dev.picklejar.numpy.NdArray;
import dev.picklejar.numpy.NumpyScalar;
import dev.picklejar.numpy.NumpyVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy's values against numpy's own pickles ({@code resources/numpy/vectors.tsv}, written by
 * {@code make_numpy_vectors.py} with numpy 2 and numpy 1): every array, scalar and dtype loads to
 * what numpy reads (dtype, shape, bytes in C order, repr), writes back to the same bytes, and the
 * arrays Java makes are written as numpy writes them, at every protocol, for both generations.
 */
class NumpyVectorsTest {
    private static final Path VECTORS = Path.of("src/test/resources/numpy/vectors.tsv");
    private static final HexFormat HEX = HexFormat.of();

    record Line(String[] f) {
        String kind() {
            return f[0];
        }

        String name() {
            return f[1];
        }

        int generation() {
            return Integer.parseInt(f[2]);
        }

        int protocol() {
            return Integer.parseInt(f[3]);
        }

        boolean outOfBand() {
            return f[4].equals("1");
        }

        byte[] pickle() {
            return HEX.parseHex(f[5]);
        }

        List<Object> buffers() {
            List<Object> out = new ArrayList<>();
            int colon = f[6].indexOf(':');
            if (colon > 0 && !f[6].startsWith("0:")) {
                for (String b : f[6].substring(colon + 1).split(",", -1)) {
                    out.add(PickleBuffer.writable(HEX.parseHex(b)));
                }
            }
            return out;
        }

        String label() {
            return f[0] + " " + f[1] + " numpy " + f[2] + " protocol " + f[3] + (outOfBand() ? " out of band" : "");
        }
    }

    static List<Line> lines() throws IOException {
        List<Line> out = new ArrayList<>();
        for (String l : Files.readAllLines(VECTORS, StandardCharsets.UTF_8)) {
            if (!l.isEmpty()) {
                String[] f = l.split("\t", -1);
                for (int i = 0; i < f.length; i++) {
                    f[i] = unescape(f[i]);
                }
                out.add(new Line(f));
            }
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Pickler writer(Line v, int protocol) {
        Pickler.Builder b = Pickler.builder().protocol(protocol).numpyArrays(true)
                .numpyVersion(v.generation() == 1 ? NumpyVersion.NUMPY_1 : NumpyVersion.NUMPY_2);
        if (v.outOfBand()) {
            b.bufferCallback(buffer -> false);
        }
        return b.build();
    }

    @Test
    void numpysPicklesLoadToWhatNumpyReadsAndWriteBackToTheSameBytes() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Line v : lines()) {
            if (!v.kind().equals("read")) {
                continue;
            }
            checked++;
            try {
                Object value = Unpickler.builder().buffers(v.buffers()).build().loads(v.pickle());
                String type = v.f()[7];
                String repr = v.f()[11];
                boolean swapped = false;
                switch (type) {
                    case "array" -> {
                        NdArray a = assertInstanceOf(NdArray.class, value);
                        String dtype = a.dtype().names() != null ? a.dtype().toString().replaceAll("^dtype\\((.*)\\)$", "$1")
                                : a.dtype().str();
                        assertEquals(v.f()[9], join(a.shape()), "shape");
                        // numpy 2's __setstate__ turns a big-endian array into a native one (protocols 0-4);
                        // picklejar keeps the order the pickle names, as numpy 1 and protocol 5 do: same values.
                        swapped = !v.f()[8].equals(dtype) && v.f()[8].substring(1).equals(dtype.substring(1));
                        assertEquals(swapped ? "<" + dtype.substring(1) : v.f()[8], swapped ? v.f()[8] : dtype, "dtype");
                        if (a.dtype().kind() == 'O') {
                            assertEquals(v.f()[10], Repr.of(a.items()), "items");
                        } else {
                            byte[] c = bytesInCOrder(a);
                            assertEquals(v.f()[10], HEX.formatHex(swapped ? swap(c, a.dtype().itemSize()) : c), "bytes");
                        }
                    }
                    case "scalar" -> {
                        NumpyScalar s = assertInstanceOf(NumpyScalar.class, value);
                        assertEquals(v.f()[8], s.dtype().str(), "dtype");
                        assertEquals(v.f()[10], HEX.formatHex(s.bytes()), "bytes");
                    }
                    case "dtype" -> {
                        DType d = assertInstanceOf(DType.class, value);
                        String str = d.names() != null ? d.toString().replaceAll("^dtype\\((.*)\\)$", "$1") : d.str();
                        assertEquals(v.f()[8], str, "str");
                    }
                    default -> {
                    }
                }
                if (v.generation() == 2 && !swapped) {
                    assertEquals(repr, Repr.of(value), "repr");
                }
                byte[] again = writer(v, v.protocol()).dumps(value);
                if (!java.util.Arrays.equals(v.pickle(), again)) {
                    failures.add(v.label() + ": written back as\n    " + HEX.formatHex(again) + "\n not\n    " + v.f()[5]);
                }
            } catch (Throwable e) {
                failures.add(v.label() + ": " + e);
            }
        }
        assertTrue(checked > 600, "only " + checked + " vectors");
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " fail:\n"
                + String.join("\n", failures.subList(0, Math.min(200, failures.size()))));
    }

    private static byte[] bytesInCOrder(NdArray a) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(a.size() * a.dtype().itemSize());
        java.nio.ByteBuffer data = a.buffer();
        int[] shape = a.shape();
        long[] strides = a.strides();
        int[] index = new int[shape.length];
        for (int k = 0; k < a.size(); k++) {
            long off = 0;
            for (int i = 0; i < index.length; i++) {
                off += index[i] * strides[i];
            }
            for (int j = 0; j < a.dtype().itemSize(); j++) {
                out.put(data.get((int) off + j));
            }
            for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
        return out.array();
    }

    private static byte[] swap(byte[] b, int size) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i += size) {
            for (int j = 0; j < size; j++) {
                out[i + j] = b[i + size - 1 - j];
            }
        }
        return out;
    }

    private static String join(int[] shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? "," : "").append(shape[i]);
        }
        return b.toString();
    }

    /** The Java value for each recipe of make_numpy_vectors.py's RECIPES. */
    static Object recipe(String name) {
        return switch (name) {
            case "double[]" -> new double[] {1.0, 2.5, -3.0, 1e300};
            case "float[]" -> new float[] {0.5f, -1.25f};
            case "long[]" -> new long[] {1, -2, 1L << 40};
            case "int[]" -> new int[] {1, -2, 3};
            case "short[]" -> new short[] {1, -2};
            case "byte[]" -> NdArray.of(new byte[] {1, -2, 127});
            case "boolean[]" -> new boolean[] {true, false};
            case "double[][]" -> new double[][] {{1, 2, 3}, {4, 5, 6}};
            case "int[][]" -> new int[][] {{1, 2}, {3, 4}, {5, 6}};
            case "empty double[]" -> new double[0];
            case "list of two double[]" -> List.of(new double[] {1.0}, new double[] {2.0, 3.0});
            case "scalar double" -> NumpyScalar.of(2.5);
            case "scalar float" -> NumpyScalar.of(0.1f);
            case "scalar long" -> NumpyScalar.of(-7L);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Test
    void javaArraysAreWrittenAsNumpyWritesThem() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Line v : lines()) {
            if (!v.kind().equals("write")) {
                continue;
            }
            checked++;
            try {
                byte[] written = writer(v, v.protocol()).dumps(recipe(v.name()));
                if (!java.util.Arrays.equals(v.pickle(), written)) {
                    failures.add(v.label() + ":\n    " + HEX.formatHex(written) + "\n not\n    " + v.f()[5]);
                }
            } catch (Throwable e) {
                failures.add(v.label() + ": " + e);
            }
        }
        assertTrue(checked > 150, "only " + checked + " vectors");
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " differ:\n"
                + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
    }

    @Test
    void typedCopiesAndBuffers() {
        NdArray m = (NdArray) Pickle.loads(Pickler.builder().numpyArrays(true).build()
                .dumps(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        assertArrayEquals(new int[] {2, 3}, m.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6}, m.toDoubleMatrix()[1]);
        assertEquals(6.0, m.asDoubleBuffer().get(5));
        assertEquals(5.0, m.get(1, 1));
        NdArray ints = NdArray.of(new int[] {1, -2, 3});
        assertArrayEquals(new long[] {1, -2, 3}, ints.toLongArray());
        assertArrayEquals(new double[] {1, -2, 3}, ints.toDoubleArray());
        assertEquals(-2, ints.asIntBuffer().get(1));
        assertArrayEquals(new boolean[] {true, false}, NdArray.of(new boolean[] {true, false}).toBooleanArray());
        IllegalStateException lossy = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                m::toIntArray);
        assertTrue(lossy.getMessage().contains("float64 array cannot be copied to int[]"), lossy.getMessage());
    }

    @Test
    void outOfBandBuffersAreWrappedNotCopied() {
        byte[] memory = new byte[16];
        List<PickleBuffer> sent = new ArrayList<>();
        byte[] pickle = Pickler.builder().protocol(5).bufferCallback(b -> {
            sent.add(b);
            return false;
        }).build().dumps(NdArray.of(new double[] {1.5, 2.5}));
        java.nio.ByteBuffer.wrap(memory).order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(new double[] {1.5, 2.5});
        NdArray a = (NdArray) Unpickler.builder().buffers(List.of(PickleBuffer.writable(memory))).build().loads(pickle);
        assertEquals(1, sent.size());
        memory[15] = 0x40; // writing the buffer changes the array: the array is a view, not a copy
        assertEquals(2.5, a.toDoubleArray()[1], 1.0);
        assertEquals(memory[15], a.buffer().get(15));
    }

    /** Arrays over 64 KiB (their data leaves the frames) are not committed: numpy writes them live. */
    private static final String LARGE = """
            import numpy as np, pickle, sys
            a = np.arange(20000, dtype='f8') / 7
            f = np.asfortranarray((np.arange(30000, dtype='i4') - 500).reshape(100, 300))
            for name, v in [('a', a), ('f', f)]:
                for p in range(6):
                    for oob in ([0, 1] if p == 5 else [0]):
                        bufs = []
                        data = pickle.dumps(v, p, buffer_callback=bufs.append if oob else None)
                        open(f'{sys.argv[1]}/{name}-{p}-{oob}.pickle', 'wb').write(data)
                        if oob:
                            open(f'{sys.argv[1]}/{name}-{p}-{oob}.buffer', 'wb').write(bytes(bufs[0].raw()))
            """;

    @Test
    void largeArraysLoadWriteBackAndAreWrittenAsNumpyWritesThem(@TempDir Path dir) throws Exception {
        assumeTrue(Python.is311WithNumpy(), "python3 (CPython 3.11 with numpy) is not available");
        double[] a = new double[20000];
        for (int i = 0; i < a.length; i++) {
            a[i] = i / 7.0;
        }
        int checked = 0;
        for (String python : List.of("python3", "/usr/bin/python3")) {
            Path out = Files.createDirectories(dir.resolve(python.replace('/', '_')));
            Process p = new ProcessBuilder(python, "-c", LARGE, out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                assumeTrue(!python.startsWith("/usr"), "/usr/bin/python3 has no numpy 1.x: " + log);
                throw new AssertionError(python + " failed: " + log);
            }
            NumpyVersion version = python.startsWith("/usr") ? NumpyVersion.NUMPY_1 : NumpyVersion.NUMPY_2;
            for (int protocol = 0; protocol <= 5; protocol++) {
                for (int oob = 0; oob <= (protocol == 5 ? 1 : 0); oob++) {
                    for (String name : List.of("a", "f")) {
                        byte[] pickle = Files.readAllBytes(out.resolve(name + "-" + protocol + "-" + oob + ".pickle"));
                        List<Object> buffers = oob == 1
                                ? List.of(PickleBuffer.writable(Files.readAllBytes(out.resolve(name + "-5-1.buffer"))))
                                : List.of();
                        NdArray loaded = (NdArray) Unpickler.builder().buffers(buffers).build().loads(pickle);
                        Pickler.Builder writer = Pickler.builder().protocol(protocol).numpyVersion(version);
                        if (oob == 1) {
                            writer.bufferCallback(b -> false);
                        }
                        String label = python + " " + name + " protocol " + protocol + (oob == 1 ? " out of band" : "");
                        assertArrayEquals(pickle, writer.build().dumps(loaded), label + ": written back");
                        if (name.equals("a")) {
                            assertArrayEquals(a, loaded.toDoubleArray(), label);
                            assertArrayEquals(pickle, writer.build().dumps(NdArray.of(a)), label + ": from double[]");
                        } else {
                            assertTrue(loaded.isFContiguous() && !loaded.isCContiguous(), label);
                            assertEquals(-500 + 300 * 7 + 11, loaded.get(7, 11), label);
                            assertEquals(29499, loaded.toIntArray()[29999], label);
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 14, "only " + checked);
    }

    @Test
    void theCommittedVectorsAreWhatTheScriptWritesToday(@TempDir Path dir) throws Exception {
        assumeTrue(Python.is311WithNumpy(), "python3 (CPython 3.11 with numpy) is not available");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 (with numpy 1.x) is not available");
        Python.assertScriptRewrites(Path.of("src/test/python/make_numpy_vectors.py"), VECTORS, dir);
    }
}
