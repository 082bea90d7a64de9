package dev.picklejar.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Collectors;

import dev.picklejar.PyByteArray;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;

/**
 * What a numpy array's pickle holds, read from the inert {@link PyObject} picklejar loads it as:
 * numpy's dtype string ({@code '<f8'}), its shape ({@code "2,3"}) and its raw C-order bytes. Two
 * forms: {@code _reconstruct} with a BUILD state (protocols 2 to 4) and {@code _frombuffer} of an
 * in-band buffer (protocol 5).
 */
record InertArray(String dtype, String shape, byte[] data) {
    static InertArray of(Object value) {
        PyObject array = assertInstanceOf(PyObject.class, value);
        PyGlobal global = array.global();
        if (global.equals(new PyGlobal("numpy.core.multiarray", "_reconstruct"))) {
            PyTuple state = assertInstanceOf(PyTuple.class, array.state());   // (1, shape, dtype, fortran, data)
            assertEquals(false, state.get(3), "a C-order array");
            return new InertArray(dtype(state.get(2)), shape(state.get(1)), bytes(state.get(4)));
        }
        assertEquals(new PyGlobal("numpy.core.numeric", "_frombuffer"), global);
        PyTuple args = array.args();                                           // (buffer, dtype, shape, order)
        assertEquals("C", args.get(3));
        return new InertArray(dtype(args.get(1)), shape(args.get(2)), bytes(args.get(0)));
    }

    /** numpy.dtype('f8', False, True) with state (3, '<', ...) is '<f8'. */
    private static String dtype(Object value) {
        PyObject dtype = assertInstanceOf(PyObject.class, value);
        assertEquals(new PyGlobal("numpy", "dtype"), dtype.global());
        PyTuple state = assertInstanceOf(PyTuple.class, dtype.state());
        return (String) state.get(1) + dtype.args().get(0);
    }

    private static String shape(Object value) {
        return assertInstanceOf(PyTuple.class, value).stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static byte[] bytes(Object value) {
        return value instanceof PyByteArray b ? b.bytes() : assertInstanceOf(byte[].class, value);
    }
}
