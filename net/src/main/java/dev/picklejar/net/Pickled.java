package dev.picklejar.net;

import dev.picklejar.Unpickler;
import java.util.Arrays;
import java.util.Objects;

/**
 * A pickle kept as its bytes: sent as it is, without loading and re-pickling it, and what a
 * connection delivers in place of loaded values when built with {@code rawMessages(true)}.
 */
public final class Pickled {
    private final byte[] bytes;

    private Pickled(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The pickle in {@code bytes} (copied).
     * @param bytes one whole pickle, as {@code pickle.dumps} returns it; not null
     * @return the message, holding its own copy
     */
    public static Pickled of(byte[] bytes) {
        return new Pickled(bytes.clone());
    }

    /**
     * The pickle in {@code bytes[offset, offset + length)} (copied).
     * @param bytes holds the pickle; not null
     * @param offset where the pickle starts in {@code bytes}
     * @param length the pickle's length in bytes
     * @return the message, holding its own copy
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     */
    public static Pickled of(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new Pickled(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    static Pickled wrap(byte[] bytes) {
        return new Pickled(bytes);
    }

    /** {@return a copy of the bytes} */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] array() {
        return bytes;
    }

    /** {@return the pickle's length in bytes} */
    public int length() {
        return bytes.length;
    }

    /**
     * Loads the pickle with the given unpickler.
     * @param unpickler how to load it (strict mode, limits, encoding); not null
     * @return the loaded value; {@code null} for Python's {@code None}
     * @throws dev.picklejar.PickleException if the bytes are not a pickle the unpickler accepts
     */
    public Object load(Unpickler unpickler) {
        return unpickler.loads(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pickled p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Pickled[" + bytes.length + " bytes]";
    }
}
