package dev.picklejar;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Python value semantics on Java values: hashability, equality and hashing of keys. */
final class Values {
    private Values() {
    }

    /** How deeply tuples and frozensets nest inside the value (0 for anything else). */
    static int nesting(Object value) {
        if (value instanceof PyTuple t) {
            return t.nesting();
        }
        if (value instanceof PyFrozenSet f) {
            return f.nesting();
        }
        return 0;
    }

    /** Whether Python could use the value as a dict key or set member. */
    static boolean isHashable(Object value) {
        if (value instanceof PyTuple t) {
            return t.isHashable();
        }
        if (value instanceof PyFrozenSet) {
            return true;
        }
        return !(value instanceof List || value instanceof Map || value instanceof Set
                || value instanceof PyByteArray || value instanceof PyArray);
    }

    /** The Python type name of an unhashable value, for error messages. */
    static String typeName(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof PyTuple) {
            return "tuple";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "dict";
        }
        if (value instanceof PyFrozenSet) {
            return "frozenset";
        }
        if (value instanceof Set) {
            return "set";
        }
        if (value instanceof PyByteArray) {
            return "bytearray";
        }
        if (value instanceof PyArray) {
            return "array.array";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof Number) {
            return "int";
        }
        if (value instanceof PyObject o) {
            return o.callable() instanceof PyGlobal g ? g.toString() : "object";
        }
        return value.getClass().getSimpleName();
    }

    static boolean pyEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    static int pyHash(Object a) {
        if (a instanceof byte[] x) {
            return Arrays.hashCode(x);
        }
        return Objects.hashCode(a);
    }
}
