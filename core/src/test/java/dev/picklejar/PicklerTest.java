package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java values in, CPython's bytes out. The expected bytes are CPython's, written by
 * {@code src/test/python/make_pickler_examples.py} into {@code vectors/pickler.tsv}; each test
 * builds in Java the value that script builds in Python.
 */
class PicklerTest {
    private static final Map<String, byte[]> CPYTHON = load();

    private static Map<String, byte[]> load() {
        Map<String, byte[]> map = new HashMap<>();
        try (InputStream in = PicklerTest.class.getResourceAsStream("/vectors/pickler.tsv")) {
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                String[] f = line.split("\t");
                map.put(f[0] + "@" + f[1], HexFormat.of().parseHex(f[2]));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return map;
    }

    private static void assertWrittenAsCPython(String name, int protocol, Object value) {
        byte[] expected = CPYTHON.get(name + "@" + protocol);
        assertTrue(expected != null, "no CPython bytes for " + name + " at protocol " + protocol);
        List<String> failures = new ArrayList<>();
        WriterVectorsTest.compare(name + " at protocol " + protocol, expected, Pickle.dumps(value, protocol), failures);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pickle.dump(value, out, protocol);
        WriterVectorsTest.compare(name + " through dump(OutputStream) at protocol " + protocol, expected,
                out.toByteArray(), failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void theSeedsExampleIsWhatCPythonWritesAtEveryProtocol() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "Alice");
        data.put("age", 25);
        for (int p = 0; p <= 5; p++) {
            assertWrittenAsCPython("alice", p, data);
        }
        assertArrayEquals(CPYTHON.get("alice@5"), Pickle.dumps(data), "the default protocol is 5");
    }

    @Test
    void javaCollectionsAndNumbersAreWrittenAsTheirPythonTypes() {
        // [[1, 2], (1, 'a'), 3, 4, 2.5, 'c', {'b': 1, 'a': 2}, {1, 2}, None, True, 2**70]
        Map<String, Object> sorted = new TreeMap<>(Map.of("a", 2, "b", 1));
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("b", 1);
        dict.put("a", 2);
        assertEquals(List.of("a", "b"), new ArrayList<>(sorted.keySet()), "TreeMap iterates in key order");
        // "a" is one (interned) String in the tuple and the dict, as 'a' is one object in CPython.
        List<Object> value = Arrays.asList(new LinkedList<>(List.of(1, 2)), new Object[] {(short) 1, "a"},
                (byte) 3, 4L, 2.5f, 'c', dict, new LinkedHashSet<>(List.of(1, 2)), null, true, BigInteger.TWO.pow(70));
        for (int p = 0; p <= 5; p++) {
            assertWrittenAsCPython("java-collections", p, value);
        }
    }

    @Test
    void javaTimeValuesAreWrittenAsPythonDatetimes() {
        List<Object> value = List.of(
                LocalDateTime.of(2026, 11, 25, 9, 30, 1, 500_000),
                OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 0, ZoneOffset.ofHours(9)),
                LocalDate.of(2026, 11, 25),
                LocalTime.of(23, 59, 59, 999_999_000),
                OffsetTime.of(12, 0, 0, 0, ZoneOffset.ofHoursMinutes(-5, -30)),
                Duration.ofDays(-2).plusSeconds(3).plusNanos(4_000),
                ZoneOffset.ofHours(2),
                Instant.ofEpochSecond(5));
        for (int p = 0; p <= 5; p++) {
            assertWrittenAsCPython("java-time", p, value);
        }
    }

    record Point(int x, Object y) {
    }

    @Test
    void registeredRecordsAreWrittenAsPlainPythonInstances() {
        for (int p = 0; p <= 5; p++) {
            Pickler pickler = Pickler.builder().protocol(p).registerRecord(Point.class, "geometry", "Point").build();
            List<String> failures = new ArrayList<>();
            WriterVectorsTest.compare("records at protocol " + p, CPYTHON.get("records@" + p),
                    pickler.dumps(List.of(new Point(1, 2), new Point(3, "three"))), failures);
            assertTrue(failures.isEmpty(), String.join("\n", failures));
        }
    }

    @Test
    void largePayloadsGoOutsideFramesAsInCPython() {
        byte[] bytes = new byte[65536];
        Arrays.fill(bytes, (byte) 'x');
        byte[] bytearray = new byte[65536];
        Arrays.fill(bytearray, (byte) 'z');
        List<Integer> ints = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            ints.add(i);
        }
        assertWrittenAsCPython("big-payloads", 5, List.of(bytes, "y".repeat(65537), new PyByteArray(bytearray), ints));
    }

    @Test
    void largeBytesBelowProtocol3AreTheirLatin1TextAsInCPython() {
        byte[] big = new byte[256 * 274];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        byte[] tail = {'t', 'a', 'i', 'l', (byte) 0xff};
        for (int p = 0; p < 3; p++) {
            assertWrittenAsCPython("big-bytes", p, List.of(big, big, tail));
        }
    }

    @Test
    void pickleBuffersGoOutOfBandThroughTheCallback() {
        List<Object> value = List.of(PickleBuffer.readOnly("abc".getBytes(UTF_8)), PickleBuffer.writable("xy".getBytes(UTF_8)));
        List<PickleBuffer> sent = new ArrayList<>();
        byte[] outOfBand = Pickler.builder().bufferCallback(b -> !sent.add(b)).build().dumps(value);
        assertArrayEquals(CPYTHON.get("out-of-band@5"), outOfBand);
        assertEquals(2, sent.size());
        assertArrayEquals(CPYTHON.get("in-band@5"), Pickle.dumps(value));
        PicklingException e = assertThrows(PicklingException.class, () -> Pickle.dumps(value, 4));
        assertTrue(e.getMessage().contains("protocol 5"), e.getMessage());
        // And back: the reader hands the same buffers to NEXT_BUFFER.
        Object loaded = Unpickler.builder().buffers(sent).build().loads(outOfBand);
        assertEquals(List.of(sent.get(0), sent.get(1)), loaded);
    }

    @Test
    void aListNestedAHundredThousandDeepIsWrittenWithoutRecursion() {
        List<Object> root = new ArrayList<>();
        List<Object> inner = root;
        for (int i = 0; i < 100_000; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        for (int p = 0; p <= 5; p++) {
            byte[] bytes = Pickle.dumps(root, p);
            Object back = Unpickler.builder().limits(Limits.defaults().withMaxDepth(200_000)).build().loads(bytes);
            int depth = 0;
            for (Object node = back; node instanceof List<?> l && !l.isEmpty(); node = l.get(0)) {
                depth++;
            }
            assertEquals(100_000, depth, "protocol " + p);
        }
    }

    @Test
    void sharedAndRecursiveJavaObjectsAreMemoized() {
        List<Object> shared = new ArrayList<>(List.of("s"));
        List<Object> root = new ArrayList<>();
        root.add(shared);
        root.add(shared);
        root.add(root);
        for (int p = 0; p <= 5; p++) {
            @SuppressWarnings("unchecked")
            List<Object> back = (List<Object>) Pickle.loads(Pickle.dumps(root, p));
            assertTrue(back.get(0) == back.get(1) && back.get(2) == back, "protocol " + p);
        }
        Object[] selfContaining = new Object[1];
        selfContaining[0] = selfContaining;
        PicklingException e = assertThrows(PicklingException.class, () -> Pickle.dumps(selfContaining));
        assertTrue(e.getMessage().contains("contains itself"), e.getMessage());
    }

    @Test
    void unsupportedValuesAreRefusedWithWhatAndWhere() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("worker", new Thread());
        PicklingException e = assertThrows(PicklingException.class, () -> Pickle.dumps(List.of(1, inner)));
        assertTrue(e.getMessage().contains("java.lang.Thread") && e.getMessage().contains("root[1]['worker']"),
                e.getMessage());

        e = assertThrows(PicklingException.class, () -> Pickle.dumps(LocalTime.of(1, 2, 3, 456_789_123)));
        assertTrue(e.getMessage().contains("nanoseconds"), e.getMessage());
        e = assertThrows(PicklingException.class, () -> Pickle.dumps(Duration.ofNanos(1)));
        assertTrue(e.getMessage().contains("microseconds"), e.getMessage());
        e = assertThrows(PicklingException.class, () -> Pickle.dumps(LocalDate.of(10_000, 1, 1)));
        assertTrue(e.getMessage().contains("9999"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pickle.dumps(1, 6));
    }

    @Test
    void dateStatesOutsideTheRangesOfPythonsConstructorsLoadAndAreWrittenBackAsCPythonWritesThem() {
        // CPython builds datetime(10216, 11, 3, 1, 30) and date(0, 1, 1) from their states, which its
        // constructors refuse, and writes them back: pickle.dumps(pickle.loads(state pickle), p).hex().
        Map<Integer, String> cpython = Map.of(
                0, "636461746574696d650a6461746574696d650a70300a28635f636f646563730a656e636f64650a70310a28"
                        + "5627e80b03011e5c75303030305c75303030305c75303030305c75303030300a70320a566c6174696e31"
                        + "0a70330a7470340a5270350a7470360a5270370a2e",
                2, "8002636461746574696d650a6461746574696d650a7100635f636f646563730a656e636f64650a7101580b"
                        + "00000027c3a80b03011e00000000710258060000006c6174696e3171038671045271058571065271072e",
                3, "8003636461746574696d650a6461746574696d650a7100430a27e80b03011e0000000071018571025271032e",
                4, "8004952a000000000000008c086461746574696d65948c086461746574696d65949394430a27e80b03011e"
                        + "0000000094859452942e");
        Map<Integer, String> cpythonDate = Map.of(
                0, "636461746574696d650a646174650a70300a28635f636f646563730a656e636f64650a70310a28565c7530"
                        + "3030305c753030303001010a70320a566c6174696e310a70330a7470340a5270350a7470360a527037"
                        + "0a2e",
                3, "8003636461746574696d650a646174650a710043040000010171018571025271032e");
        // time(1, 101) and datetime(2024, 6, 31, 25, 0): CPython checks only the hour and the month.
        Map<Integer, String> cpythonFields = Map.of(
                0, "636461746574696d650a74696d650a70300a28635f636f646563730a656e636f64650a70310a285601655c"
                        + "75303030305c75303030305c75303030305c75303030300a70320a566c6174696e310a70330a7470340a"
                        + "5270350a7470360a5270370a2e",
                3, "8003636461746574696d650a6461746574696d650a7100430a07e8061f19000000000071018571025271032e");
        for (Map<Integer, String> vectors : List.of(cpython, cpythonDate, cpythonFields)) {
            for (Map.Entry<Integer, String> v : vectors.entrySet()) {
                byte[] bytes = java.util.HexFormat.of().parseHex(v.getValue());
                assertArrayEquals(bytes, Pickle.dumps(Pickle.loads(bytes), v.getKey()), "protocol " + v.getKey());
            }
        }
        assertEquals("datetime.datetime(10216, 11, 3, 1, 30)", Repr.of(Pickle.loads(
                java.util.HexFormat.of().parseHex(cpython.get(3)))));
    }

    @Test
    void persistentIdsAreWrittenForTheReaderHook() {
        Pickler pickler = Pickler.builder().protocol(2).persistentId(o -> "external".equals(o) ? 42 : null).build();
        byte[] bytes = pickler.dumps(List.of("external", "inline"));
        Object back = Unpickler.builder().persistentLoad(pid -> "resolved:" + pid).build().loads(bytes);
        assertEquals(List.of("resolved:42", "inline"), back);
    }

    @Test
    void committedExamplesAreWhatCPythonWritesToday(@TempDir Path dir) throws Exception {
        Path script = Path.of("src/test/python/make_pickler_examples.py");
        assumeTrue(Files.isRegularFile(script) && Python.is311(), "needs python3 (3.11) and the module directory");
        Python.assertScriptRewrites(script, Path.of("src/test/resources/vectors/pickler.tsv"), dir);
    }

}
