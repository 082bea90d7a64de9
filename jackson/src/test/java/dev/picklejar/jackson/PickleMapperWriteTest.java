package dev.picklejar.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.Disassembler;
import dev.picklejar.jackson.Types.Arrays;
import dev.picklejar.jackson.Types.Color;
import dev.picklejar.jackson.Types.Item;
import dev.picklejar.jackson.Types.Level;
import dev.picklejar.jackson.Types.Person;
import dev.picklejar.jackson.Types.Plain;
import dev.picklejar.jackson.Types.Point;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records, POJOs, enums and primitive arrays written by PickleMapper: the bytes are CPython's
 * pickle.dumps of the equivalent Python value (make_binding_vectors.py), at every protocol, and
 * python3 loads them as that value.
 */
class PickleMapperWriteTest {
    /** The Java value of each write vector of examples.py. */
    static Map<String, Object> javaValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("w-points", List.of(new Point(1, 2), new Point(3, 4)));
        values.put("w-items", List.of(new Item("apple", 3, 0.5), new Item("pear", 0, 1.25)));
        values.put("w-colors", List.of(Color.RED, Color.GREEN, Color.RED));
        values.put("w-names", List.of(Names.RED, Names.GREEN));
        values.put("w-arrays", new Arrays(new int[] {1, -2, 300000}, new double[] {0.5, -1e300},
                new long[] {1L << 40}, new boolean[] {true, false}, new byte[] {0, 1, (byte) 0xfe}));
        values.put("w-person", person());
        Plain plain = new Plain();
        plain.title = "box";
        plain.count = 3;
        plain.ratio = 0.5;
        values.put("w-plain", plain);
        values.put("w-items-typed", List.of(new Item("apple", 3, 0.5)));
        values.put("w-times", List.of(
                java.util.Date.from(java.time.Instant.parse("2026-11-25T09:30:00Z")),
                java.time.ZonedDateTime.of(2026, 11, 25, 18, 30, 0, 0, java.time.ZoneId.of("Asia/Seoul")),
                java.time.LocalTime.of(23, 59, 59, 999_999_000),
                java.time.Duration.ofDays(-2).plusSeconds(3).plusNanos(4_000),
                Optional.empty(), Optional.of("x")));
        return values;
    }

    enum Names { RED, GREEN }

    static Person person() {
        return new Person("Alice", 37, List.of("admin", "ops"), ordered("math", 9.5, "art", 7.25),
                LocalDate.of(1989, 4, 1), OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 123_456_000, ZoneOffset.UTC),
                new BigDecimal("1234.50"), UUID.fromString("12345678-1234-5678-1234-567812345678"),
                new byte[] {0, (byte) 0xff, 'P', 'N', 'G'}, Color.GREEN, Level.HIGH, new Point(1, 2),
                List.of(new Point(3, 4), new Point(5, 6)), Optional.empty());
    }

    private static Map<String, Double> ordered(String k1, double v1, String k2, double v2) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    /** Item is written as a dict by default; registered on the builder, as pjtypes.Item. */
    private static PickleMapper mapper(String name, int protocol) {
        PickleMapper.Builder b = PickleMapper.builder().protocol(protocol);
        if (name.equals("w-items-typed")) {
            b.pythonClass(Item.class, "pjtypes", "Item");
        }
        return b.build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void theBytesAreCPythonsPickleOfTheEquivalentValue(int protocol) {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Object> e : javaValues().entrySet()) {
            byte[] expected = Vectors.cpython(e.getKey(), protocol);
            byte[] actual = mapper(e.getKey(), protocol).writeValueAsBytes(e.getValue());
            if (!java.util.Arrays.equals(expected, actual)) {
                failures.add(e.getKey() + " at protocol " + protocol + ":\n  CPython  " + HexFormat.of().formatHex(expected)
                        + "\n  picklejar " + HexFormat.of().formatHex(actual) + "\n" + dis(actual));
            }
        }
        assertEquals(List.of(), failures);
    }

    private static String dis(byte[] pickle) {
        try {
            StringBuilder out = new StringBuilder();
            Disassembler.dis(new java.io.ByteArrayInputStream(pickle), out);
            return out.toString();
        } catch (IOException | RuntimeException e) {
            return "(no disassembly: " + e.getMessage() + ")";
        }
    }

    @Test
    void python3LoadsWhatIsWrittenAsTheEquivalentValue() throws IOException, InterruptedException {
        assumeTrue(python311WithNumpy(), "needs python3 (CPython 3.11) with numpy and pydantic");
        StringBuilder lines = new StringBuilder();
        int count = 0;
        for (int p = 0; p <= 5; p++) {
            for (Map.Entry<String, Object> e : javaValues().entrySet()) {
                lines.append(e.getKey()).append('\t').append(p).append('\t')
                        .append(HexFormat.of().formatHex(mapper(e.getKey(), p).writeValueAsBytes(e.getValue())))
                        .append('\n');
                count++;
            }
        }
        Process python = new ProcessBuilder("python3", Path.of("src/test/python/check_written.py").toString())
                .redirectErrorStream(true).start();
        python.getOutputStream().write(lines.toString().getBytes(UTF_8));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), UTF_8);
        python.waitFor(1, TimeUnit.MINUTES);
        List<String> failures = out.lines().filter(l -> !l.startsWith("ok ")).toList();
        assertEquals(List.of(), failures);
        assertEquals(count, out.lines().count(), out);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void polymorphicValuesAreInstancesOfTheirPythonClassesWithNoTypeProperty(int protocol) {
        List<Types.Shape> shapes = List.of(new Types.Circle(1.5), new Types.Square(2.0));
        byte[] written = PickleMapper.builder().protocol(protocol).build()
                .writerFor(new tools.jackson.core.type.TypeReference<List<Types.Shape>>() { }).writeValueAsBytes(shapes);
        assertArrayEquals(Vectors.cpython("shapes", protocol), written);
    }

    @Test
    void theProtocolIsAnOptionOfTheMapperNotOfTheProcess() {
        PickleMapper p2 = PickleMapper.builder().protocol(2).build();
        PickleMapper p5 = p2.rebuild().protocol(5).build();
        assertEquals(2, p2.tokenStreamFactory().protocol());
        assertEquals(5, p5.tokenStreamFactory().protocol());
        assertArrayEquals(Vectors.cpython("w-points", 2), p2.writeValueAsBytes(List.of(new Point(1, 2), new Point(3, 4))));
    }

    @Test
    void aSerializedFactoryKeepsItsProtocolAndPythonClasses() throws Exception {
        PickleFactory factory = PickleFactory.builder().protocol(2).pythonClass(Item.class, "pjtypes", "Item").build();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        }
        PickleFactory back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (PickleFactory) in.readObject();
        }
        assertArrayEquals(Vectors.cpython("w-items-typed", 2),
                PickleMapper.builder(back).build().writeValueAsBytes(List.of(new Item("apple", 3, 0.5))));
    }

    static boolean python311WithNumpy() {
        try {
            Process probe = new ProcessBuilder("python3", "-c",
                    "import sys, numpy, pydantic; sys.exit(0 if sys.version_info[:2] == (3, 11) else 3)")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
