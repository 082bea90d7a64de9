package dev.picklejar.numpy;

import dev.picklejar.PickleBuffer;
import dev.picklejar.PyComplex;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A numpy {@code ndarray}: a dtype, a shape, strides and the bytes of its items (or, for an
 * {@code object} array, its items as loaded Java values). Loaded from every form numpy pickles
 * arrays in, without numpy: {@code _reconstruct} + {@code __setstate__} (protocols 0–4) and
 * protocol 5's {@code _frombuffer}, in band or over an out-of-band buffer, which it wraps without
 * copying. An array loaded from a pickle is written back to the same bytes; one made here
 * ({@link #of(double[])}, {@link #of(double[][])}…) is written as numpy's own
 * {@code pickle.dumps} writes it, for numpy 2 or numpy 1 ({@link NumpyVersion}).
 *
 * <p>{@link #toString()} is numpy 2's {@code repr(array)}, summarized with {@code ...} beyond 1000
 * items as numpy does.
 */
public final class NdArray {
    static final PyGlobal G_NDARRAY = new PyGlobal("numpy", "ndarray");
    /** CPython caches one-byte bytes objects, so numpy's dummy {@code b'b'} is one object in a pickle. */
    private static final byte[] DUMMY_TYPECODE = {'b'};

    private final DType dtype;
    private final int[] shape;
    private final long[] strides;
    private final ByteBuffer data;
    private final List<Object> items;
    private final boolean writable;
    /** The PyObject this array was loaded from; null for arrays made in Java. */
    private final PyObject source;

    NdArray(DType dtype, int[] shape, long[] strides, ByteBuffer data, List<Object> items, boolean writable,
                    PyObject source) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.data = data == null ? null : data.order(dtype.byteOrder());
        this.items = items;
        this.writable = writable;
        this.source = source;
    }

    // ---- made in Java ----

    /**
     * An array over the bytes, in C (row-major) or Fortran (column-major) order; not copied.
     * The buffer's remaining bytes must hold exactly {@code product(shape) * itemSize} bytes.
     * @param dtype the item type; not null, not {@code object} (use {@link #ofObjects})
     * @param shape the length of each dimension, none negative; {@code {}} for a 0-D array
     * @param data the items, from its position to its limit; the array keeps a slice of it, writable when it is
     * @param fortranOrder true when the bytes are in Fortran order, false for C order
     * @return the array
     * @throws IllegalArgumentException if {@code data} does not hold exactly the bytes the shape needs, the shape
     *     holds more than 2^31-1 items, or {@code dtype} is {@code object}
     */
    public static NdArray of(DType dtype, int[] shape, ByteBuffer data, boolean fortranOrder) {
        Objects.requireNonNull(dtype, "dtype");
        if (dtype.kind() == 'O') {
            throw new IllegalArgumentException("an object array holds values, not bytes: use ofObjects");
        }
        int[] s = checkShape(shape);
        if (toShape(PyTuple.of(java.util.Arrays.stream(s).boxed().toArray())) == null) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " holds more than 2^31-1 items");
        }
        long n = dtype.itemSize() * count(s);
        if (data.remaining() != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " of " + dtype.name() + " needs " + n
                    + " bytes, not " + data.remaining());
        }
        return new NdArray(dtype, s, contiguousStrides(s, dtype.itemSize(), fortranOrder), data.slice(), null,
                !data.isReadOnly(), null);
    }

    /**
     * An {@code object} array of the items (in C order); not copied.
     * @param shape the length of each dimension, none negative
     * @param items the items in C order, {@code null} for Python's {@code None}
     * @return the array
     * @throws IllegalArgumentException if {@code items} does not hold as many items as the shape needs
     */
    public static NdArray ofObjects(int[] shape, List<Object> items) {
        int[] s = checkShape(shape);
        if (items.size() != count(s)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " needs " + count(s) + " items, not "
                    + items.size());
        }
        return new NdArray(DType.OBJECT, s, contiguousStrides(s, 8, false), null, items, true, null);
    }

    /**
     * A 1-D {@code float64} array of the values (copied).
     * @param values the items; not null
     * @return the array
     */
    public static NdArray of(double[] values) {
        ByteBuffer b = allocate(values.length, 8);
        b.asDoubleBuffer().put(values);
        return of(DType.FLOAT64, new int[] {values.length}, b, false);
    }

    /**
     * A 1-D {@code float32} array of the values (copied).
     * @param values the items; not null
     * @return the array
     */
    public static NdArray of(float[] values) {
        ByteBuffer b = allocate(values.length, 4);
        b.asFloatBuffer().put(values);
        return of(DType.FLOAT32, new int[] {values.length}, b, false);
    }

    /**
     * A 1-D {@code int64} array of the values (copied).
     * @param values the items; not null
     * @return the array
     */
    public static NdArray of(long[] values) {
        ByteBuffer b = allocate(values.length, 8);
        b.asLongBuffer().put(values);
        return of(DType.INT64, new int[] {values.length}, b, false);
    }

    /**
     * A 1-D {@code int32} array of the values (copied).
     * @param values the items; not null
     * @return the array
     */
    public static NdArray of(int[] values) {
        ByteBuffer b = allocate(values.length, 4);
        b.asIntBuffer().put(values);
        return of(DType.INT32, new int[] {values.length}, b, false);
    }

    /**
     * A 1-D {@code int16} array of the values (copied).
     * @param values the items; not null
     * @return the array
     */
    public static NdArray of(short[] values) {
        ByteBuffer b = allocate(values.length, 2);
        b.asShortBuffer().put(values);
        return of(DType.INT16, new int[] {values.length}, b, false);
    }

    /**
     * An {@code int8} array (a {@code byte[]} on its own is pickled as Python {@code bytes}).
     * @param values the items; copied, not null
     * @return the array
     */
    public static NdArray of(byte[] values) {
        return of(DType.INT8, new int[] {values.length}, ByteBuffer.wrap(values.clone()), false);
    }

    /**
     * A 1-D {@code bool} array of the values (copied).
     * @param values the items; not null
     * @return the array
     */
    public static NdArray of(boolean[] values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        return of(DType.BOOL, new int[] {values.length}, ByteBuffer.wrap(b), false);
    }

    /**
     * A 2-D {@code float64} array of the rows, which must all have the same length.
     * @param rows the rows; not null
     * @return the array, of shape {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static NdArray of(double[][] rows) {
        int cols = columns(rows, r -> ((double[]) r).length);
        ByteBuffer b = allocate(rows.length * (long) cols, 8);
        DoubleBuffer d = b.asDoubleBuffer();
        for (double[] row : rows) {
            d.put(row);
        }
        return of(DType.FLOAT64, new int[] {rows.length, cols}, b, false);
    }

    /**
     * A 2-D {@code float32} array of the rows, which must all have the same length.
     * @param rows the rows; not null
     * @return the array, of shape {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static NdArray of(float[][] rows) {
        int cols = columns(rows, r -> ((float[]) r).length);
        ByteBuffer b = allocate(rows.length * (long) cols, 4);
        FloatBuffer d = b.asFloatBuffer();
        for (float[] row : rows) {
            d.put(row);
        }
        return of(DType.FLOAT32, new int[] {rows.length, cols}, b, false);
    }

    /**
     * A 2-D {@code int64} array of the rows, which must all have the same length.
     * @param rows the rows; not null
     * @return the array, of shape {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static NdArray of(long[][] rows) {
        int cols = columns(rows, r -> ((long[]) r).length);
        ByteBuffer b = allocate(rows.length * (long) cols, 8);
        LongBuffer d = b.asLongBuffer();
        for (long[] row : rows) {
            d.put(row);
        }
        return of(DType.INT64, new int[] {rows.length, cols}, b, false);
    }

    /**
     * A 2-D {@code int32} array of the rows, which must all have the same length.
     * @param rows the rows; not null
     * @return the array, of shape {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static NdArray of(int[][] rows) {
        int cols = columns(rows, r -> ((int[]) r).length);
        ByteBuffer b = allocate(rows.length * (long) cols, 4);
        IntBuffer d = b.asIntBuffer();
        for (int[] row : rows) {
            d.put(row);
        }
        return of(DType.INT32, new int[] {rows.length, cols}, b, false);
    }

    /**
     * The array for a Java primitive array or a rectangular array of them ({@code double[][]}…),
     * or null for any other value.
     * @param value any value; {@code null} gives null
     * @return the array (the values copied), or null
     */
    public static NdArray ofJava(Object value) {
        if (value instanceof double[] a) {
            return of(a);
        } else if (value instanceof float[] a) {
            return of(a);
        } else if (value instanceof long[] a) {
            return of(a);
        } else if (value instanceof int[] a) {
            return of(a);
        } else if (value instanceof short[] a) {
            return of(a);
        } else if (value instanceof boolean[] a) {
            return of(a);
        } else if (value instanceof double[][] a) {
            return of(a);
        } else if (value instanceof float[][] a) {
            return of(a);
        } else if (value instanceof long[][] a) {
            return of(a);
        } else if (value instanceof int[][] a) {
            return of(a);
        }
        return null;
    }

    private static int columns(Object[] rows, java.util.function.ToIntFunction<Object> length) {
        int cols = rows.length == 0 ? 0 : length.applyAsInt(rows[0]);
        for (int i = 0; i < rows.length; i++) {
            if (length.applyAsInt(rows[i]) != cols) {
                throw new IllegalArgumentException("row " + i + " has " + length.applyAsInt(rows[i])
                        + " items, row 0 has " + cols + ": a 2-D array needs rows of one length");
            }
        }
        return cols;
    }

    private static ByteBuffer allocate(long count, int size) {
        if (count * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an array of " + count + " items of " + size + " bytes is over 2 GiB");
        }
        return ByteBuffer.allocate((int) (count * size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int[] checkShape(int[] shape) {
        int[] s = shape.clone();
        for (int d : s) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(s));
            }
        }
        return s;
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static long[] contiguousStrides(int[] shape, int itemSize, boolean fortran) {
        long[] st = new long[shape.length];
        long step = itemSize;
        for (int k = 0; k < shape.length; k++) {
            int i = fortran ? k : shape.length - 1 - k;
            st[i] = step;
            step *= Math.max(shape[i], 1);
        }
        return st;
    }

    // ---- loaded from a pickle ----

    /**
     * The array a pickled numpy reduction stands for: {@code _reconstruct(ndarray, (0,), b'b')}
     * with its {@code __setstate__} state, or {@code _frombuffer(buffer, dtype, shape, order)}.
     * Returns null when the object is neither (a subclass such as {@code numpy.matrix} stays a
     * PyObject), so a caller can keep the object as it is.
     * @param object a loaded object, usually a numpy reduction
     * @return the array, or {@code null}
     */
    public static NdArray fromPickled(PyObject object) {
        if (object.construction() != PyObject.Construction.REDUCE || !(object.callable() instanceof PyGlobal g)) {
            return null;
        }
        if (g.name().equals("_reconstruct") && isNumpyCore(g.module(), "multiarray")) {
            return ArrayPickles.fromState(object);
        }
        if (g.name().equals("_frombuffer") && isNumpyCore(g.module(), "numeric")) {
            return ArrayPickles.fromBuffer(object);
        }
        return null;
    }

    static boolean isNumpyCore(String module, String sub) {
        return module.equals("numpy.core." + sub) || module.equals("numpy._core." + sub);
    }

    /** The shape a tuple of ints gives, or null when it is not one or holds more than Integer.MAX_VALUE items. */
    static int[] toShape(PyTuple tuple) {
        int[] shape = new int[tuple.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.get(i) instanceof Integer d) || d < 0) {
                return null;
            }
            shape[i] = d;
            n = Math.min(n * d, (long) Integer.MAX_VALUE + 1); // no overflow: both factors are below 2^32
        }
        for (int d : shape) {
            if (d == 0) {
                return shape;
            }
        }
        return n > Integer.MAX_VALUE ? null : shape;
    }

    // ---- written to a pickle ----

    /**
     * What numpy's {@code ndarray.__reduce_ex__(protocol)} gives for this array, as the PyObject
     * a {@code Pickler} writes: protocol 5 writes a C- or Fortran-contiguous array of plain items
     * as {@code _frombuffer} over a {@link PickleBuffer} (out of band if the pickler's buffer
     * callback says so), other protocols and object arrays as {@code _reconstruct} with its state.
     * An array loaded from a pickle gives the object it was loaded from whenever that form can be
     * written at this protocol, so that writing it again gives the same bytes (so a loaded array
     * written at protocol 5 keeps a {@code _reconstruct} form; numpy loads both).
     * @param protocol the pickle protocol being written, 0 to 5
     * @param version the numpy generation the pickle is for
     * @return the object a Pickler writes for this array
     */
    public PyObject toPickled(int protocol, NumpyVersion version) {
        if (source != null && (protocol >= 5 || !isBufferForm(source))) {
            return source; // the form it was read in is one numpy writes at this protocol: same bytes
        }
        boolean pickleBuffer = protocol >= 5 && dtype.kind() != 'O' && dtype.itemSize() > 0
                && (isCContiguous() || isFContiguous());
        if (pickleBuffer) {
            boolean fortran = !isCContiguous();
            PickleBuffer buffer = new PickleBuffer(writable ? data.duplicate() : data.asReadOnlyBuffer());
            return PyObject.reduce(version.frombuffer,
                    PyTuple.of(buffer, dtype, shapeTuple(), fortran ? "F" : "C"));
        }
        PyObject o = PyObject.reduce(version.reconstruct, PyTuple.of(G_NDARRAY, PyTuple.of(0), DUMMY_TYPECODE));
        boolean fortran = isFContiguous() && !isCContiguous();
        Object raw = dtype.kind() == 'O' ? new ArrayList<>(items) : tobytes(fortran);
        o.setState(PyTuple.of(1, shapeTuple(), dtype, fortran, raw));
        return o;
    }

    private static boolean isBufferForm(PyObject o) {
        return o.callable() instanceof PyGlobal g && g.name().equals("_frombuffer");
    }

    private PyTuple shapeTuple() {
        Object[] s = new Object[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return PyTuple.of(s);
    }

    /** The item bytes in C order, or in Fortran order if asked (numpy's {@code tobytes(order)}). */
    byte[] tobytes(boolean fortran) {
        boolean contiguous = fortran ? isFContiguous() : isCContiguous();
        if (contiguous) {
            ByteBuffer d = data.duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return out;
        }
        int size = dtype.itemSize();
        byte[] out = new byte[(int) (count(shape) * size)];
        int[] index = new int[shape.length];
        for (int k = 0; k < out.length / Math.max(size, 1); k++) {
            data.get((int) offsetOf(index), out, k * size, size);
            if (fortran) {
                for (int i = 0; i < index.length && ++index[i] == shape[i]; i++) {
                    index[i] = 0;
                }
            } else {
                for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                    index[i] = 0;
                }
            }
        }
        return out;
    }

    // ---- what it holds ----

    /** {@return the item type} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the length of each dimension (a copy), as numpy's {@code shape}} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the number of dimensions, 0 for a scalar-like 0-D array} */
    public int ndim() {
        return shape.length;
    }

    /** {@return the number of items} */
    public int size() {
        return (int) count(shape);
    }

    /** {@return the bytes to step in each dimension, as numpy's {@code strides}} */
    public long[] strides() {
        return strides.clone();
    }

    /** {@return whether the items follow each other in C (row-major) order, as numpy's {@code flags.c_contiguous}} */
    public boolean isCContiguous() {
        return contiguous(false);
    }

    /**
     * {@return whether the items follow each other in Fortran (column-major) order, as numpy's
     * {@code flags.f_contiguous}}
     */
    public boolean isFContiguous() {
        return contiguous(true);
    }

    private boolean contiguous(boolean fortran) {
        long step = dtype.itemSize();
        for (int k = 0; k < shape.length; k++) {
            int i = fortran ? k : shape.length - 1 - k;
            if (shape[i] == 0) {
                return true;
            }
            if (shape[i] != 1 && strides[i] != step) {
                return false;
            }
            step *= shape[i];
        }
        return true;
    }

    /** {@return whether the array's memory may be written (numpy's {@code flags.writeable})} */
    public boolean isWritable() {
        return writable;
    }

    /** {@return the items of an {@code object} array in C order, as loaded} */
    public List<Object> items() {
        if (items == null) {
            throw new IllegalStateException("a " + dtype.name() + " array holds bytes, not objects: use buffer()");
        }
        return items;
    }

    /**
     * The array's memory, not copied, in the dtype's byte order: read it with {@link #strides()}
     * (for a C-contiguous array the items follow each other in C order).
     * @return the memory, as a read-only or writable buffer positioned at the first item
     */
    public ByteBuffer buffer() {
        if (data == null) {
            throw new IllegalStateException("an object array holds values, not bytes: use items()");
        }
        return (writable ? data.duplicate() : data.asReadOnlyBuffer()).order(dtype.byteOrder());
    }

    /** {@return the memory of a {@code float64} array as doubles, not copied (see {@link #buffer()})} */
    public DoubleBuffer asDoubleBuffer() {
        return typed('f', 8).asDoubleBuffer();
    }

    /** {@return the memory of a {@code float32} array as floats, not copied} */
    public FloatBuffer asFloatBuffer() {
        return typed('f', 4).asFloatBuffer();
    }

    /** {@return the memory of an {@code int64} (or {@code uint64}) array as longs, not copied} */
    public LongBuffer asLongBuffer() {
        return typed('i', 8).asLongBuffer();
    }

    /** {@return the memory of an {@code int32} (or {@code uint32}) array as ints, not copied} */
    public IntBuffer asIntBuffer() {
        return typed('i', 4).asIntBuffer();
    }

    /** {@return the memory of an {@code int16} (or {@code uint16}) array as shorts, not copied} */
    public ShortBuffer asShortBuffer() {
        return typed('i', 2).asShortBuffer();
    }

    private ByteBuffer typed(char kind, int size) {
        char k = dtype.kind() == 'u' || dtype.kind() == 'M' || dtype.kind() == 'm' ? 'i' : dtype.kind();
        if (k != kind || dtype.itemSize() != size) {
            throw new IllegalStateException("a " + dtype.name() + " array is not a buffer of " + size + "-byte "
                    + (kind == 'f' ? "floats" : "ints"));
        }
        return buffer();
    }

    // ---- typed copies, in C order ----

    /**
     * The items as doubles in C order; for bool, int, uint and float dtypes (numpy's safe casts and int64).
     * @return a new array of the items
     * @throws IllegalStateException for a dtype that does not convert without loss (complex, datetime, text...)
     */
    public double[] toDoubleArray() {
        requireKind("double[]", "biuf", 8);
        double[] out = new double[size()];
        if (dtype.kind() == 'f' && dtype.itemSize() == 8 && isCContiguous()) {
            buffer().asDoubleBuffer().get(out);
            return out;
        }
        forEach((k, off) -> out[k] = number(off).doubleValue());
        return out;
    }

    /**
     * The items as floats in C order; for bool, int8/16, uint8/16, float16 and float32 (numpy's safe casts).
     * @return a new array of the items
     * @throws IllegalStateException for a dtype that does not convert without loss
     */
    public float[] toFloatArray() {
        requireKind("float[]", "biuf", 4);
        if (dtype.kind() != 'f' && dtype.itemSize() > 2) {
            throw notSafe("float[]");
        }
        float[] out = new float[size()];
        if (dtype.kind() == 'f' && dtype.itemSize() == 4 && isCContiguous()) {
            buffer().asFloatBuffer().get(out);
            return out;
        }
        forEach((k, off) -> out[k] = number(off).floatValue());
        return out;
    }

    /** {@return the items as longs in C order; for bool, int and uint up to 32 bits, and uint64 (same bits)} */
    public long[] toLongArray() {
        requireKind("long[]", "bium", 8);
        long[] out = new long[size()];
        forEach((k, off) -> out[k] = number(off).longValue());
        return out;
    }

    /** {@return the items as ints in C order; for bool, int8..int32, uint8, uint16 and uint32 (same bits)} */
    public int[] toIntArray() {
        requireKind("int[]", "biu", 4);
        int[] out = new int[size()];
        forEach((k, off) -> out[k] = number(off).intValue());
        return out;
    }

    /** {@return the items as shorts in C order; for bool, int8, int16, uint8 and uint16 (same bits)} */
    public short[] toShortArray() {
        requireKind("short[]", "biu", 2);
        short[] out = new short[size()];
        forEach((k, off) -> out[k] = number(off).shortValue());
        return out;
    }

    /** {@return the items as bytes in C order; for bool, int8 and uint8 (same bits)} */
    public byte[] toByteArray() {
        requireKind("byte[]", "biu", 1);
        byte[] out = new byte[size()];
        forEach((k, off) -> out[k] = data.get((int) off));
        return out;
    }

    /** {@return the items of a {@code bool} array in C order} */
    public boolean[] toBooleanArray() {
        requireKind("boolean[]", "b", 1);
        boolean[] out = new boolean[size()];
        forEach((k, off) -> out[k] = data.get((int) off) != 0);
        return out;
    }

    /** {@return the rows of a 2-D array as doubles (as {@link #toDoubleArray()} converts)} */
    public double[][] toDoubleMatrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("a " + shape.length + "-D array is not a matrix");
        }
        double[] flat = toDoubleArray();
        double[][] rows = new double[shape[0]][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * shape[1], (i + 1) * shape[1]);
        }
        return rows;
    }

    private void requireKind(String target, String kinds, int maxSize) {
        if (kinds.indexOf(dtype.kind()) < 0 || dtype.itemSize() > maxSize || dtype.isStructured()) {
            throw notSafe(target);
        }
    }

    private IllegalStateException notSafe(String target) {
        return new IllegalStateException("a " + dtype.name() + " array cannot be copied to " + target
                + " without loss; use a wider type, buffer() or get()");
    }

    @FunctionalInterface
    interface ItemVisitor {
        void visit(int index, long offset);
    }

    /** Visits every item in C order with its byte offset. */
    void forEach(ItemVisitor visitor) {
        int n = size();
        if (n == 0) {
            return;
        }
        if (isCContiguous()) {
            int size = dtype.itemSize();
            for (int k = 0; k < n; k++) {
                visitor.visit(k, (long) k * size);
            }
            return;
        }
        int[] index = new int[shape.length];
        for (int k = 0; k < n; k++) {
            visitor.visit(k, offsetOf(index));
            for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
    }

    private long offsetOf(int[] index) {
        long off = 0;
        for (int i = 0; i < index.length; i++) {
            off += index[i] * strides[i];
        }
        return off;
    }

    /**
     * The item at a flat index in C order, as {@link #get(int...)} gives it.
     * @param index the position in C order, 0 to {@link #size()} - 1
     * @return the item
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Object getFlat(int index) {
        int n = size();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for size " + n);
        }
        if (items != null) {
            return items.get(index);
        }
        int[] at = new int[shape.length];
        for (int i = shape.length - 1, rest = index; i >= 0; i--) {
            at[i] = rest % shape[i];
            rest /= shape[i];
        }
        return item(dtype, (int) offsetOf(at));
    }

    /**
     * The item at the index as a Java value: {@code Boolean}, {@code Byte}/{@code Short}/
     * {@code Integer}/{@code Long} for ints (uint widened; a uint64 over {@code Long.MAX_VALUE} as
     * {@code BigInteger}), {@code Float}/{@code Double}, {@code PyComplex}, a {@code Long} count of
     * units for datetime64/timedelta64, {@code byte[]} for {@code S}, {@code String} for {@code U},
     * a {@code PyTuple} of field values for a record, the loaded value for {@code object}.
     * @param index one index per dimension, each 0 to that dimension's length - 1
     * @return the item
     * @throws IllegalArgumentException if there is not one index per dimension
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Object get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(index.length + " indices for a " + shape.length + "-D array");
        }
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " is out of bounds for axis " + i
                        + " with size " + shape[i]);
            }
        }
        if (items != null) {
            int flat = 0;
            for (int i = 0; i < index.length; i++) {
                flat = flat * shape[i] + index[i];
            }
            return items.get(flat);
        }
        return item(dtype, (int) offsetOf(index));
    }

    private Number number(long off) {
        Object v = item(dtype, (int) off);
        return v instanceof Boolean b ? (b ? 1 : 0) : (Number) v;
    }

    Object item(DType t, int off) {
        ByteBuffer d = t.byteOrder() == data.order() ? data : data.duplicate().order(t.byteOrder());
        return switch (t.kind()) {
            case 'b' -> d.get(off) != 0;
            case 'i', 'm', 'M' -> switch (t.itemSize()) {
                case 1 -> d.get(off);
                case 2 -> d.getShort(off);
                case 4 -> d.getInt(off);
                default -> d.getLong(off);
            };
            case 'u' -> switch (t.itemSize()) {
                case 1 -> (short) (d.get(off) & 0xff);
                case 2 -> d.getShort(off) & 0xffff;
                case 4 -> d.getInt(off) & 0xffffffffL;
                default -> {
                    long v = d.getLong(off);
                    yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                }
            };
            case 'f' -> switch (t.itemSize()) {
                case 2 -> halfToFloat(d.getShort(off));
                case 4 -> d.getFloat(off);
                case 8 -> d.getDouble(off);
                default -> throw new IllegalStateException("numpy's " + t.name() + " has no Java type; use buffer()");
            };
            case 'c' -> switch (t.itemSize()) {
                case 8 -> new PyComplex(d.getFloat(off), d.getFloat(off + 4));
                case 16 -> new PyComplex(d.getDouble(off), d.getDouble(off + 8));
                default -> throw new IllegalStateException("numpy's " + t.name() + " has no Java type; use buffer()");
            };
            case 'S' -> {
                int n = t.itemSize();
                while (n > 0 && d.get(off + n - 1) == 0) {
                    n--;
                }
                byte[] b = new byte[n];
                d.get(off, b, 0, n);
                yield b;
            }
            case 'U' -> {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < t.itemSize() / 4; i++) {
                    int c = d.getInt(off + 4 * i);
                    s.appendCodePoint(Character.isValidCodePoint(c) ? c : 0xfffd); // numpy refuses to print those
                }
                int end = s.length();
                while (end > 0 && s.charAt(end - 1) == 0) {
                    end--;
                }
                yield s.substring(0, end);
            }
            default -> {
                if (t.names() != null) {
                    Object[] values = new Object[t.names().size()];
                    for (int i = 0; i < values.length; i++) {
                        DType.Field f = t.fields().get(t.names().get(i));
                        values[i] = item(f.type(), off + f.offset());
                    }
                    yield PyTuple.of(values);
                }
                byte[] b = new byte[t.itemSize()];
                d.get(off, b, 0, b.length);
                yield b;
            }
        };
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** numpy 2's {@code repr(array)}. */
    @Override
    public String toString() {
        try {
            return ArrayRepr.of(this);
        } catch (RuntimeException e) {
            return "array(<" + size() + " items of " + dtype.name() + " picklejar cannot print: " + e.getMessage() + ">)";
        }
    }
}
