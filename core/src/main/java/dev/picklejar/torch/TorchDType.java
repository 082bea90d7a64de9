package dev.picklejar.torch;

import dev.picklejar.numpy.DType;

/** The element types of PyTorch storages, by the storage class a checkpoint names ({@code torch.FloatStorage}). */
public enum TorchDType {
    /** {@code torch.float32}, torch's default floating-point type. */
    FLOAT32("FloatStorage", 4, DType.FLOAT32),
    /** {@code torch.float64}. */
    FLOAT64("DoubleStorage", 8, DType.FLOAT64),
    /** {@code torch.float16}, IEEE half precision. */
    FLOAT16("HalfStorage", 2, DType.FLOAT16),
    /** bfloat16: the upper half of a float32; numpy has no such type, so copies go through float. */
    BFLOAT16("BFloat16Storage", 2, null),
    /** {@code torch.int64}, torch's default integer type. */
    INT64("LongStorage", 8, DType.INT64),
    /** {@code torch.int32}. */
    INT32("IntStorage", 4, DType.INT32),
    /** {@code torch.int16}. */
    INT16("ShortStorage", 2, DType.INT16),
    /** {@code torch.int8} (a {@code CharStorage}). */
    INT8("CharStorage", 1, DType.INT8),
    /** {@code torch.uint8} (a {@code ByteStorage}). */
    UINT8("ByteStorage", 1, DType.UINT8),
    /** {@code torch.bool}, one byte per item. */
    BOOL("BoolStorage", 1, DType.BOOL),
    /** {@code torch.complex64}, two float32. */
    COMPLEX64("ComplexFloatStorage", 8, DType.COMPLEX64),
    /** {@code torch.complex128}, two float64. */
    COMPLEX128("ComplexDoubleStorage", 16, DType.COMPLEX128),
    /** {@code torch.qint8}: the raw int8 values of a quantized tensor, without its scale and zero point. */
    QINT8("QInt8Storage", 1, DType.INT8),
    /** {@code torch.quint8}: the raw uint8 values of a quantized tensor, without its scale and zero point. */
    QUINT8("QUInt8Storage", 1, DType.UINT8),
    /** {@code torch.qint32}: the raw int32 values of a quantized tensor, without its scale and zero point. */
    QINT32("QInt32Storage", 4, DType.INT32);

    private final String storageClass;
    private final int elementSize;
    private final DType numpy;

    TorchDType(String storageClass, int elementSize, DType numpy) {
        this.storageClass = storageClass;
        this.elementSize = elementSize;
        this.numpy = numpy;
    }

    /** {@return the storage class's name in module {@code torch}: {@code FloatStorage}} */
    public String storageClass() {
        return storageClass;
    }

    /** {@return the bytes per item} */
    public int elementSize() {
        return elementSize;
    }

    /** {@return the numpy dtype with the same items (little-endian), or null for bfloat16} */
    public DType numpyDType() {
        return numpy;
    }

    /** {@return torch's name: {@code torch.float32}} */
    public String torchName() {
        return "torch." + name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The dtype of a storage class name, or null.
     * @param name a storage class's name without its module: {@code FloatStorage}
     * @return the dtype, or null when torch has no such storage class
     */
    public static TorchDType ofStorageClass(String name) {
        for (TorchDType t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
