package dev.picklejar.torch;

import dev.picklejar.numpy.DType;

/** The element types of PyTorch storages, by the storage class a checkpoint names ({@code torch.FloatStorage}). */
public enum TorchDType {
    FLOAT32("FloatStorage", 4, DType.FLOAT32),
    FLOAT64("DoubleStorage", 8, DType.FLOAT64),
    FLOAT16("HalfStorage", 2, DType.FLOAT16),
    /** bfloat16: the upper half of a float32; numpy has no such type, so copies go through float. */
    BFLOAT16("BFloat16Storage", 2, null),
    INT64("LongStorage", 8, DType.INT64),
    INT32("IntStorage", 4, DType.INT32),
    INT16("ShortStorage", 2, DType.INT16),
    INT8("CharStorage", 1, DType.INT8),
    UINT8("ByteStorage", 1, DType.UINT8),
    BOOL("BoolStorage", 1, DType.BOOL),
    COMPLEX64("ComplexFloatStorage", 8, DType.COMPLEX64),
    COMPLEX128("ComplexDoubleStorage", 16, DType.COMPLEX128),
    QINT8("QInt8Storage", 1, DType.INT8),
    QUINT8("QUInt8Storage", 1, DType.UINT8),
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

    public int elementSize() {
        return elementSize;
    }

    /** {@return the numpy dtype with the same items (little-endian), or null for bfloat16} */
    public DType numpyDType() {
        return numpy;
    }

    /** torch's name: {@code torch.float32}. */
    public String torchName() {
        return "torch." + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The dtype of a storage class name, or null. */
    public static TorchDType ofStorageClass(String name) {
        for (TorchDType t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
