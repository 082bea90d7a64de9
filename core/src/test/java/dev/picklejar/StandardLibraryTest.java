package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standard library's other data types (array, Fraction, enum members, re, partial, zoneinfo,
 * pathlib, ipaddress...). Their vectors, every protocol, are in {@code vectors/stdlib.tsv}
 * (written by {@code src/test/python/make_stdlib_vectors.py}) and run with the reader's and the
 * writer's vector tests (repr, re-encode, every other protocol); the tests here name the Java
 * values and check that the same values built in Java are written as CPython wrote them.
 */
class StandardLibraryTest {
    private static final Map<String, byte[]> CPYTHON = new HashMap<>();

    @BeforeAll
    static void readVectors() throws IOException {
        for (ReaderVectorsTest.Vector v : ReaderVectorsTest.readVectors(List.of("/vectors/stdlib.tsv"))) {
            CPYTHON.put(v.name() + " " + v.protocol(), v.pickle());
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** The Java value, written at every protocol the vector has, gives CPython's bytes. */
    private static void assertWrittenAsCPython(String vector, Object value) {
        int checked = 0;
        for (int protocol = 0; protocol <= 5; protocol++) {
            byte[] expected = CPYTHON.get(vector + " " + protocol);
            if (expected != null) {
                checked++;
                assertArrayEquals(expected, Pickler.standard(protocol).dumps(value), vector + " at protocol " + protocol);
            }
        }
        assertTrue(checked > 0, "no vector " + vector);
    }

    @Test
    void anArrayAtProtocol4KeepsItsThreeDistinctArrayStrings() {
        // pickle.dumps(array.array('i', [1, -2, 3]), 4): 'array' (the module of
        // _array_reconstructor), 'array' (the module of array.array) and 'array' (its name) are three
        // strings, so none is fetched from the memo. 89 bytes; sharing the module name gave 83.
        byte[] cpython = hex("8004954e000000000000008c056172726179948c145f61727261795f7265636f6e7374727563746f72949394288c"
                + "056172726179948c0561727261799493948c0169944b08430c01000000feffffff0300000094749452942e");
        assertArrayEquals(cpython, Pickler.standard(4).dumps(Pickle.loads(cpython)));
    }

    @Test
    void arraysLoadAsPrimitiveArraysWithTheirTypecode() {
        for (int protocol = 0; protocol <= 5; protocol++) {
            PyArray a = assertInstanceOf(PyArray.class, Pickle.loads(CPYTHON.get("array/i " + protocol)));
            assertEquals('i', a.typecode());
            assertArrayEquals(new int[] {1, -2, 3}, (int[]) a.values());
            PyArray unsigned = (PyArray) Pickle.loads(CPYTHON.get("array/Q " + protocol));
            assertEquals(new BigInteger("18446744073709551615"), unsigned.item(0));
            assertEquals("hé한😀", ((PyArray) Pickle.loads(CPYTHON.get("array/u " + protocol))).text());
        }
    }

    @Test
    void javaArraysAreWrittenAsCPythonWritesArrays() {
        assertWrittenAsCPython("array/i", PyArray.of('i', new int[] {1, -2, 3}));
        assertWrittenAsCPython("array/i", new int[] {1, -2, 3});             // int[] is array('i') by default
        assertWrittenAsCPython("array/d", new double[] {0.1, -0.0, 1e300, Double.NaN});
        assertWrittenAsCPython("array/f", new float[] {0.5f, -1.25f, Float.POSITIVE_INFINITY});
        assertWrittenAsCPython("array/q", new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE});
        assertWrittenAsCPython("array/h", new short[] {-32768, 1, 32767});
        assertWrittenAsCPython("array/B", PyArray.of('B', new byte[] {0, (byte) 255}));
        assertWrittenAsCPython("array/u", PyArray.of('u', "hé한😀".codePoints().toArray()));
        assertWrittenAsCPython("array/d-empty", new double[0]);
        int[] seven = {7};
        assertWrittenAsCPython("array/in-a-list", List.of(seven, new double[] {2.5}, new int[] {7}));
        short[] shared = {1, 2};
        assertWrittenAsCPython("array/shared", List.of(shared, shared));
        assertArrayEquals(Pickle.dumps(List.of(1, 2, 3)),
                Pickler.builder().primitiveArrays(Pickler.PrimitiveArrays.LIST).build().dumps(new int[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> PyArray.of('i', new long[1]));
    }

    @Test
    void fractionsLoadAsPyFraction() {
        for (int protocol = 0; protocol <= 5; protocol++) {
            assertEquals(PyFraction.of(3, 7), Pickle.loads(CPYTHON.get("fraction/3/7 " + protocol)));
        }
        assertEquals(PyFraction.of(-1, 3), PyFraction.of(2, -6));
        assertWrittenAsCPython("fraction/3/7", PyFraction.of(3, 7));
        assertWrittenAsCPython("fraction/big", PyFraction.of(BigInteger.TWO.pow(100).add(BigInteger.ONE),
                BigInteger.valueOf(3).pow(50)));
        PyFraction half = PyFraction.of(1, 2);
        assertWrittenAsCPython("fraction/shared", List.of(half, half, PyFraction.of(1, 2)));
        assertEquals(0.5, half.doubleValue());
    }

    enum Shape { SQUARE, CIRCLE }

    @Test
    void enumMembersByNameLoadAsPyEnumMemberAndBindToJavaEnums() {
        for (int protocol = 0; protocol <= 5; protocol++) {
            PyEnumMember m = assertInstanceOf(PyEnumMember.class, Pickle.loads(CPYTHON.get("enum/by-name " + protocol)));
            assertEquals(new PyGlobal("vector_classes", "Shape"), m.enumClass());
            assertEquals(Shape.SQUARE, m.as(Shape.class));
            assertEquals("vector_classes.Shape.SQUARE", Repr.of(m));
        }
        assertWrittenAsCPython("enum/by-name", PyEnumMember.of("vector_classes", "Shape", Shape.SQUARE));
        // One member is one object in Python: written once, then fetched from the memo.
        assertWrittenAsCPython("enum/by-name-list", List.of(PyEnumMember.of("vector_classes", "Shape", Shape.SQUARE),
                PyEnumMember.of("vector_classes", "Shape", Shape.CIRCLE), PyEnumMember.of("vector_classes", "Shape", Shape.SQUARE)));
    }

    @Test
    void zoneInfoLoadsAsZoneIdAndItsDatetimesAsZonedDateTime() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        for (int protocol = 0; protocol <= 5; protocol++) {
            assertEquals(paris, Pickle.loads(CPYTHON.get("zoneinfo/key " + protocol)));
            assertEquals(ZonedDateTime.of(2024, 7, 1, 12, 30, 0, 0, paris),
                    Pickle.loads(CPYTHON.get("zoneinfo/datetime " + protocol)));
            // 2:30 on 31 March 2024 does not exist in Paris: java.time would move it, so it stays a PyObject.
            assertInstanceOf(PyObject.class, Pickle.loads(CPYTHON.get("zoneinfo/dst-gap " + protocol)));
        }
        ZonedDateTime later = ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, paris).withLaterOffsetAtOverlap();
        assertEquals(later, Pickle.loads(CPYTHON.get("zoneinfo/dst-overlap-fold 4")));
        assertWrittenAsCPython("zoneinfo/key", paris);
        assertWrittenAsCPython("zoneinfo/datetime", ZonedDateTime.of(2024, 7, 1, 12, 30, 0, 0, ZoneId.of("Europe/Paris")));
        assertWrittenAsCPython("zoneinfo/dst-overlap-fold", later);
        assertWrittenAsCPython("zoneinfo/dst-overlap", later.withEarlierOffsetAtOverlap());
        // ZoneInfo('Europe/Paris') is one cached object: two Java zones of one id are written once.
        assertWrittenAsCPython("zoneinfo/datetimes", List.of(ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Paris")),
                ZonedDateTime.of(2024, 7, 1, 9, 5, 3, 7000, ZoneId.of("Asia/Seoul")),
                ZonedDateTime.of(2024, 1, 2, 0, 0, 0, 0, ZoneId.of("Europe/Paris"))));
    }

    @Test
    void callingAnEnumMemberIsStillCallingWhatGetattrReturnedForTheScanner() {
        // getattr(str, 'join')('x'), hand-made at protocol 0: a PyEnumMember called, which the
        // scanner must still see as a call on what builtins.getattr returned (str.join, which the
        // scanner resolves through getattr of a class with a constant name).
        byte[] pickle = "c__builtin__\ngetattr\n(c__builtin__\nstr\nVjoin\ntR(Vx\ntR.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ScanReport report = Scanner.standard().scan(pickle, "getattr.pickle");
        assertTrue(report.findings().stream().anyMatch(f -> f.offset() == 52 && f.opcode() == Opcode.REDUCE
                && f.call() && f.global().equals("builtins.str.join")), report.findings().toString());
    }

    @Test
    void badArraysFailAsInCPythonAndHugeFractionsStayCalls() {
        // array.array('i', [2**40]) at protocol 2, hand-made: CPython raises OverflowError.
        PickleException overflow = assertThrows(PickleException.class, () -> Pickle.loads(hex(
                "80026361727261790a61727261790a710058010000006971015d71028a06000000000001618671035271042e")));
        assertTrue(overflow.getMessage().contains("out of range for typecode 'i'"), overflow.getMessage());
        // array._array_reconstructor(array.array, 'i', 8, b'\x00\x00\x00'): ValueError.
        PickleException length = assertThrows(PickleException.class, () -> Pickle.loads(hex(
                "80026361727261790a5f61727261795f7265636f6e7374727563746f720a7100286361727261790a61727261790a7101"
                + "58010000006971024b08635f636f646563730a656e636f64650a71035803000000000000710458060000006c6174696e31"
                + "71058671065271077471085271092e")));
        assertTrue(length.getMessage().contains("not a multiple of item size"), length.getMessage());
        // set([array.array('i', [1])]): TypeError, an array is unhashable.
        PickleException unhashable = assertThrows(PickleException.class, () -> Pickle.loads(hex(
                "8002635f5f6275696c74696e5f5f0a7365740a71005d71016361727261790a61727261790a710258010000006971035d71"
                + "044b0161867105527106618571075271082e")));
        assertTrue(unhashable.getMessage().contains("unhashable type: 'array.array'"), unhashable.getMessage());
        // Fraction(2**70000 + 1, 3): too large to check for lowest terms in bounded time, so an inert call.
        BigInteger huge = BigInteger.TWO.pow(70000).add(BigInteger.ONE);
        PyObject call = PyObject.reduce(new PyGlobal("fractions", "Fraction"), PyTuple.of(huge, 3));
        byte[] pickle = Pickle.dumps(call);
        assertInstanceOf(PyObject.class, Pickle.loads(pickle));
        assertArrayEquals(pickle, Pickle.dumps(Pickle.loads(pickle)));
    }

    @Test
    void oneUnpicklerTakesItsOutOfBandBuffersOneAfterAnotherAcrossLoads() {
        // Two pickles of pickle.dumps(PickleBuffer(...), 5, buffer_callback=...): NEXT_BUFFER each.
        byte[] one = hex("800597942e");  // hand-made: NEXT_BUFFER, MEMOIZE, STOP
        byte[] both = new byte[one.length * 2];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(one, 0, both, one.length, one.length);
        Unpickler unpickler = Unpickler.builder().sharedMemo(true).buffers(List.of(new byte[] {1}, new byte[] {2})).build();
        try (PickleStream pickles = unpickler.open(both)) {
            assertArrayEquals(new byte[] {1}, (byte[]) pickles.next());
            assertArrayEquals(new byte[] {2}, (byte[]) pickles.next());
        }
    }

    @Test
    void ipAddressesLoadAsInetAddressesWithoutALookup() throws Exception {
        for (int protocol = 0; protocol <= 5; protocol++) {
            assertEquals(java.net.InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}),
                    Pickle.loads(CPYTHON.get("ipaddress/v4 " + protocol)));
            java.net.Inet6Address v6 = assertInstanceOf(java.net.Inet6Address.class,
                    Pickle.loads(CPYTHON.get("ipaddress/v6-two-runs " + protocol)));
            assertEquals("1:0:0:2:0:0:0:3", v6.getHostAddress());
            assertInstanceOf(java.net.Inet6Address.class, Pickle.loads(CPYTHON.get("ipaddress/v6-v4-mapped " + protocol)));
            // A scope id ('fe80::1%eth0') names an interface of the machine that wrote it: kept as the call.
            assertInstanceOf(PyObject.class, Pickle.loads(CPYTHON.get("ipaddress/v6-scoped " + protocol)));
        }
        assertWrittenAsCPython("ipaddress/v4", java.net.InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}));
        assertWrittenAsCPython("ipaddress/v6", java.net.InetAddress.getByName("2001:db8:0:0:0:0:0:1"));
        assertWrittenAsCPython("ipaddress/v6-zeros", java.net.InetAddress.getByName("::"));
    }

    @Test
    void mutatedStandardLibraryPicklesEndInAValueOrAPickleException() {
        List<byte[]> valid = CPYTHON.values().stream().filter(b -> b.length < 4096).toList();
        java.util.Random random = new java.util.Random(20261203);
        for (int round = 0; round < 40_000; round++) {
            byte[] data = valid.get(round % valid.size()).clone();
            for (int k = 1 + random.nextInt(3); k > 0 && data.length > 2; k--) {
                int at = random.nextInt(data.length);
                if (random.nextBoolean()) {
                    data[at] = (byte) random.nextInt(256);
                } else {
                    data[at] = (byte) (data[at] ^ (1 << random.nextInt(8)));
                }
            }
            try {
                Object value = Pickle.loads(data);
                Repr.of(value);
                for (int protocol = 0; protocol <= 5; protocol++) {
                    try {
                        Pickle.dumps(value, protocol);
                    } catch (PicklingException refused) {
                        // fine: a value CPython could not write at that protocol either
                    }
                }
            } catch (PickleException expected) {
                // fine: refused with a clear error
            } catch (Throwable t) {
                throw new AssertionError("mutated pickle " + HexFormat.of().formatHex(data) + " threw " + t, t);
            }
        }
    }
}
