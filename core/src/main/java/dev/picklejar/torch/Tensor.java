package dev.picklejar.torch;

import dev.picklejar.numpy.DType;
import dev.picklejar.numpy.NdArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A PyTorch tensor as a checkpoint holds it: a view (shape, strides in items, storage offset)
 * of a {@link TorchStorage}, with its {@code requires_grad} flag. Typed copies read the view in
 * C order; {@link #toNdArray()} gives the same items as a numpy array.
 */
public final class Tensor {
    private final TorchStorage storage;
    private final long offset;
    private final int[] shape;
    private final long[] stride;
    private final boolean requiresGrad;
    private final boolean parameter;

    /**
     * A view of a storage, as torch's {@code tensor.as_strided}.
     * @param storage the items; not null
     * @param storageOffset the first item's index in the storage
     * @param shape the size of each dimension, none negative
     * @param stride the items to step in each dimension, one per dimension, none negative
     * @param requiresGrad whether the tensor records gradients ({@code tensor.requires_grad})
     * @throws IllegalArgumentException if shape and stride differ in length, a size or stride is negative, or the
     *     view runs past the end of its storage
     */
    public Tensor(TorchStorage storage, long storageOffset, int[] shape, long[] stride, boolean requiresGrad) {
        this(storage, storageOffset, shape, stride, requiresGrad, false);
    }

    Tensor(TorchStorage storage, long storageOffset, int[] shape, long[] stride, boolean requiresGrad, boolean parameter) {
        this.storage = Objects.requireNonNull(storage, "storage");
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride)
                    + " differ in length");
        }
        long last = storageOffset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || stride[i] < 0) {
                throw new IllegalArgumentException("negative size or stride: " + Arrays.toString(shape) + " "
                        + Arrays.toString(stride));
            }
            if (shape[i] == 0) {
                last = -1;
                break;
            }
            try {
                last = Math.addExact(last, Math.multiplyExact(shape[i] - 1L, stride[i]));
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
        }
        if (storageOffset < 0 || last >= storage.size()) {
            throw new IllegalArgumentException("a view of shape " + Arrays.toString(shape) + ", stride "
                    + Arrays.toString(stride) + " at offset " + storageOffset + " runs past its storage of "
                    + storage.size() + " items");
        }
        this.offset = storageOffset;
        this.shape = shape.clone();
        this.stride = stride.clone();
        this.requiresGrad = requiresGrad;
        this.parameter = parameter;
    }

    /**
     * The tensor a pickled {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
     * requires_grad, hooks)} or {@code _rebuild_parameter(tensor, requires_grad, hooks)} call
     * stands for, or null when it is not one (its storage must be a {@link TorchStorage}, as
     * {@link TorchCheckpoint} gives for a checkpoint's persistent ids).
     * @param call a loaded object, usually a {@code _rebuild_tensor_v2} call
     * @return the tensor, or null
     */
    public static Tensor fromPickled(dev.picklejar.PyObject call) {
        dev.picklejar.PyTuple a = call.args();
        if (!(call.callable() instanceof dev.picklejar.PyGlobal g) || call.hasState()) {
            return null;
        }
        if (g.name().equals("_rebuild_parameter") && a.size() >= 2 && a.get(0) instanceof Tensor t
                && a.get(1) instanceof Boolean grad) {
            return new Tensor(t.storage, t.offset, t.shape, t.stride, grad, true);
        }
        if (!g.name().equals("_rebuild_tensor_v2") || a.size() < 4 || !(a.get(0) instanceof TorchStorage s)
                || !(a.get(1) instanceof Integer off) || !(a.get(2) instanceof dev.picklejar.PyTuple size)
                || !(a.get(3) instanceof dev.picklejar.PyTuple strides) || size.size() != strides.size()) {
            return null;
        }
        int[] shape = new int[size.size()];
        long[] stride = new long[size.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(size.get(i) instanceof Integer d) || !(strides.get(i) instanceof Number st)) {
                return null;
            }
            shape[i] = d;
            stride[i] = st.longValue();
        }
        boolean grad = a.size() > 4 && Boolean.TRUE.equals(a.get(4));
        return new Tensor(s, off, shape, stride, grad, false); // a view past its storage: IllegalArgumentException
    }

    /**
     * A contiguous tensor over a new storage holding the values.
     * @param values the items; not null
     * @return a {@code torch.float64} tensor
     */
    public static Tensor of(double[] values) {
        return of(NdArray.of(values));
    }

    /**
     * A contiguous tensor over a new storage holding the values.
     * @param values the items; not null
     * @return a {@code torch.float32} tensor
     */
    public static Tensor of(float[] values) {
        return of(NdArray.of(values));
    }

    /**
     * A contiguous tensor over a new storage holding the values.
     * @param values the items; not null
     * @return a {@code torch.int64} tensor
     */
    public static Tensor of(long[] values) {
        return of(NdArray.of(values));
    }

    /**
     * A contiguous tensor over a new storage holding the values.
     * @param values the items; not null
     * @return a {@code torch.int32} tensor
     */
    public static Tensor of(int[] values) {
        return of(NdArray.of(values));
    }

    /**
     * A contiguous 2-D tensor over a new storage holding the rows.
     * @param rows the rows, all of one length; not null
     * @return a {@code torch.float64} tensor of shape {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static Tensor of(double[][] rows) {
        return of(NdArray.of(rows));
    }

    /**
     * A contiguous 2-D tensor over a new storage holding the rows.
     * @param rows the rows, all of one length; not null
     * @return a {@code torch.float32} tensor of shape {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if the rows differ in length
     */
    public static Tensor of(float[][] rows) {
        return of(NdArray.of(rows));
    }

    /**
     * A contiguous tensor with the items of a numpy array of a type torch has (copied, in C order).
     * @param array the items; not null
     * @return the tensor, of the array's shape
     * @throws IllegalArgumentException if torch has no tensor type for the array's dtype (text, datetime, object...)
     */
    public static Tensor of(NdArray array) {
        TorchDType t = null;
        for (TorchDType d : TorchDType.values()) {
            if (d.numpyDType() != null && d.numpyDType().equals(array.dtype()) && !d.name().startsWith("Q")) {
                t = d;
                break;
            }
        }
        if (t == null) {
            throw new IllegalArgumentException("torch has no tensor type for numpy's " + array.dtype());
        }
        ByteBuffer bytes = ByteBuffer.allocate(array.size() * t.elementSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (array.isCContiguous() && (array.dtype().byteOrder() == ByteOrder.LITTLE_ENDIAN || t.elementSize() == 1)) {
            bytes.put(array.buffer());
        } else {
            copyInCOrder(array, bytes);
        }
        bytes.flip();
        int[] shape = array.shape();
        return new Tensor(new TorchStorage("0", t, "cpu", bytes), 0, shape, contiguous(shape), false);
    }

    /** Copies the items in C order, little-endian (complex items swap each half). */
    private static void copyInCOrder(NdArray array, ByteBuffer out) {
        ByteBuffer in = array.buffer();
        int size = array.dtype().itemSize();
        int part = array.dtype().kind() == 'c' ? size / 2 : size;
        boolean swap = array.dtype().byteOrder() == ByteOrder.BIG_ENDIAN && size > 1;
        int[] shape = array.shape();
        long[] strides = array.strides();
        int[] index = new int[shape.length];
        for (int k = 0; k < array.size(); k++) {
            long off = 0;
            for (int i = 0; i < index.length; i++) {
                off += index[i] * strides[i];
            }
            for (int j = 0; j < size; j++) {
                int from = swap ? (j / part) * part + part - 1 - j % part : j;
                out.put(in.get((int) off + from));
            }
            for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
    }

    static long[] contiguous(int[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= Math.max(1, shape[i]);
        }
        return s;
    }

    /** {@return the storage the tensor is a view of} */
    public TorchStorage storage() {
        return storage;
    }

    /** {@return the item type, its storage's} */
    public TorchDType dtype() {
        return storage.dtype();
    }

    /** {@return the size of each dimension (a copy), as {@code tensor.shape}} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the items to step in each dimension ({@code tensor.stride()})} */
    public long[] stride() {
        return stride.clone();
    }

    /** {@return the first item's index in the storage ({@code tensor.storage_offset()})} */
    public long storageOffset() {
        return offset;
    }

    /** {@return whether the tensor records gradients ({@code tensor.requires_grad})} */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** {@return whether the checkpoint held an {@code nn.Parameter} rather than a plain tensor} */
    public boolean isParameter() {
        return parameter;
    }

    /** {@return the number of items} */
    public int numel() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** {@return whether the view covers its items in C order without gaps} */
    public boolean isContiguous() {
        return Arrays.equals(stride, contiguous(shape)) || numel() <= 1;
    }

    /** The storage index of each item in C order. */
    private long[] indices() {
        int n = numel();
        long[] out = new long[n];
        int[] index = new int[shape.length];
        for (int k = 0; k < n; k++) {
            long at = offset;
            for (int i = 0; i < index.length; i++) {
                at += index[i] * stride[i];
            }
            out[k] = at;
            for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
        return out;
    }

    /**
     * The item at the index: {@code Float}, {@code Double}, {@code Long}, {@code Integer}, {@code Boolean}...
     * @param index one index per dimension, each 0 to that dimension's size - 1
     * @return the item
     * @throws IllegalArgumentException if there is not one index per dimension
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Object get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(index.length + " indices for a " + shape.length + "-D tensor");
        }
        long at = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + index[i] + " is out of bounds for dimension " + i
                        + " with size " + shape[i]);
            }
            at += index[i] * stride[i];
        }
        return item(at);
    }

    private Object item(long at) {
        ByteBuffer b = storage.buffer();
        int off = (int) (at * dtype().elementSize());
        return switch (dtype()) {
            case FLOAT32 -> b.getFloat(off);
            case FLOAT64 -> b.getDouble(off);
            case FLOAT16 -> halfToFloat(b.getShort(off));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(off) & 0xffff) << 16);
            case INT64 -> b.getLong(off);
            case INT32, QINT32 -> b.getInt(off);
            case INT16 -> b.getShort(off);
            case INT8, QINT8 -> b.get(off);
            case UINT8, QUINT8 -> (short) (b.get(off) & 0xff);
            case BOOL -> b.get(off) != 0;
            case COMPLEX64 -> new dev.picklejar.PyComplex(b.getFloat(off), b.getFloat(off + 4));
            case COMPLEX128 -> new dev.picklejar.PyComplex(b.getDouble(off), b.getDouble(off + 8));
        };
    }

    private static float halfToFloat(short h) {
        return dev.picklejar.numpy.NdArray.of(DType.FLOAT16, new int[0],
                ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, h), false).toFloatArray()[0];
    }

    /** {@return the items in C order as doubles (any real type)} */
    public double[] toDoubleArray() {
        long[] at = indices();
        double[] out = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            Object v = item(at[i]);
            out[i] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) real(v)).doubleValue();
        }
        return out;
    }

    /** {@return the items in C order as floats (float32, float16, bfloat16 and smaller ints)} */
    public float[] toFloatArray() {
        long[] at = indices();
        float[] out = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            Object v = item(at[i]);
            out[i] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) real(v)).floatValue();
        }
        return out;
    }

    /** {@return the items in C order as longs (integer and bool types)} */
    public long[] toLongArray() {
        requireIntegral("long[]");
        long[] at = indices();
        long[] out = new long[at.length];
        for (int i = 0; i < at.length; i++) {
            Object v = item(at[i]);
            out[i] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
        }
        return out;
    }

    /** {@return the items in C order as ints (integer types up to 32 bits, and bool)} */
    public int[] toIntArray() {
        requireIntegral("int[]");
        if (dtype() == TorchDType.INT64) {
            throw new IllegalStateException("an int64 tensor cannot be copied to int[] without loss; use toLongArray");
        }
        long[] v = toLongArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    /** {@return the items of a bool tensor in C order} */
    public boolean[] toBooleanArray() {
        if (dtype() != TorchDType.BOOL) {
            throw new IllegalStateException("a " + dtype().torchName() + " tensor is not a bool tensor");
        }
        long[] at = indices();
        boolean[] out = new boolean[at.length];
        for (int i = 0; i < at.length; i++) {
            out[i] = (Boolean) item(at[i]);
        }
        return out;
    }

    private void requireIntegral(String target) {
        switch (dtype()) {
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16, COMPLEX64, COMPLEX128 ->
                    throw new IllegalStateException("a " + dtype().torchName() + " tensor cannot be copied to " + target
                            + " without loss; use toDoubleArray");
            default -> {
            }
        }
    }

    private static Object real(Object v) {
        if (v instanceof dev.picklejar.PyComplex) {
            throw new IllegalStateException("a complex tensor has no real copy; use get()");
        }
        return v;
    }

    /**
     * The items as a numpy array in C order: a view of the storage (not copied) when the tensor is
     * contiguous, else a copy; bfloat16 is copied to float32.
     * @return the array, of the tensor's shape
     */
    public NdArray toNdArray() {
        DType d = dtype() == TorchDType.BFLOAT16 ? DType.FLOAT32 : dtype().numpyDType();
        if (isContiguous() && dtype() != TorchDType.BFLOAT16 && storage.buffer().order() == ByteOrder.LITTLE_ENDIAN) {
            int size = dtype().elementSize();
            ByteBuffer view = storage.buffer().position((int) (offset * size)).limit((int) ((offset + numel()) * size));
            return NdArray.of(d, shape, view.slice(), false);
        }
        ByteBuffer src = storage.buffer();
        if (src.order() == ByteOrder.BIG_ENDIAN && dtype() != TorchDType.BFLOAT16 && d.itemSize() > 1) {
            d = DType.of(">" + d.str().substring(1)); // a checkpoint saved with byteorder 'big': the bytes as they are
        }
        ByteBuffer out = ByteBuffer.allocate(numel() * d.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        int size = dtype().elementSize();
        for (long at : indices()) {
            if (dtype() == TorchDType.BFLOAT16) {
                out.putInt((src.getShort((int) (at * size)) & 0xffff) << 16);
            } else {
                for (int j = 0; j < size; j++) {
                    out.put(src.get((int) (at * size) + j));
                }
            }
        }
        out.flip();
        return NdArray.of(d, shape, out, false);
    }

    /**
     * {@code tensor(...)} with the items formatted as numpy formats them (not torch's own
     * 4-digit format), then the dtype where torch would name it and {@code requires_grad}.
     */
    @Override
    public String toString() {
        String body;
        try {
            String a = toNdArray().toString();
            int end = a.lastIndexOf(", dtype=");
            int shapeAt = a.lastIndexOf(", shape=");
            String items = a.substring("array(".length(), shapeAt > 0 ? shapeAt : end > 0 ? end : a.length() - 1);
            body = items.replace("\n      ", "\n       ");
        } catch (RuntimeException e) {
            body = "...";
        }
        StringBuilder s = new StringBuilder("tensor(").append(body);
        if (numel() > 1000 || numel() == 0) {
            s.append(", size=(").append(String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList()))
                    .append(shape.length == 1 ? ",)" : ")");
        }
        if (dtype() != TorchDType.FLOAT32 && dtype() != TorchDType.INT64 && dtype() != TorchDType.BOOL) {
            s.append(", dtype=").append(dtype().torchName());
        }
        if (requiresGrad) {
            s.append(", requires_grad=True");
        }
        return s.append(')').toString();
    }
}
