package dev.picklejar;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The short way in, like Python's {@code pickle} module functions. For options build a
 * {@link Pickler} (registrations, out-of-band buffers) or an {@link Unpickler} (encoding, limits,
 * strict mode, hooks).
 */
public final class Pickle {
    private Pickle() {
    }

    /** The highest protocol picklejar reads and writes. */
    public static final int HIGHEST_PROTOCOL = 5;

    /** The protocol written when none is given, as in Python 3.8+. */
    public static final int DEFAULT_PROTOCOL = 5;

    /**
     * The pickle of the value at the default protocol (5).
     * @param value what to pickle: a Java value picklejar maps to Python, or a Py* value
     * @return the pickle's bytes
     * @throws PicklingException if the value, or a value inside it, cannot be pickled
     */
    public static byte[] dumps(Object value) {
        return Pickler.standard(DEFAULT_PROTOCOL).dumps(value);
    }

    /**
     * The pickle of the value at the given protocol (0 to 5).
     * @param value what to pickle
     * @param protocol the pickle protocol, 0 to 5
     * @return the pickle's bytes
     * @throws PicklingException if the value, or a value inside it, cannot be pickled
     * @throws IllegalArgumentException if {@code protocol} is out of range
     */
    public static byte[] dumps(Object value, int protocol) {
        return Pickler.standard(protocol).dumps(value);
    }

    /**
     * Writes the pickle of the value to the stream at the given protocol.
     * @param value what to pickle
     * @param out where the pickle goes; neither flushed nor closed
     * @param protocol the pickle protocol, 0 to 5
     * @throws PicklingException if the value, or a value inside it, cannot be pickled
     * @throws java.io.UncheckedIOException if the stream fails
     * @throws IllegalArgumentException if {@code protocol} is out of range
     */
    public static void dump(Object value, OutputStream out, int protocol) {
        Pickler.standard(protocol).dump(value, out);
    }

    /**
     * Reads the pickle at the start of {@code data}.
     * @param data holds the pickle; bytes after its STOP are ignored
     * @return the loaded value; {@code null} for Python's {@code None}
     * @throws PickleException if the bytes are not a whole pickle, or the pickle goes past a default limit
     */
    public static Object loads(byte[] data) {
        return Unpickler.standard().loads(data);
    }

    /**
     * Reads one pickle from the stream, leaving what follows it (see {@link Unpickler#load(InputStream)}).
     * @param in the stream
     * @return the loaded value; {@code null} for Python's {@code None}
     * @throws PickleException if the stream does not hold a whole pickle, or it goes past a default limit
     * @throws java.io.UncheckedIOException if the stream fails
     */
    public static Object load(InputStream in) {
        return Unpickler.standard().load(in);
    }
}
