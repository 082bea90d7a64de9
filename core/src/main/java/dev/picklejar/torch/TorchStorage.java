package dev.picklejar.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The memory of one PyTorch storage: its items' bytes (memory-mapped from the checkpoint when
 * loaded from a file), their type, its key in the checkpoint and its device. Tensors are views
 * of a storage; tensors that share one in Python share one here.
 */
public final class TorchStorage {
    private final String key;
    private final TorchDType dtype;
    private final String location;
    private final long size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private ByteBuffer data;

    /**
     * A storage over the bytes, little-endian.
     * @param key the storage's key, its file under {@code data/} in a zip checkpoint; not null
     * @param dtype the item type; not null
     * @param location where the storage lives: {@code cpu}, {@code cuda:0}...; not null
     * @param data the items, from position to limit; the storage keeps a slice
     * @throws IllegalArgumentException if {@code data} does not hold a whole number of items
     */
    public TorchStorage(String key, TorchDType dtype, String location, ByteBuffer data) {
        this.key = Objects.requireNonNull(key, "key");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.location = Objects.requireNonNull(location, "location");
        this.data = data.slice();
        if (this.data.remaining() % dtype.elementSize() != 0) {
            throw new IllegalArgumentException("a " + dtype.torchName() + " storage of " + this.data.remaining()
                    + " bytes");
        }
        this.size = this.data.remaining() / dtype.elementSize();
    }

    /** A storage whose bytes come later (a legacy checkpoint keeps them after its pickles). */
    TorchStorage(String key, TorchDType dtype, String location, long size) {
        this.key = key;
        this.dtype = dtype;
        this.location = location;
        this.size = size;
    }

    void attach(ByteBuffer bytes, ByteOrder byteOrder) {
        if (bytes.remaining() != size * dtype.elementSize()) {
            throw new IllegalArgumentException("storage " + key + " has " + bytes.remaining() + " bytes, not "
                    + size * dtype.elementSize() + " for " + size + " items of " + dtype.torchName());
        }
        this.data = bytes.slice();
        this.order = byteOrder;
    }

    /** {@return the storage's key: its file under {@code data/} in a zip checkpoint} */
    public String key() {
        return key;
    }

    /** {@return the item type} */
    public TorchDType dtype() {
        return dtype;
    }

    /** {@return where the storage lived when saved: {@code cpu}, {@code cuda:0}...} */
    public String location() {
        return location;
    }

    boolean hasBytes() {
        return data != null;
    }

    /** {@return the number of items} */
    public long size() {
        return size;
    }

    /**
     * {@return the bytes in the checkpoint's byte order (little-endian unless its {@code byteorder} says otherwise),
     * not copied}
     */
    public ByteBuffer buffer() {
        if (data == null) {
            throw new IllegalStateException("storage " + key + " has no bytes: the checkpoint ended before them");
        }
        return data.duplicate().order(order);
    }

    @Override
    public String toString() {
        return "torch." + dtype.storageClass() + "(key='" + key + "', size=" + size() + ", location='" + location + "')";
    }
}
