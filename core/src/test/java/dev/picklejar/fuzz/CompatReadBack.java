package dev.picklejar.fuzz;

import dev.picklejar.PyFrozenSet;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * value itself when no global is renamed. Values of other types (numpy's, torch's) are kept as
     * they are.
     */
    static Object readBackAll(Object value) {
        Copier copier = new Copier();
        Object copy = copier.copy(value);
        return copier.renamed ? copy : value;
    }

    private static final class Copier {
        private final Map<Object, Object> copies = new IdentityHashMap<>();
        private boolean renamed;

        Object copy(Object v) {
            if (v == null) {
                return null;
            }
            Object done = copies.get(v);
            if (done != null) {
                return done;
            }
            if (v instanceof PyGlobal g) {
                PyGlobal r = readBack(g);
                renamed |= !r.equals(g);
                Object c = r.equals(g) ? g : r;
                copies.put(v, c);
                return c;
            }
            if (v instanceof PyTuple t) {
                // Immutable: a cycle through a tuple refers back to the original, which is rare enough.
                copies.put(v, v);
                List<Object> items = new ArrayList<>(t.size());
                for (Object item : t) {
                    items.add(copy(item));
                }
                PyTuple c = PyTuple.copyOf(items);
                copies.put(v, c);
                return c;
            }
            if (v instanceof PyFrozenSet s) {
                copies.put(v, v);
                List<Object> items = new ArrayList<>(s.size());
                for (Object item : s) {
                    items.add(copy(item));
                }
                PyFrozenSet c = PyFrozenSet.copyOf(items);
                copies.put(v, c);
                return c;
            }
            if (v instanceof PyObject o) {
                return copyObject(o);
            }
            if (v instanceof List<?> list) {
                List<Object> c = new ArrayList<>(list.size());
                copies.put(v, c);
                for (Object item : list) {
                    c.add(copy(item));
                }
                return c;
            }
            if (v instanceof Map<?, ?> map) {
                Map<Object, Object> c = new LinkedHashMap<>();
                copies.put(v, c);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    c.put(copy(e.getKey()), copy(e.getValue()));
                }
                return c;
            }
            if (v instanceof Set<?> set) {
                Set<Object> c = new LinkedHashSet<>();
                copies.put(v, c);
                for (Object item : set) {
                    c.add(copy(item));
                }
                return c;
            }
            return v;
        }

        private PyObject copyObject(PyObject o) {
            // A cycle through the arguments (a list in them that holds the object) refers back to the original.
            copies.put(o, o);
            Object callable = copy(o.callable());
            PyTuple args = (PyTuple) copy(o.args());
            PyObject c = switch (o.construction()) {
                case REDUCE -> PyObject.reduce(callable, args);
                case NEWOBJ -> PyObject.newObj(callable, args);
                case NEWOBJ_EX -> PyObject.newObjEx(callable, args, copy(o.kwargs()));
                case INST, OBJ -> PyObject.instance(callable, args, o.construction());
            };
            copies.put(o, c);
            for (Object item : o.listItems()) {
                c.appendItem(copy(item));
            }
            for (Map.Entry<Object, Object> e : o.dictItems()) {
                c.putItem(copy(e.getKey()), copy(e.getValue()));
            }
            for (Object item : o.setItems()) {
                c.addItem(copy(item));
            }
            if (o.hasState()) {
                Object state = copy(o.state());
                if (o.stateSetter() != null) {
                    c.setState(state, copy(o.stateSetter()));
                } else {
                    c.setState(state);
                }
            }
            return c;
        }
    }
}
