package dev.picklejar.access;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.picklejar.Pickler;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records that picklejar's package cannot see by the language's rules (declared in a method here,
 * in another package) are written all the same, as the README's own example does.
 */
class RecordAccessTest {
    @Test
    void aRecordDeclaredInAMethodIsWrittenAsCPythonWritesTheDataclass() throws IOException {
        record Point(int x, Object y) {
        }
        for (int p = 0; p <= 5; p++) {
            Pickler pickler = Pickler.builder().protocol(p).registerRecord(Point.class, "geometry", "Point").build();
            assertArrayEquals(cpython("records", p), pickler.dumps(List.of(new Point(1, 2), new Point(3, "three"))),
                    "protocol " + p);
        }
    }

    @Test
    void aPackagePrivateRecordIsWrittenToo() throws IOException {
        assertArrayEquals(cpython("records", 2), Pickler.builder().protocol(2)
                .registerRecord(Hidden.class, "geometry", "Point").build()
                .dumps(List.of(new Hidden(1, 2), new Hidden(3, "three"))));
    }

    record Hidden(int x, Object y) {
    }

    /** The bytes make_pickler_examples.py had CPython write (core's committed vectors). */
    private static byte[] cpython(String name, int protocol) throws IOException {
        try (InputStream in = RecordAccessTest.class.getResourceAsStream("/vectors/pickler.tsv")) {
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                String[] f = line.split("\t");
                if (f[0].equals(name) && f[1].equals(Integer.toString(protocol))) {
                    return HexFormat.of().parseHex(f[2]);
                }
            }
        }
        throw new IllegalStateException("no vector " + name + "@" + protocol);
    }
}
