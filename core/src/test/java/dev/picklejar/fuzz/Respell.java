package dev.picklejar.fuzz;

import dev.picklejar.PyFrozenSet;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyList;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A loaded value copied under another of CPython's spellings of the same Python value, for the
 * roundTrip fuzz target to compare values rather than parse their reprs (a global's name is printed
 * as it is, so a class named {@code vector_clas(es.Record}, found by the target, defeats any parse).
 * Sharing and cycles are kept; values of other types (numpy's, torch's) are kept as they are; the
 * value itself comes back when nothing is respelled.
 */
final class Respell {
    private static final PyGlobal RECONSTRUCTOR = new PyGlobal("copyreg", "_reconstructor");
    private static final PyGlobal OBJECT = new PyGlobal("builtins", "object");
    private static final PyGlobal OBJECT_2 = new PyGlobal("__builtin__", "object");
    private static final PyGlobal DICT = new PyGlobal("builtins", "dict");
    private static final PyGlobal DICT_2 = new PyGlobal("__builtin__", "dict");
    private static final PyGlobal LIST = new PyGlobal("builtins", "list");
    private static final PyGlobal LIST_2 = new PyGlobal("__builtin__", "list");

    private Respell() {
    }

    /** {@code value} with every global replaced by {@code rename}'s answer. */
    static Object globals(Object value, UnaryOperator<PyGlobal> rename) {
        return new Copier(rename, false).result(value);
    }

    /**
     * {@code value} with every {@code copyreg._reconstructor(cls, object, None)} as {@code cls.__new__(cls)}
     * (NEWOBJ with no arguments), its state and items kept, and {@code _reconstructor(cls, dict, items)}
     * (or list) as that with those items: the spelling below protocol 2 (what
     * CPython's {@code copyreg._reduce_ex} gives) and from it of the same object.
     */
    static Object reconstructorsAsNewObj(Object value) {
        return new Copier(UnaryOperator.identity(), true).result(value);
    }

    private static final class Copier {
        private final UnaryOperator<PyGlobal> rename;
        private final boolean newObj;
        private final Map<Object, Object> copies = new IdentityHashMap<>();
        private boolean changed;

        Copier(UnaryOperator<PyGlobal> rename, boolean newObj) {
            this.rename = rename;
            this.newObj = newObj;
        }

        Object result(Object value) {
            Object copy = copy(value);
            return changed ? copy : value;
        }

        Object copy(Object v) {
            if (v == null) {
                return null;
            }
            Object done = copies.get(v);
            if (done != null) {
                return done;
            }
            if (v instanceof PyGlobal g) {
                PyGlobal r = rename.apply(g);
                Object c = r.equals(g) ? g : r;
                changed |= c != g;
                copies.put(v, c);
                return c;
            }
            if (v instanceof PyTuple t) {
                // Immutable: a cycle through a tuple refers back to the original, which is rare enough.
                copies.put(v, v);
                PyTuple c = PyTuple.copyOf(copyAll(t));
                copies.put(v, c);
                return c;
            }
            if (v instanceof PyFrozenSet s) {
                copies.put(v, v);
                PyFrozenSet c = PyFrozenSet.copyOf(copyAll(s));
                copies.put(v, c);
                return c;
            }
            if (v instanceof PyObject o) {
                return copyObject(o);
            }
            if (v instanceof List<?> list) {
                List<Object> c = new PyList();
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

        private List<Object> copyAll(Iterable<?> items) {
            List<Object> c = new ArrayList<>();
            for (Object item : items) {
                c.add(copy(item));
            }
            return c;
        }

        private PyObject copyObject(PyObject o) {
            // A cycle through the arguments (a list in them that holds the object) refers back to the original.
            copies.put(o, o);
            PyObject c;
            Object baseState = o.args().size() == 3 ? o.args().get(2) : null;
            if (newObj && isReconstruction(o)) {
                changed = true;
                c = PyObject.newObj(copy(o.args().get(0)), PyTuple.EMPTY);
                // A dict or list subclass: copyreg._reduce_ex passes the items as the base's state,
                // _reconstructor(cls, dict, dict(obj)), which dict.__init__ puts in (found by the target).
                if (baseState instanceof Map<?, ?> items) {
                    for (Map.Entry<?, ?> e : items.entrySet()) {
                        c.putItem(copy(e.getKey()), copy(e.getValue()));
                    }
                } else if (baseState instanceof List<?> items) {
                    for (Object item : items) {
                        c.appendItem(copy(item));
                    }
                }
            } else {
                Object callable = copy(o.callable());
                PyTuple args = (PyTuple) copy(o.args());
                c = switch (o.construction()) {
                    case REDUCE -> PyObject.reduce(callable, args);
                    case NEWOBJ -> PyObject.newObj(callable, args);
                    case NEWOBJ_EX -> PyObject.newObjEx(callable, args, copy(o.kwargs()));
                    case INST, OBJ -> PyObject.instance(callable, args, o.construction());
                };
            }
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

        private static boolean isReconstruction(PyObject o) {
            PyTuple args = o.args();
            if (o.construction() != PyObject.Construction.REDUCE || !RECONSTRUCTOR.equals(o.callable())
                    || args.size() != 3) {
                return false;
            }
            Object base = args.get(1);
            Object state = args.get(2);
            return (OBJECT.equals(base) || OBJECT_2.equals(base)) && state == null
                    || (DICT.equals(base) || DICT_2.equals(base)) && state instanceof Map && o.dictItems().isEmpty()
                    || (LIST.equals(base) || LIST_2.equals(base)) && state instanceof List
                            && !(state instanceof PyTuple) && o.listItems().isEmpty();
        }
    }
}
