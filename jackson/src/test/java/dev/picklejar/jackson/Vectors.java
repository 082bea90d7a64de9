package dev.picklejar.jackson;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** The pickles make_binding_vectors.py had CPython write (src/test/resources/binding.tsv). */
final class Vectors {
    private static final Map<String, byte[]> CPYTHON = load();

    private Vectors() {
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> map = new HashMap<>();
        try (InputStream in = Vectors.class.getResourceAsStream("/binding.tsv")) {
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                String[] f = line.split("\t");
                map.put(f[0] + "@" + f[1], HexFormat.of().parseHex(f[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }

    /** CPython's pickle.dumps of the named value at a protocol. */
    static byte[] cpython(String name, int protocol) {
        byte[] b = CPYTHON.get(name + "@" + protocol);
        if (b == null) {
            throw new IllegalArgumentException("no vector " + name + " at protocol " + protocol);
        }
        return b;
    }
}
