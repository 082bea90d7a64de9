package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The writer against CPython's own bytes: every pickle CPython wrote in {@code vectors/reader.tsv},
 * loaded and written again at its protocol, gives back the very same bytes; and the built-in and
 * standard-library values, written at every other protocol, give what CPython wrote there.
 */
class WriterVectorsTest {
    private static boolean cpythonWrote(ReaderVectorsTest.Vector v) {
        return v.protocol().length() == 1 && !v.expectsFailure();
    }

    @Test
    void everyCPythonPickleIsWrittenBackToTheSameBytes() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (ReaderVectorsTest.Vector v : ReaderVectorsTest.readVectors()) {
            if (!cpythonWrote(v)) {
                continue;
            }
            checked++;
            int protocol = Integer.parseInt(v.protocol());
            Object value = reader(v).loads(v.pickle());
            compare(v.displayName(), v.pickle(), writer(v, protocol).dumps(value), failures);
        }
        assertTrue(checked > 1400, "only " + checked + " vectors");
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " differ:\n" + String.join("\n",
                failures.subList(0, Math.min(20, failures.size()))));
    }

    @Test
    void standardValuesWrittenAtAnotherProtocolAreWhatCPythonWritesThere() throws IOException {
        Map<String, ReaderVectorsTest.Vector[]> byName = new LinkedHashMap<>();
        for (ReaderVectorsTest.Vector v : ReaderVectorsTest.readVectors()) {
            if (cpythonWrote(v) && v.check().equals("repr") && !v.name().contains(":")) {
                byName.computeIfAbsent(v.name(), k -> new ReaderVectorsTest.Vector[6])[Integer.parseInt(v.protocol())] = v;
            }
        }
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (ReaderVectorsTest.Vector[] versions : byName.values()) {
            for (ReaderVectorsTest.Vector from : versions) {
                if (from == null) {
                    continue;
                }
                Object value = from.unpickler().loads(from.pickle());
                int source = Integer.parseInt(from.protocol());
                for (int to = 0; to <= 5; to++) {
                    // Below protocol 4 CPython drops a datetime's fold, so the source cannot give it back.
                    boolean lost = from.name().contains("fold") && source < 4 && to >= 4;
                    if (versions[to] != null && to != source && !lost) {
                        checked++;
                        compare(from.displayName() + " written at protocol " + to, versions[to].pickle(),
                                Pickler.standard(to).dumps(value), failures);
                    }
                }
            }
        }
        assertTrue(checked > 5000, "only " + checked + " conversions");
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " differ:\n" + String.join("\n",
                failures.subList(0, Math.min(20, failures.size()))));
    }

    /** The vector's reader, with out-of-band buffers given as PickleBuffers so that they can go back out of band. */
    private static Unpickler reader(ReaderVectorsTest.Vector v) {
        Unpickler u = v.unpickler();
        if (u.buffers() == null) {
            return u;
        }
        List<Object> buffers = new ArrayList<>();
        for (Object b : u.buffers()) {
            buffers.add(PickleBuffer.writable((byte[]) b));
        }
        return u.toBuilder().buffers(buffers).build();
    }

    /** A pickler configured as the vector's name says: extension registry, persistent ids, buffers. */
    private static Pickler writer(ReaderVectorsTest.Vector v, int protocol) {
        Pickler.Builder b = Pickler.builder().protocol(protocol);
        if (v.name().startsWith("ext:")) {
            v.unpickler().extensions().forEach((code, global) -> b.extension(global, code));
        }
        if (v.name().startsWith("buffers:")) {
            b.bufferCallback(buffer -> false);
        }
        if (v.name().startsWith("persid:")) {
            // The reader's hook turns a persistent id into ('persistent', pid); this turns it back.
            b.persistentId(o -> o instanceof PyTuple t && t.size() == 2 && "persistent".equals(t.get(0)) ? t.get(1) : null);
        }
        return b.build();
    }

    static void compare(String what, byte[] expected, byte[] actual, List<String> failures) {
        if (java.util.Arrays.equals(expected, actual)) {
            return;
        }
        int at = 0;
        while (at < expected.length && at < actual.length && expected[at] == actual[at]) {
            at++;
        }
        HexFormat hex = HexFormat.of();
        failures.add(what + ": differs at byte " + at + " (lengths " + expected.length + " and " + actual.length
                + ")\n    CPython   ..." + hex.formatHex(expected, Math.max(0, at - 8), Math.min(expected.length, at + 24))
                + "\n    picklejar ..." + hex.formatHex(actual, Math.max(0, at - 8), Math.min(actual.length, at + 24)));
    }
}
