package dev.picklejar;

import java.util.Map;

/**
 * What the scanner needs to know of a pickled {@code numpy.dtype} (as numpy pickles it: called with
 * its type string, such as {@code 'f8'} or {@code 'O8'}, then given a state tuple
 * {@code (version, byteorder, subarray, names, fields, elsize, alignment, flags)}): whether it holds
 * Python objects, and how many bytes one item takes. Used to skip the raw bytes that joblib keeps
 * after each array, as joblib itself reads them.
 */
final class NumpyDtypes {
    private static final int MAX_NESTING = 32;

    private NumpyDtypes() {
    }

    /** Whether arrays of this dtype hold Python objects (numpy's {@code dtype.hasobject}). */
    static boolean hasObject(Object dtype) {
        return hasObject(dtype, 0);
    }

    private static boolean hasObject(Object dtype, int depth) {
        if (depth > MAX_NESTING || !(dtype instanceof PyObject d)) {
            return false;
        }
        String type = typeString(d);
        if (type != null && type.startsWith("O")) {
            return true;
        }
        if (d.state() instanceof PyTuple state && state.size() >= 5) {
            if (state.get(2) instanceof PyTuple subarray && !subarray.isEmpty() && hasObject(subarray.get(0), depth + 1)) {
                return true;
            }
            if (state.get(4) instanceof Map<?, ?> fields) {
                for (Object field : fields.values()) {
                    if (field instanceof PyTuple f && !f.isEmpty() && hasObject(f.get(0), depth + 1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Bytes per item, or -1 when the dtype is not one numpy writes. */
    static long itemSize(Object dtype) {
        if (!(dtype instanceof PyObject d)) {
            return -1;
        }
        if (d.state() instanceof PyTuple state && state.size() >= 6 && state.get(5) instanceof Number elsize
                && elsize.longValue() > 0) {
            return elsize.longValue();
        }
        String type = typeString(d);
        if (type == null) {
            return -1;
        }
        int i = 0;
        while (i < type.length() && !Character.isDigit(type.charAt(i))) {
            i++;
        }
        if (i == type.length() || type.length() - i > 9) {
            return -1;
        }
        long size = Long.parseLong(type.substring(i));
        return type.startsWith("U") ? size * 4 : size;
    }

    private static String typeString(PyObject d) {
        if (!(d.callable() instanceof PyGlobal g) || !g.name().equals("dtype") || !g.module().startsWith("numpy")
                || d.args().isEmpty() || !(d.args().get(0) instanceof String type)) {
            return null;
        }
        return type;
    }
}
