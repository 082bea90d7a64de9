package dev.picklejar;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made and converted pickles that must write back as CPython writes them (or be refused as CPython refuses). */
class WriterRoundTripTest {
    private static final Path VECTORS = Path.of("src/test/resources/vectors/downgrade.tsv");

    @Test
    void aGlobalWhoseNameHasAnEmptyPartWritesBackAsTheSameGlobal() {
        // Only a hand-made GLOBAL names 'x.': CPython writes a nested name as getattr(parent, last).
        for (String name : List.of("x.", ".x", "a..b")) {
            for (int protocol = 0; protocol <= 1; protocol++) {
                String pickle = "cm\n" + name + "\n" + (protocol == 0 ? "p0\n" : "q\0") + ".";
                Object loaded = Pickle.loads(pickle.getBytes(ISO_8859_1));
                assertEquals(new PyGlobal("m", name), loaded);
                assertEquals(pickle, new String(Pickle.dumps(loaded, protocol), ISO_8859_1), name);
            }
        }
        // A real nested name still takes CPython's getattr form below protocol 4.
        assertEquals("c__builtin__\ngetattr\np0\n(cm\nA\np1\nVB\np2\ntp3\nRp4\n.",
                new String(Pickle.dumps(new PyGlobal("m", "A.B"), 0), ISO_8859_1));
    }

    @Test
    void anObjectWhoseItemsHaveAnUnhashableKeyIsNoDictSubclassAndIsRefusedBelowProtocol2() {
        // Hand-made (found by the roundTrip fuzz target): m.C() then obj[[]] = 1, which a class with its own
        // __setitem__ takes. Below protocol 2 only a dict subclass keeps its items, as _reconstructor(cls,
        // dict, {items}), and that dict could not be loaded; CPython would pickle such an object without them.
        byte[] pickle = "\u0080\u0002cm\nC\nq\u0000)\u0081q\u0001]q\u0002K\u0001s.".getBytes(ISO_8859_1);
        Object loaded = Pickle.loads(pickle);
        for (int protocol = 0; protocol <= 1; protocol++) {
            try {
                Pickle.dumps(loaded, protocol);
                fail("written at protocol " + protocol);
            } catch (PicklingException e) {
                assertTrue(e.getMessage().contains("unhashable type 'list'"), e.getMessage());
            }
        }
        assertEquals(HexFormat.of().formatHex(pickle), HexFormat.of().formatHex(Pickle.dumps(loaded, 2)));
    }

    @Test
    void aGlobalWhoseNameHoldsANewlineIsRefusedBelowProtocol4() {
        // Only STACK_GLOBAL can name it (found by the roundTrip fuzz target): a GLOBAL line would end there.
        PyGlobal g = new PyGlobal("_socket\nsocket", "Outer.Inner");
        assertEquals(g, Pickle.loads(Pickle.dumps(g, 4)));
        for (int protocol = 0; protocol <= 3; protocol++) {
            int p = protocol;
            PicklingException e = org.junit.jupiter.api.Assertions.assertThrows(PicklingException.class,
                    () -> Pickle.dumps(g, p));
            assertTrue(e.getMessage().contains("holds a newline"), e.getMessage());
        }
    }

    @Test
    void subclassesAndSlotsGoDownToProtocols0And1AsCPythonWritesThem() throws Exception {
        List<String> lines = Files.readAllLines(VECTORS).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(5, lines.size());
        for (String line : lines) {
            String[] c = line.split("\t");
            Object loaded = Pickle.loads(HexFormat.of().parseHex(c[1]));
            for (int protocol = 0; protocol <= 1; protocol++) {
                String expected = c[2 + protocol];
                if (expected.startsWith("!")) {
                    try {
                        Pickle.dumps(loaded, protocol);
                        fail(c[0] + " at protocol " + protocol + ": CPython raises TypeError: " + expected.substring(1));
                    } catch (PicklingException e) {
                        assertTrue(e.getMessage().contains(expected.substring(1)), e.getMessage());
                    }
                } else {
                    assertEquals(expected, HexFormat.of().formatHex(Pickle.dumps(loaded, protocol)),
                            c[0] + " at protocol " + protocol);
                }
            }
        }
    }

    @Test
    void theVectorsAreWhatCPythonWrites(@TempDir Path dir) throws Exception {
        assumeTrue(Python.is311(), "needs python3 (CPython 3.11) on the PATH");
        Python.assertScriptRewrites(Path.of("src/test/python/make_downgrade_vectors.py"), VECTORS, dir);
    }
}
