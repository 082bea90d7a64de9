package dev.picklejar;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A byte buffer that protocol 5 may send out of band, like Python's {@code pickle.PickleBuffer}:
 * a {@link Pickler} with a buffer callback writes NEXT_BUFFER in its place and hands the buffer to
 * the callback; without one (or when the callback keeps it in band) it is written as
 * {@code bytes} when read-only and {@code bytearray} otherwise.
 */
public final class PickleBuffer {
    private final ByteBuffer buffer;

    /**
     * Wraps the buffer's remaining bytes; a read-only buffer is written as bytes, a writable one as bytearray.
     * @param buffer the bytes from its position to its limit; not copied
     */
    public PickleBuffer(ByteBuffer buffer) {
        this.buffer = Objects.requireNonNull(buffer, "buffer").slice();
    }

    /**
     * A read-only buffer over the array (not copied).
     * @param bytes the bytes; not copied, not null
     * @return the buffer
     */
    public static PickleBuffer readOnly(byte[] bytes) {
        return new PickleBuffer(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    /**
     * A writable buffer over the array (not copied).
     * @param bytes the bytes; not copied, not null
     * @return the buffer
     */
    public static PickleBuffer writable(byte[] bytes) {
        return new PickleBuffer(ByteBuffer.wrap(bytes));
    }

    /** {@return the bytes, as a buffer positioned at their start} */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    /**
     * {@return whether the buffer is read-only, written as {@code bytes} in band rather than as {@code bytearray}}
     */
    public boolean isReadOnly() {
        return buffer.isReadOnly();
    }

    /** {@return the number of bytes} */
    public int length() {
        return buffer.remaining();
    }
}
