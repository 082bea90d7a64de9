package dev.picklejar;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Python {@code bytearray}: a mutable byte sequence, compared by content. The array is held, not
 * copied, so that large payloads are never copied twice.
 */
public final class PyByteArray {
    private byte[] bytes;

    /**
     * Wraps the given array without copying it.
     * @param bytes the content; not copied, not null
     */
    public PyByteArray(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** {@return the bytes, not copied: changes to the array change this bytearray} */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * Replaces the content, as assigning {@code b[:] = ...} does in Python.
     * @param bytes the new content; not copied, not null
     */
    public void setBytes(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** {@return the number of bytes} */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyByteArray other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return Repr.of(this);
    }
}
