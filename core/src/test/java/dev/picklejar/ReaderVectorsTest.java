package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader loads every pickle of {@code vectors/reader.tsv} as CPython loads it: the same
 * {@code repr()} for built-in and standard-library values, a successful load for everything else,
 * and a {@link PickleException} wherever CPython raises. The vectors and their conventions are
 * described at the top of {@code src/test/python/make_vectors.py}, which wrote them.
 */
class ReaderVectorsTest {
    /** reader.tsv, and stdlib.tsv for the standard library's other types (make_stdlib_vectors.py). */
    private static final List<String> RESOURCES = List.of("/vectors/reader.tsv", "/vectors/stdlib.tsv");
    private static final Path SCRIPT = Path.of("src/test/python/make_vectors.py");
    private static final Path COMMITTED = Path.of("src/test/resources/vectors/reader.tsv");

    /** One line of reader.tsv. */
    record Vector(String name, String protocol, String encoding, String check, byte[] pickle, String expected) {
        static Vector parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("6 tab-separated columns expected, found " + f.length
                        + ": " + line.substring(0, Math.min(line.length(), 120)));
            }
            return new Vector(f[0], f[1], f[2], f[3], HexFormat.of().parseHex(f[4]), f[5]);
        }

        String displayName() {
            return name + " [protocol " + protocol + ("ASCII".equals(encoding) ? "" : ", encoding " + encoding) + "]";
        }

        boolean expectsFailure() {
            return expected.startsWith("!");
        }

        /** An unpickler set up as the name says: ext:, persid: and buffers: vectors configure it. */
        Unpickler unpickler() {
            Unpickler.Builder builder = Unpickler.builder().encoding(encoding);
            String spec = configuration();
            if (name.startsWith("ext:")) {
                builder.extensions(extensions(spec));
            } else if (name.startsWith("persid:")) {
                builder.persistentLoad(pid -> PyTuple.of("persistent", pid));
            } else if (name.startsWith("buffers:")) {
                List<byte[]> buffers = new ArrayList<>();
                for (String hex : spec.split(",")) {
                    if (!hex.isEmpty()) {
                        buffers.add(HexFormat.of().parseHex(hex));
                    }
                }
                builder.buffers(buffers);
            }
            return builder.build();
        }

        /** What stands between the first and the second colon of the name. */
        private String configuration() {
            int first = name.indexOf(':');
            int second = first < 0 ? -1 : name.indexOf(':', first + 1);
            return second < 0 ? "" : name.substring(first + 1, second);
        }

        /** {@code 1=builtins.int;300=collections.OrderedDict}: the module is what precedes the last dot. */
        private static Map<Integer, PyGlobal> extensions(String spec) {
            Map<Integer, PyGlobal> registry = new HashMap<>();
            for (String entry : spec.split(";")) {
                if (entry.isEmpty()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                String qualified = entry.substring(eq + 1);
                int dot = qualified.lastIndexOf('.');
                registry.put(Integer.parseInt(entry.substring(0, eq)),
                        new PyGlobal(qualified.substring(0, dot), qualified.substring(dot + 1)));
            }
            return registry;
        }
    }

    /**
     * Hand-made vectors where picklejar departs from CPython on purpose, and why. CPython never
     * writes these; each is checked for picklejar's own behaviour instead.
     */
    static final Map<String, String> DELIBERATE = Map.of(
            "op/lenient-STOP-leaves-items-below",
            "refused: a STOP that leaves items under the result is malformed, and the safety model refuses it",
            "op/lenient-STOP-inside-open-MARK",
            "refused: a STOP inside an open MARK is malformed, and the safety model refuses it",
            "op/SETITEMS-equal-keys-of-three-types",
            "kept apart: 1, 1.0 and True are distinct Java map keys; CPython merges them",
            "op/ADDITEMS-equal-items-of-three-types",
            "kept apart: 1, 1.0 and True are distinct Java set members; CPython merges them",
            "op/dict-key-bytes-equal-content",
            "kept apart: two bytes keys are two byte[] keys, compared by identity in a Java map");

    @TestFactory
    Stream<DynamicTest> everyVectorLoadsAsInCPython() throws IOException {
        return readVectors().stream().filter(v -> !DELIBERATE.containsKey(v.name()))
                .map(v -> DynamicTest.dynamicTest(v.displayName(), () -> check(v)));
    }

    @Test
    void deliberateDeparturesBehaveAsDocumented() throws IOException {
        int seen = 0;
        for (Vector v : readVectors()) {
            if (!DELIBERATE.containsKey(v.name())) {
                continue;
            }
            seen++;
            if (DELIBERATE.get(v.name()).startsWith("refused")) {
                assertThrows(PickleException.class, () -> v.unpickler().loads(v.pickle()), v.displayName());
            } else {
                Object loaded = v.unpickler().loads(v.pickle());
                assertTrue(loaded instanceof java.util.Collection<?> || loaded instanceof Map<?, ?>, v.displayName());
            }
        }
        assertEquals(DELIBERATE.size(), seen, "every deliberate departure names a vector that exists");
    }

    private static void check(Vector v) {
        Unpickler unpickler = v.unpickler();
        if (v.expectsFailure()) {
            assertThrows(PickleException.class, () -> unpickler.loads(v.pickle()),
                    () -> v.displayName() + ": CPython raises " + v.expected().substring(1)
                            + ", so the reader must throw PickleException");
            return;
        }
        Object loaded;
        try {
            loaded = unpickler.loads(v.pickle());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(v.displayName() + ": CPython loads it as " + abbreviate(v.expected(), 300)
                    + ", but the reader threw " + e, e);
        }
        if ("repr".equals(v.check())) {
            assertSameRepr(v.displayName(), v.expected(), Repr.of(loaded));
        }
    }

    /** assertEquals, with a message that stays readable for reprs of 70 000 characters. */
    private static void assertSameRepr(String vector, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        if (expected.length() + actual.length() < 600) {
            assertEquals(expected, actual, vector + ": repr");
            return;
        }
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        fail(vector + ": repr differs at char " + at + " (expected length " + expected.length() + ", actual " + actual.length()
                + ")\n  expected ..." + window(expected, at) + "...\n  actual   ..." + window(actual, at) + "...");
    }

    private static String window(String s, int at) {
        return s.substring(Math.max(0, at - 60), Math.min(s.length(), at + 60));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }

    static List<Vector> readVectors() throws IOException {
        return readVectors(RESOURCES);
    }

    /** The vectors of the given resources, in order. */
    static List<Vector> readVectors(List<String> resources) throws IOException {
        List<Vector> vectors = new ArrayList<>();
        for (String resource : resources) {
            try (InputStream in = ReaderVectorsTest.class.getResourceAsStream(resource)) {
                assertTrue(in != null, resource + " is missing from the test class path");
                for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        vectors.add(Vector.parse(line));
                    }
                }
            }
        }
        return vectors;
    }

    @Test
    void committedVectorsAreWhatCPythonWritesToday(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(SCRIPT) && Files.isRegularFile(COMMITTED),
                "runs from the core module's directory, where the generator lives");
        assumeTrue(Python.is311WithNumpy(), "needs python3 (3.11) with numpy on the PATH");
        Python.assertScriptRewrites(SCRIPT, COMMITTED, dir);
    }

    @Test
    void committedStdlibVectorsAreWhatCPythonWritesToday(@TempDir Path dir) throws Exception {
        Path script = Path.of("src/test/python/make_stdlib_vectors.py");
        Path committed = Path.of("src/test/resources/vectors/stdlib.tsv");
        assumeTrue(Files.isRegularFile(script) && Files.isRegularFile(committed),
                "runs from the core module's directory, where the generator lives");
        assumeTrue(Python.is311WithNumpy(), "needs python3 (3.11) on the PATH");
        Python.assertScriptRewrites(script, committed, dir);
        // The same run wrote the shared-memo streams beside it.
        assertEquals(Files.readAllLines(committed.resolveSibling("shared-memo.tsv")),
                Files.readAllLines(dir.resolve("shared-memo.tsv")), "shared-memo.tsv is not what the script writes now");
    }

}
