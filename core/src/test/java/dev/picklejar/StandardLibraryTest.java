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
}
