package dev.picklejar.jackson;

import dev.picklejar.PyArray;
import dev.picklejar.PyByteArray;
import dev.picklejar.PyEnumMember;
import dev.picklejar.PyFraction;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import dev.picklejar.Repr;
import dev.picklejar.numpy.NdArray;
import dev.picklejar.numpy.NumpyScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a loaded Python value reads as data: the inert {@link PyObject} instances that picklejar's
 * core gives for classes it has no Java type for are seen through their state, the way the
 * instance's attributes are seen in Python. Nothing is executed: only the pickle's own data is used.
 */
final class PythonValues {
    private PythonValues() {
    }

    /**
     * The data of a value: a {@code Map} for an instance with attributes (dict state, slots state
     * {@code (None, {...})}, pydantic's {@code {'__dict__': {...}, ...}}), a {@code List} for a
     * namedtuple or tuple/list subclass (its items by position), for a numpy array (its items,
     * nested by dimension) and an {@code array.array}, the value of an {@code Enum} member pickled
     * by value ({@code Color(value)}) and the name of one pickled by name, a numpy scalar's number,
     * a Fraction's float; any other value unchanged.
     */
    static Object data(Object value) {
        if (!(value instanceof PyObject o)) {
            return standardData(value);
        }
        if (o.hasState()) {
            Map<Object, Object> attributes = attributes(o.state());
            if (attributes != null) {
                return attributes;
            }
        }
        if (!o.listItems().isEmpty()) {
            return o.listItems();
        }
        if (!o.dictItems().isEmpty()) {
            Map<Object, Object> items = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> e : o.dictItems()) {
                items.put(e.getKey(), e.getValue());
            }
            return items;
        }
        PyTuple args = o.args();
        if (isReconstructor(o.callable()) && args.size() == 3) {
            // copyreg._reconstructor(cls, base, state), how protocols 0 and 1 write instances and tuple subclasses.
            Object baseState = args.get(2);
            return baseState instanceof List<?> ? baseState : Map.of();
        }
        if (o.construction() == PyObject.Construction.REDUCE && args.size() == 1) {
            return args.get(0);   // Enum members pickle as Color(value)
        }
        return args.isEmpty() ? Map.of() : args;
    }

    /** The data of the value types core gives for numpy and the standard library. */
    private static Object standardData(Object value) {
        if (value instanceof NdArray a) {
            return array(a);
        }
        if (value instanceof NumpyScalar s) {
            return number(s.value());
        }
        if (value instanceof PyEnumMember m) {
            return m.name();   // getattr(Color, 'RED'): the member's name, which names the Java constant
        }
        if (value instanceof PyArray a) {
            List<Object> items = new ArrayList<>(a.length());
            for (int i = 0; i < a.length(); i++) {
                items.add(number(a.item(i)));
            }
            return items;
        }
        if (value instanceof PyFraction f) {
            return f.doubleValue();
        }
        return value;
    }

    /** A numpy array's items as nested lists, one level per dimension, in C order. */
    private static Object array(NdArray a) {
        int[] shape = a.shape();
        if (shape.length == 0) {
            return number(a.getFlat(0));
        }
        Object[] flat = new Object[a.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = number(a.getFlat(i));
        }
        return nest(flat, shape, 0, 0);
    }

    private static List<Object> nest(Object[] flat, int[] shape, int dim, int base) {
        int stride = 1;
        for (int i = dim + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        List<Object> out = new ArrayList<>(shape[dim]);
        for (int i = 0; i < shape[dim]; i++) {
            int at = base + i * stride;
            out.add(dim == shape.length - 1 ? flat[at] : nest(flat, shape, dim + 1, at));
        }
        return out;
    }

    /** Numbers as Python has them: a float is a Double, a small int an Integer. */
    private static Object number(Object v) {
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        return v;
    }

    /** The attributes of an instance from the state BUILD gave it, or null when the state is not attributes. */
    @SuppressWarnings("unchecked")
    private static Map<Object, Object> attributes(Object state) {
        if (state instanceof Map<?, ?> dict) {
            if (dict.get("__dict__") instanceof Map<?, ?> inner
                    && (dict.containsKey("__pydantic_fields_set__") || dict.containsKey("__fields_set__"))) {
                return (Map<Object, Object>) inner;   // pydantic v2 and v1 models
            }
            return (Map<Object, Object>) dict;
        }
        if (state instanceof List<?> pair && pair.size() == 2
                && (pair.get(0) == null || pair.get(0) instanceof Map) && pair.get(1) instanceof Map<?, ?> slots) {
            // (dict or None, slots): a class with __slots__, dataclass(slots=True) among them
            Map<Object, Object> merged = new LinkedHashMap<>();
            if (pair.get(0) instanceof Map<?, ?> dict) {
                merged.putAll(dict);
            }
            merged.putAll(slots);
            return merged;
        }
        return null;
    }

    /** The Python class an instance belongs to, as {@code module.qualname}, or null for other values. */
    static String pythonClass(Object value) {
        if (!(value instanceof PyObject o)) {
            return null;
        }
        Object cls = o.callable();
        if (isReconstructor(cls) && o.args().size() == 3) {
            cls = o.args().get(0);
        }
        return cls instanceof PyGlobal g ? g.module() + "." + g.name() : null;
    }

    private static boolean isReconstructor(Object callable) {
        return callable instanceof PyGlobal g && g.name().equals("_reconstructor")
                && (g.module().equals("copyreg") || g.module().equals("copy_reg"));
    }

    /** A dict key as a property name: a str as it is, any other key as Python's repr() spells it. */
    static String keyName(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Integer || key instanceof Long || key instanceof java.math.BigInteger) {
            return key.toString();
        }
        return Repr.of(key);
    }

    /** The bytes of a bytes or bytearray value, or null. */
    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof PyByteArray b) {
            return b.bytes();
        }
        return null;
    }
}
