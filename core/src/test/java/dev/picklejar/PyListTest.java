package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PyList against ArrayList, the behaviour it promises, through random operations and the chunk edges. */
class PyListTest {
    private static Object randomItem(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> null;
            case 1 -> r.nextInt();
            case 2 -> r.nextLong();
            case 3 -> (long) r.nextInt(100); // a Long that fits an int stays a Long
            case 4 -> r.nextDouble();
            case 5 -> "s" + r.nextInt(50);
            case 6 -> BigInteger.ONE.shiftLeft(70 + r.nextInt(10));
            case 7 -> (float) r.nextDouble();
            default -> r.nextInt(1000);
        };
    }

    /** Mostly one kind at a time, so that numeric chunks form and then meet other items. */
    private static Object runItem(Random r, int phase) {
        if (r.nextInt(50) == 0) {
            return randomItem(r);
        }
        return switch (phase % 3) {
            case 0 -> r.nextInt(1 << 20);
            case 1 -> r.nextDouble();
            default -> randomItem(r);
        };
    }

    @Test
    void behavesAsArrayListUnderRandomOperations() {
        for (int seed = 0; seed < 20; seed++) {
            Random r = new Random(seed);
            List<Object> expected = new ArrayList<>();
            PyList actual = new PyList();
            int phase = 0;
            for (int step = 0; step < 60_000; step++) {
                if (step % 7000 == 0) {
                    phase++;
                }
                int op = r.nextInt(100);
                if (op < 80 || expected.isEmpty()) {
                    Object item = runItem(r, phase);
                    expected.add(item);
                    actual.add(item);
                } else if (op < 90) {
                    int i = r.nextInt(expected.size());
                    Object item = runItem(r, phase);
                    assertEquals(expected.set(i, item), actual.set(i, item));
                } else if (op < 94) {
                    int i = r.nextInt(expected.size() + 1);
                    Object item = runItem(r, phase);
                    expected.add(i, item);
                    actual.add(i, item);
                } else if (op < 98) {
                    int i = r.nextInt(expected.size());
                    assertEquals(expected.remove(i), actual.remove(i));
                } else {
                    int from = r.nextInt(expected.size());
                    int to = Math.min(expected.size(), from + r.nextInt(20_000));
                    expected.subList(from, to).clear();
                    actual.subList(from, to).clear();
                }
            }
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                Object e = expected.get(i);
                Object a = actual.get(i);
                assertEquals(e, a, "seed " + seed + " item " + i);
                if (e != null) {
                    assertEquals(e.getClass(), a.getClass(), "seed " + seed + " item " + i);
                }
            }
            assertEquals(expected, actual);
            assertEquals(actual, expected);
            assertEquals(expected.hashCode(), actual.hashCode());
        }
    }

    @Test
    void keepsEachIntAsTheTypeItWasGiven() {
        PyList list = new PyList();
        list.add(5);
        list.add(5L);
        list.add(1L << 40);
        list.add((short) 5);
        list.add(-0.0);
        list.add(Double.NaN);
        list.add(null);
        assertInstanceOf(Integer.class, list.get(0));
        assertInstanceOf(Long.class, list.get(1));
        assertEquals(1L << 40, list.get(2));
        assertInstanceOf(Short.class, list.get(3));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) list.get(4)));
        assertEquals(Double.NaN, list.get(5));
        assertNull(list.get(6));
    }

    @Test
    void crossesChunkEdges() {
        PyList list = new PyList();
        int n = 3 * PyList.CHUNK + 5;
        for (int i = 0; i < n; i++) {
            list.add(i == PyList.CHUNK ? (Object) "edge" : (Object) i);
        }
        assertEquals(n, list.size());
        assertEquals("edge", list.get(PyList.CHUNK));
        assertEquals(PyList.CHUNK - 1, list.get(PyList.CHUNK - 1));
        assertEquals(n - 1, list.get(n - 1));
        list.subList(10, n - 10).clear();
        assertEquals(20, list.size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), list.subList(0, 10));
        assertEquals(n - 10, list.get(10));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(20));
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(-1));
        list.clear();
        assertEquals(List.of(), list);
    }

    @Test
    void iteratorsFailFast() {
        PyList list = new PyList(List.of(1, 2, 3));
        Iterator<Object> it = list.iterator();
        it.next();
        list.add(4);
        assertThrows(ConcurrentModificationException.class, it::next);
    }

    @Test
    void serializesAsAnArrayList() throws Exception {
        PyList list = new PyList(List.of(1, 2.5, "three"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(list);
        }
        Object back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(ArrayList.class, back.getClass());
        assertEquals(list, back);
    }

    @Test
    void loadsCPythonsLongListsAndWritesBackCPythonsBytes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Python.is311(), "needs python3 (CPython 3.11), the oracle");
        int n = 3 * PyList.CHUNK;
        // Ints, floats and a string now and then, so that numeric chunks meet other items.
        String code = "import pickle,sys\n"
                + "items=[('s%d' % i) if i % 5000 == 0 else (i * 7919 if i % 2 == 0 else i / 7.0) for i in range(" + n + ")]\n"
                + "for p in range(6): sys.stdout.write(pickle.dumps(items, p).hex() + '\\n')\n";
        String[] lines = cpythonLines(code);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(i % 5000 == 0 ? (Object) ("s" + i) : i % 2 == 0 ? (Object) (i * 7919) : (Object) (i / 7.0));
        }
        for (int protocol = 0; protocol <= 5; protocol++) {
            byte[] cpython = java.util.HexFormat.of().parseHex(lines[protocol]);
            Object loaded = Pickle.loads(cpython);
            assertInstanceOf(PyList.class, loaded);
            // (assertTrue, not assertEquals: a failure would print 50k items)
            org.junit.jupiter.api.Assertions.assertTrue(items.equals(loaded), "protocol " + protocol);
            org.junit.jupiter.api.Assertions.assertTrue(java.util.Arrays.equals(cpython, Pickle.dumps(loaded, protocol)),
                    "protocol " + protocol);
        }
    }

    @Test
    void writesNumericChunksWithOtherItemsAmongThemAsCPythonDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Python.is311(), "needs python3 (CPython 3.11), the oracle");
        int n = 2 * PyList.CHUNK;
        // Chunk 0 mostly ints, chunk 1 mostly floats; now and then a big int, None, a string, a
        // nested list and a float among the ints (fewer than 1 in 8: the chunks stay numeric).
        String code = "import pickle,sys\n"
                + "def item(i):\n"
                + "  if i == 0: return 7\n" // the first item makes the chunk a long one
                + "  if i % 97 == 0: return 2**70 + i\n"
                + "  if i % 101 == 0: return None\n"
                + "  if i % 103 == 0: return 's%d' % i\n"
                + "  if i % 107 == 0: return [i]\n"
                + "  if i % 109 == 0: return i * 10 if i >= " + PyList.CHUNK + " else i + 0.5\n"
                + "  return i * 7919 if i < " + PyList.CHUNK + " else i / 7.0\n"
                + "items=[item(i) for i in range(" + n + ")]\n"
                + "for p in range(6): sys.stdout.write(pickle.dumps(items, p).hex() + '\\n')\n";
        String[] lines = cpythonLines(code);
        for (int protocol = 0; protocol <= 5; protocol++) {
            byte[] cpython = java.util.HexFormat.of().parseHex(lines[protocol]);
            Object loaded = Pickle.loads(cpython);
            assertInstanceOf(PyList.class, loaded);
            org.junit.jupiter.api.Assertions.assertTrue(java.util.Arrays.equals(cpython, Pickle.dumps(loaded, protocol)),
                    "protocol " + protocol);
        }
    }

    /** The lines python3 prints running the code (the pickles' hex, one protocol a line). */
    private static String[] cpythonLines(String code) throws Exception {
        Process python = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
        python.getOutputStream().close();
        String[] lines = new String(python.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
        assertEquals(0, python.waitFor(), lines[0]);
        return lines;
    }
}
