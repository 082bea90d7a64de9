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

    /** The Python type name of a value, for error messages. */
    static String typeName(Object value) {
        return PythonTypes.nameOf(value);
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
