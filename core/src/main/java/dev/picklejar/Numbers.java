package dev.picklejar;

import java.math.BigInteger;

/** Python ints as Java numbers: the smallest of Integer, Long and BigInteger that holds the value. */
final class Numbers {
    private Numbers() {
    }

    private static final java.lang.invoke.VarHandle LONG_LITTLE_ENDIAN =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    static Object smallest(long value) {
        int i = (int) value;
        return i == value ? (Object) Integer.valueOf(i) : (Object) Long.valueOf(value);
    }

    static Object smallest(BigInteger value) {
        if (value.bitLength() < 64) {
            return smallest(value.longValue());
        }
        return value;
    }

    /** A little-endian two's-complement integer of any length, as LONG1 and LONG4 carry it. */
    static Object fromLittleEndian(byte[] buf, int offset, int length) {
        if (length == 0) {
            return Integer.valueOf(0);
        }
        if (length <= 8) {
            int shift = 64 - 8 * length;
            if (offset + 8 <= buf.length) {
                // One 8-byte read; the bytes past the field are shifted out, the sign shifted in.
                long raw = (long) LONG_LITTLE_ENDIAN.get(buf, offset);
                return smallest((raw << shift) >> shift);
            }
            long value = 0;
            for (int i = length - 1; i >= 0; i--) {
                value = (value << 8) | (buf[offset + i] & 0xff);
            }
            return smallest((value << shift) >> shift);
        }
        byte[] bigEndian = new byte[length];
        for (int i = 0; i < length; i++) {
            bigEndian[i] = buf[offset + length - 1 - i];
        }
        return smallest(new BigInteger(bigEndian));
    }

    /** Whether the value is a Python int (booleans are not, here). */
    static boolean isInt(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }

    static BigInteger toBigInteger(Object value) {
        return value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
    }
}
