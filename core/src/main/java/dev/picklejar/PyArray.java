package dev.picklejar;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Python {@code array.array}: a typecode and its items in a Java primitive array of the items'
 * size, as a Java program reads them. Loaded from both forms CPython pickles (protocols 0-2:
 * {@code array.array(typecode, list)}; 3 and up: {@code array._array_reconstructor} with the raw
 * little-endian bytes) and written back in the form of the protocol, byte for byte as CPython.
 *
 * <table>
 *   <caption>Typecodes and their Java arrays</caption>
 *   <tr><th>typecode</th><th>C type (Linux, 64-bit)</th><th>{@link #values()}</th></tr>
 *   <tr><td>{@code b}, {@code B}</td><td>signed, unsigned char</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code h}, {@code H}</td><td>signed, unsigned short</td><td>{@code short[]}</td></tr>
 *   <tr><td>{@code i}, {@code I}</td><td>signed, unsigned int</td><td>{@code int[]}</td></tr>
 *   <tr><td>{@code l}, {@code L}, {@code q}, {@code Q}</td><td>(unsigned) long, long long: 8 bytes</td><td>{@code long[]}</td></tr>
 *   <tr><td>{@code f}, {@code d}</td><td>float, double</td><td>{@code float[]}, {@code double[]}</td></tr>
 *   <tr><td>{@code u}</td><td>wchar_t: 4 bytes</td><td>{@code int[]} of code points</td></tr>
 * </table>
 *
 * <p>The unsigned typecodes keep their items' bits: read them with {@link Byte#toUnsignedInt},
 * {@link Short#toUnsignedInt}, {@link Integer#toUnsignedLong} or {@link Long#toUnsignedString},
 * or take {@link #item(int)}, the Python value. The array is the caller's: it is neither copied in
 * nor out. Equality compares typecode and items.
 */
public final class PyArray {
    private static final String TYPECODES = "bBhHiIlLqQfdu";

    private final char typecode;
    private final Object values;

    private PyArray(char typecode, Object values) {
        this.typecode = typecode;
        this.values = values;
    }

    /**
     * An array of the typecode over a primitive array of the matching Java type (see the table).
     *
     * @param typecode one of {@code b B u h H i I l L q Q f d}, as {@code array.array} takes it
     * @param values the items, a primitive array of the typecode's Java type; not copied
     * @return the array
     * @throws IllegalArgumentException for an unknown typecode or an array of another type
     */
    public static PyArray of(char typecode, Object values) {
        Objects.requireNonNull(values, "values");
        Class<?> expected = javaType(typecode);
        if (expected == null) {
            throw new IllegalArgumentException("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d): " + typecode);
        }
        if (values.getClass() != expected) {
            throw new IllegalArgumentException("typecode '" + typecode + "' holds a " + expected.getSimpleName()
                    + ", not a " + values.getClass().getSimpleName());
        }
        return new PyArray(typecode, values);
    }

    /**
     * The array a Java primitive array is written as by default: {@code int[]} typecode 'i',
     * {@code long[]} 'q', {@code short[]} 'h', {@code float[]} 'f', {@code double[]} 'd'.
     *
     * @param primitiveArray an {@code int[]}, {@code long[]}, {@code short[]}, {@code float[]} or {@code double[]};
     *     not copied
     * @return the array
     * @throws IllegalArgumentException for any other type ({@code byte[]} is Python bytes)
     */
    public static PyArray of(Object primitiveArray) {
        char typecode = typecodeOf(Objects.requireNonNull(primitiveArray, "primitiveArray"));
        if (typecode == 0) {
            throw new IllegalArgumentException("no array typecode for a " + primitiveArray.getClass().getSimpleName());
        }
        return new PyArray(typecode, primitiveArray);
    }

    /** The Java array type of a typecode's items, or null for an unknown typecode. */
    static Class<?> javaType(char typecode) {
        return switch (typecode) {
            case 'b', 'B' -> byte[].class;
            case 'h', 'H' -> short[].class;
            case 'i', 'I', 'u' -> int[].class;
            case 'l', 'L', 'q', 'Q' -> long[].class;
            case 'f' -> float[].class;
            case 'd' -> double[].class;
            default -> null;
        };
    }

    /** The typecode CPython writes for a Java primitive array, or 0 when there is none. */
    static char typecodeOf(Object primitiveArray) {
        if (primitiveArray instanceof int[]) {
            return 'i';
        } else if (primitiveArray instanceof long[]) {
            return 'q';
        } else if (primitiveArray instanceof double[]) {
            return 'd';
        } else if (primitiveArray instanceof float[]) {
            return 'f';
        } else if (primitiveArray instanceof short[]) {
            return 'h';
        }
        return 0;
    }

    /**
     * An array of the typecode over the items in {@code bytes}, little-endian, as
     * {@code array(typecode).frombytes(bytes)} on a little-endian machine.
     *
     * @param typecode one of {@code b B u h H i I l L q Q f d}
     * @param bytes the items, little-endian; copied
     * @return the array
     * @throws IllegalArgumentException for an unknown typecode or a length not a multiple of the item size
     */
    public static PyArray fromBytes(char typecode, byte[] bytes) {
        if (javaType(typecode) == null) {
            throw new IllegalArgumentException("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d): " + typecode);
        }
        return StandardLibrary.array(String.valueOf(typecode), StandardLibrary.machineFormat(typecode), bytes);
    }

    /** {@return the items as little-endian bytes, as {@code array.tobytes()} on a little-endian machine} */
    public byte[] toBytes() {
        return StandardLibrary.bytes(this);
    }

    /** {@return the size of one item in bytes, as {@code array.itemsize}} */
    public int itemSize() {
        return switch (typecode) {
            case 'b', 'B' -> 1;
            case 'h', 'H' -> 2;
            case 'i', 'I', 'u', 'f' -> 4;
            default -> 8;
        };
    }

    /** {@return the typecode, as {@code array.typecode}: {@code 'i'}, {@code 'd'}...} */
    public char typecode() {
        return typecode;
    }

    /**
     * {@return the items: a {@code byte[]}, {@code short[]}, {@code int[]}, {@code long[]}, {@code float[]} or
     * {@code double[]}}
     */
    public Object values() {
        return values;
    }

    /** {@return the number of items} */
    public int length() {
        return Array.getLength(values);
    }

    /**
     * The item as Python sees it: an {@code Integer}, {@code Long} or {@code BigInteger} for the
     * integer typecodes (unsigned ones read as unsigned), a {@code Double} for {@code f} and
     * {@code d}, a one-character {@code String} for {@code u}.
     * @param index the item's index, 0 to {@link #length()} - 1
     * @return the item
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public Object item(int index) {
        return switch (typecode) {
            case 'b' -> (int) ((byte[]) values)[index];
            case 'B' -> Byte.toUnsignedInt(((byte[]) values)[index]);
            case 'h' -> (int) ((short[]) values)[index];
            case 'H' -> Short.toUnsignedInt(((short[]) values)[index]);
            case 'i' -> ((int[]) values)[index];
            case 'I' -> Numbers.smallest(Integer.toUnsignedLong(((int[]) values)[index]));
            case 'l', 'q' -> Numbers.smallest(((long[]) values)[index]);
            case 'L', 'Q' -> {
                long v = ((long[]) values)[index];
                yield v >= 0 ? Numbers.smallest(v) : new java.math.BigInteger(Long.toUnsignedString(v));
            }
            case 'f' -> (double) ((float[]) values)[index];
            case 'd' -> ((double[]) values)[index];
            default -> Character.toString(((int[]) values)[index]);
        };
    }

    /** The items of a {@code u} array as a String. */
    String text() {
        int[] codePoints = (int[]) values;
        return new String(codePoints, 0, codePoints.length);
    }

    /** Whether the typecode is one array.array knows. */
    static boolean isTypecode(String code) {
        return code.length() == 1 && TYPECODES.indexOf(code.charAt(0)) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyArray a && a.typecode == typecode && Arrays.deepEquals(new Object[] {values}, new Object[] {a.values});
    }

    @Override
    public int hashCode() {
        return typecode * 31 + Arrays.deepHashCode(new Object[] {values});
    }

    /** As Python's {@code repr()}: {@code array('i', [1, -2, 3])}. */
    @Override
    public String toString() {
        return Repr.of(this);
    }
}
