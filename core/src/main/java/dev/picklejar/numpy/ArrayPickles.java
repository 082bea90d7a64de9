package dev.picklejar.numpy;

import dev.picklejar.PickleBuffer;
import dev.picklejar.PyByteArray;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/**
 * The two forms numpy pickles an array in, read back: {@code _reconstruct(ndarray, (0,), b'b')}
 * with the state {@code (1, shape, dtype, is_fortran, data)} its {@code __setstate__} takes, and
 * protocol 5's {@code _frombuffer(buffer, dtype, shape, order[, axis_order])}.
 */
final class ArrayPickles {
    private ArrayPickles() {
    }

    static NdArray fromState(PyObject object) {
        PyTuple args = object.args();
        if (args.size() != 3 || !NdArray.G_NDARRAY.equals(args.get(0)) || !(object.state() instanceof PyTuple state)
                || object.stateSetter() != null || !object.listItems().isEmpty() || !object.dictItems().isEmpty()) {
            return null;
        }
        int at = state.size() == 5 ? 1 : state.size() == 4 ? 0 : -1;
        if (at < 0 || !(state.get(at) instanceof PyTuple shapeTuple) || !(state.get(at + 1) instanceof DType dtype)
                || !(state.get(at + 2) instanceof Boolean fortran)) {
            return null;
        }
        int[] shape = NdArray.toShape(shapeTuple);
        if (shape == null) {
            return null;
        }
        Object raw = state.get(at + 3);
        long n = NdArray.count(shape);
        if (dtype.kind() == 'O') {
            if (!(raw instanceof List<?> list) || list.size() != n) {
                return null;
            }
            @SuppressWarnings("unchecked")
            List<Object> objects = (List<Object>) list;
            // numpy lists an object array's items in C order whatever the memory order
            return new NdArray(dtype, shape, NdArray.contiguousStrides(shape, 8, false), null,
                    Collections.unmodifiableList(objects), true, object);
        }
        byte[] bytes = raw instanceof byte[] b ? b
                : raw instanceof String s && isLatin1(s) ? s.getBytes(StandardCharsets.ISO_8859_1) : null;
        if (bytes == null || bytes.length != n * dtype.itemSize()) {
            return null;
        }
        boolean f = fortran && shape.length > 1;
        return new NdArray(dtype, shape, NdArray.contiguousStrides(shape, dtype.itemSize(), f), ByteBuffer.wrap(bytes), null,
                true, object);
    }

    static NdArray fromBuffer(PyObject object) {
        PyTuple args = object.args();
        if (args.size() < 4 || args.size() > 5 || !(args.get(1) instanceof DType dtype) || dtype.kind() == 'O'
                || dtype.itemSize() == 0 || !(args.get(2) instanceof PyTuple shapeTuple)
                || !(args.get(3) instanceof String order) || object.hasState()) {
            return null;
        }
        int[] memShape = NdArray.toShape(shapeTuple);
        ByteBuffer data = asBuffer(args.get(0));
        if (memShape == null || data == null || data.remaining() != NdArray.count(memShape) * dtype.itemSize()) {
            return null;
        }
        boolean writable = !data.isReadOnly();
        switch (order) {
            case "C", "F" -> {
                return new NdArray(dtype, memShape, NdArray.contiguousStrides(memShape, dtype.itemSize(), order.equals("F")),
                        data, null, writable, object);
            }
            case "K" -> {
                int[] perm = args.size() == 5 && args.get(4) instanceof PyTuple p ? NdArray.toShape(p) : null;
                if (perm == null || perm.length != memShape.length || !isPermutation(perm)) {
                    return null;
                }
                long[] memStrides = NdArray.contiguousStrides(memShape, dtype.itemSize(), false);
                int[] shape = new int[perm.length];
                long[] strides = new long[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    shape[i] = memShape[perm[i]];
                    strides[i] = memStrides[perm[i]];
                }
                return new NdArray(dtype, shape, strides, data, null, writable, object);
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int i : p) {
            if (i >= p.length || seen[i]) {
                return false;
            }
            seen[i] = true;
        }
        return true;
    }

    /** The bytes an in-band or out-of-band buffer holds, wrapped, never copied. */
    private static ByteBuffer asBuffer(Object buffer) {
        if (buffer instanceof byte[] b) {
            return ByteBuffer.wrap(b).asReadOnlyBuffer();
        } else if (buffer instanceof PyByteArray b) {
            return ByteBuffer.wrap(b.bytes());
        } else if (buffer instanceof PickleBuffer b) {
            return b.buffer();
        } else if (buffer instanceof ByteBuffer b) {
            return b.slice();
        }
        return null;
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }
}
