package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Repr#abbreviated} against CPython's {@code reprlib.repr}, and the bounded {@link Repr#of(Object, long)}. */
class ReprAbbreviatedTest {
    /**
     * Values whose reprlib form does not depend on reprlib's sorting of dict keys and set items
     * (picklejar keeps stream order): python3 prints the pickle of each, then its reprlib.repr.
     */
    private static final String ORACLE = """
            import pickle, reprlib, datetime, collections
            values = [
                list(range(10)), (1, 2, 3, 4, 5, 6, 7), (1,), [], 'x' * 100, 'short', "it's" * 20,
                'é' * 40, 2 ** 200, -2 ** 200, 2 ** 3000, -7 ** 2000, 12345, b'\\x00' * 100, b'abc', b"'" * 80,
                b"'\\"" * 40, bytearray(b'a' * 50), {'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5}, 1.5, None, True,
                [[[[[[[[1]]]]]]]], [[1, [2, [3, [4, [5, [6, [7]]]]]]]], frozenset(range(10)), set(range(10)),
                datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), ['a' * 40, [b'b' * 40, ('c' * 40,)]],
                {'k': list(range(20))}, 10 ** 39, 10 ** 40, -(10 ** 39),
            ]
            for v in values:
                print(pickle.dumps(v, 4).hex(), reprlib.repr(v), sep='\\t')
            """;

    @Test
    void abbreviatesAsReprlibDoes() throws Exception {
        assumeTrue(Python.is311(), "needs python3 (CPython 3.11) on the PATH");
        Process p = new ProcessBuilder("python3", "-c", ORACLE).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        List<String> lines = out.lines().toList();
        assertEquals(32, lines.size(), out);
        for (String line : lines) {
            String[] columns = line.split("\t", 2);
            Object value = Pickle.loads(HexFormat.of().parseHex(columns[0]));
            assertEquals(columns[1], Repr.abbreviated(value));
        }
    }

    /** A list holding one list twice, {@code levels} deep: 2**levels leaves from a few hundred bytes. */
    static List<Object> dag(int levels) {
        List<Object> v = new ArrayList<>(List.of(1));
        for (int i = 0; i < levels; i++) {
            List<Object> next = new ArrayList<>();
            next.add(v);
            next.add(v);
            v = next;
        }
        return v;
    }

    @Test
    void anExponentialDagAbbreviatesToAShortLine() {
        String line = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Repr.abbreviated(dag(60)));
        assertTrue(line.length() < 4000, line);
        assertTrue(line.startsWith("[[[[[[[...], [...]], "), line);
    }

    @Test
    void aNodeBudgetBoundsWideValues() {
        List<Object> wide = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<Object> row = new ArrayList<>();
            for (int j = 0; j < 6; j++) {
                row.add(List.of(List.of(List.of(List.of("x".repeat(100))))));
            }
            wide.add(row);
        }
        String line = Repr.abbreviated(wide);
        assertTrue(line.length() < Repr.NODE_BUDGET * 40, line.length() + " " + line);
        assertTrue(line.contains("..."));
    }

    @Test
    void aBoundedFullReprRefusesAnExponentialDagQuickly() {
        Repr.TooLongException e = assertThrows(Repr.TooLongException.class,
                () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Repr.of(dag(60), 1_000_000)));
        assertEquals("its repr is longer than 1000000 characters (shared values repeat in a repr, as many times "
                + "as they are reached)", e.getMessage());
        assertEquals("[[[1], [1]], [[1], [1]]]", Repr.of(dag(2), 24));
        assertThrows(Repr.TooLongException.class, () -> Repr.of(dag(2), 23));
    }
}
