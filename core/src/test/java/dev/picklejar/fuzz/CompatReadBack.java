package dev.picklejar.fuzz;

import dev.picklejar.PyGlobal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The names CPython reads back, below protocol 3, for the globals it wrote: its pickler spells a
 * global in Python 2 (CPython's {@code Lib/_compat_pickle.py}, REVERSE_NAME_MAPPING, else
 * REVERSE_IMPORT_MAPPING) and its unpickler reads Python 2 names as Python 3 (NAME_MAPPING, else
 * IMPORT_MAPPING). Those mappings are not all mutual: {@code _socket.socket} is written as
 * {@code socket._socketobject} and read as {@code socket.SocketType}, another name of the same class.
 * The facts are {@code compat-pickle-readback.tsv}, made from CPython's module by
 * {@code tools/gen_compat_readback.py}, never from picklejar's own tables (the code under test).
 */
final class CompatReadBack {
    private static final Map<PyGlobal, PyGlobal> NAMES = new HashMap<>();
    private static final Map<String, String> MODULES = new HashMap<>();

    static {
        try (InputStream in = CompatReadBack.class.getResourceAsStream("compat-pickle-readback.tsv")) {
            if (in == null) {
                throw new IllegalStateException("compat-pickle-readback.tsv is not on the class path");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] f = line.split("\t");
                if (f[0].equals("name")) {
                    NAMES.put(new PyGlobal(f[1], f[2]), new PyGlobal(f[3], f[4]));
                } else {
                    MODULES.put(f[1], f[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CompatReadBack() {
    }

    /**
     * The global CPython reads back after writing {@code g} below protocol 3. A nested name
     * ({@code m.Outer.Inner}) is written as getattr calls on its outermost global, which alone is renamed.
     */
    static PyGlobal readBack(PyGlobal g) {
        String name = g.name();
        int dot = name.indexOf('.');
        String rest = "";
        if (dot > 0 && !name.endsWith(".") && !name.contains("..")) {
            rest = name.substring(dot);
            name = name.substring(0, dot);
        }
        PyGlobal renamed = NAMES.get(new PyGlobal(g.module(), name));
        if (renamed == null) {
            String module = MODULES.get(g.module());
            if (module == null) {
                return g;
            }
            renamed = new PyGlobal(module, name);
        }
        return new PyGlobal(renamed.module(), renamed.name() + rest);
    }

    /**
     * {@code value} with every global replaced by {@link #readBack}, sharing and cycles kept: the
     * value itself when no global is renamed.
     */
    static Object readBackAll(Object value) {
        return Respell.globals(value, CompatReadBack::readBack);
    }
}
