package dev.picklejar.jackson;

import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * numpy arrays of numbers and booleans, read from the inert form a pickle gives them (numpy's own
 * {@code _reconstruct} + state of protocols 0–4, {@code _frombuffer} of protocol 5) as nested
 * lists of Java numbers, one level per dimension, so that they bind to {@code double[]},
 * {@code int[][]}, {@code List<Long>}. Nothing of numpy is run; arrays of other dtypes (objects,
 * strings, records) are left as they are.
 */
final class NumpyArrays {
    private NumpyArrays() {
    }

    /** The array's items as nested lists, or null when the object is not a numeric numpy array. */
    static Object toLists(PyObject o) {
        if (!(o.callable() instanceof PyGlobal g) || !g.module().startsWith("numpy")) {
            return null;
        }
        if (g.name().equals("_reconstruct") && o.hasState() && o.state() instanceof List<?> state
                && state.size() == 5 && state.get(1) instanceof List<?> shape) {
            // state: (version, shape, dtype, is_fortran, raw bytes)
            return decode(shape, state.get(2), Boolean.TRUE.equals(state.get(3)), PythonValues.bytes(state.get(4)));
        }
        if (g.name().equals("_frombuffer") && o.args().size() == 4 && o.args().get(2) instanceof List<?> shape) {
            // args: (buffer, dtype, shape, order)
            return decode(shape, o.args().get(1), "F".equals(o.args().get(3)), PythonValues.bytes(o.args().get(0)));
        }
        return null;
    }

    private static Object decode(List<?> shape, Object dtype, boolean fortran, byte[] raw) {
        if (raw == null || !(dtype instanceof PyObject d) || !(d.callable() instanceof PyGlobal dg)
                || !dg.name().equals("dtype") || d.args().isEmpty() || !(d.args().get(0) instanceof String code)
                || code.length() != 2 || !Character.isDigit(code.charAt(1))) {
            return null;
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (d.state() instanceof List<?> ds && ds.size() > 1 && ">".equals(ds.get(1))) {
            order = ByteOrder.BIG_ENDIAN;
        }
        int size = code.charAt(1) - '0';
        char kind = code.charAt(0);
        if (!((kind == 'f' && (size == 4 || size == 8)) || ((kind == 'i' || kind == 'u')
                && (size == 1 || size == 2 || size == 4 || size == 8)) || (kind == 'b' && size == 1))) {
            return null;
        }
        if (shape.size() > 64) {
            return null;   // numpy's own limit on dimensions
        }
        int[] dims = new int[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!(shape.get(i) instanceof Integer n) || n < 0) {
                return null;
            }
            dims[i] = n;
            count *= n;
            if (count > raw.length) {
                return null;
            }
        }
        if (count * size != raw.length) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(order);
        Object[] flat = new Object[(int) count];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = item(buffer, i * size, kind, size);
        }
        if (dims.length == 0) {
            return flat[0];
        }
        return nest(flat, dims, 0, 0, fortran);
    }

    private static Object item(ByteBuffer b, int at, char kind, int size) {
        return switch (kind) {
            case 'f' -> size == 4 ? (double) b.getFloat(at) : b.getDouble(at);
            case 'b' -> b.get(at) != 0;
            case 'i' -> switch (size) {
                case 1 -> (int) b.get(at);
                case 2 -> (int) b.getShort(at);
                case 4 -> b.getInt(at);
                default -> b.getLong(at);
            };
            default -> switch (size) {
                case 1 -> b.get(at) & 0xff;
                case 2 -> b.getShort(at) & 0xffff;
                case 4 -> b.getInt(at) & 0xffffffffL;
                default -> {
                    long v = b.getLong(at);
                    yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                }
            };
        };
    }

    /** The items of dimension {@code dim} from flat index {@code base}, in C or Fortran order. */
    private static List<Object> nest(Object[] flat, int[] dims, int dim, long base, boolean fortran) {
        List<Object> out = new ArrayList<>(dims[dim]);
        long stride = 1;
        if (fortran) {
            for (int i = 0; i < dim; i++) {
                stride *= dims[i];
            }
        } else {
            for (int i = dim + 1; i < dims.length; i++) {
                stride *= dims[i];
            }
        }
        for (int i = 0; i < dims[dim]; i++) {
            long at = base + i * stride;
            out.add(dim == dims.length - 1 ? flat[(int) at] : nest(flat, dims, dim + 1, at, fortran));
        }
        return out;
    }
}
