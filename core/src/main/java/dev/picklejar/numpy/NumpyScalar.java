package dev.picklejar.numpy;

import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import dev.picklejar.Repr;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A numpy scalar ({@code numpy.float32(1.5)}, {@code numpy.int64(3)}, {@code numpy.datetime64(...)}):
 * a dtype and the bytes of one item, as numpy pickles it with
 * {@code numpy._core.multiarray.scalar(dtype, b'...')}. {@link #value()} is the item as a Java
 * value; {@link #toString()} is numpy 2's repr, {@code np.float32(1.5)}.
 */
public final class NumpyScalar {
    private final DType dtype;
    private final byte[] bytes;
    private final PyObject source;

    private NumpyScalar(DType dtype, byte[] bytes, PyObject source) {
        this.dtype = dtype;
        this.bytes = bytes;
        this.source = source;
    }

    /**
     * A scalar of the dtype over the item's bytes (copied), in the dtype's byte order.
     * @param dtype the scalar's type; not {@code object}
     * @param bytes exactly {@code dtype.itemSize()} bytes
     * @return the scalar
     * @throws IllegalArgumentException if {@code bytes} has the wrong length or {@code dtype} is {@code object}
     */
    public static NumpyScalar of(DType dtype, byte[] bytes) {
        if (dtype.kind() == 'O' || dtype.itemSize() != bytes.length) {
            throw new IllegalArgumentException("a " + dtype.name() + " scalar has " + dtype.itemSize() + " bytes, not "
                    + bytes.length);
        }
        return new NumpyScalar(dtype, bytes.clone(), null);
    }

    /**
     * A {@code numpy.float64} scalar.
     * @param value the value
     * @return the scalar
     */
    public static NumpyScalar of(double value) {
        return of(DType.FLOAT64, ByteBuffer.allocate(8).order(DType.FLOAT64.byteOrder()).putDouble(value).array());
    }

    /**
     * A {@code numpy.float32} scalar.
     * @param value the value
     * @return the scalar
     */
    public static NumpyScalar of(float value) {
        return of(DType.FLOAT32, ByteBuffer.allocate(4).order(DType.FLOAT32.byteOrder()).putFloat(value).array());
    }

    /**
     * A {@code numpy.int64} scalar.
     * @param value the value
     * @return the scalar
     */
    public static NumpyScalar of(long value) {
        return of(DType.INT64, ByteBuffer.allocate(8).order(DType.INT64.byteOrder()).putLong(value).array());
    }

    /**
     * A {@code numpy.int32} scalar.
     * @param value the value
     * @return the scalar
     */
    public static NumpyScalar of(int value) {
        return of(DType.INT32, ByteBuffer.allocate(4).order(DType.INT32.byteOrder()).putInt(value).array());
    }

    /**
     * The scalar a pickled {@code scalar(dtype, bytes)} call stands for, or null if it is not one.
     * @param object a loaded object, usually a {@code numpy.core.multiarray.scalar} call
     * @return the scalar, or null
     */
    public static NumpyScalar fromPickled(PyObject object) {
        if (object.construction() != PyObject.Construction.REDUCE || !(object.callable() instanceof PyGlobal g)
                || !g.name().equals("scalar") || !NdArray.isNumpyCore(g.module(), "multiarray") || object.hasState()
                || object.args().size() != 2 || !(object.args().get(0) instanceof DType dtype)
                || !(object.args().get(1) instanceof byte[] b) || b.length != dtype.itemSize() || dtype.kind() == 'O') {
            return null;
        }
        return new NumpyScalar(dtype, b, object);
    }

    /**
     * What numpy's {@code __reduce__} gives: the object this was loaded from, or numpy's own form.
     * @param version the numpy generation the pickle is for
     * @return the object a Pickler writes for this scalar
     */
    public PyObject toPickled(NumpyVersion version) {
        return source != null ? source : PyObject.reduce(version.scalar, PyTuple.of(dtype, bytes.clone()));
    }

    /** {@return the scalar's type} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the item's bytes in the dtype's byte order (a copy)} */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@return the item as {@link NdArray#get(int...)} gives it: {@code Double}, {@code Float}, {@code Long}...} */
    public Object value() {
        return asArray().get();
    }

    private NdArray asArray() {
        return NdArray.of(dtype, new int[0], ByteBuffer.wrap(bytes).asReadOnlyBuffer(), false);
    }

    /** numpy 2's repr: {@code np.float64(1.5)}, {@code np.int32(3)}, {@code np.True_}. */
    @Override
    public String toString() {
        Object v = value();
        if (dtype.kind() == 'b') {
            return (Boolean) v ? "np.True_" : "np.False_";
        }
        String type = switch (dtype.kind()) {
            case 'S' -> "bytes_";
            case 'U' -> "str_";
            case 'M' -> "datetime64";
            case 'm' -> "timedelta64";
            case 'V' -> "void";
            default -> dtype.name();
        };
        String body = switch (dtype.kind()) {
            case 'f' -> dtype.itemSize() == 4 ? Repr.of(Double.parseDouble(ArrayRepr.shortestFloat((Float) v)))
                    : Repr.of(v);
            case 'M' -> {
                String t = ArrayRepr.timelike(dtype, (Long) v);
                yield t.startsWith("'") ? t : t + ",'" + dtype.unit() + "'";
            }
            case 'm' -> v + ",'" + dtype.unit() + "'";
            default -> Repr.of(v);
        };
        return "np." + type + "(" + body + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumpyScalar s && dtype.equals(s.dtype) && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(bytes);
    }
}
