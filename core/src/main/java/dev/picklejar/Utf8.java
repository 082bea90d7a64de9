package dev.picklejar;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as CPython's pickle uses it: strict, except that lone surrogates (U+D800..U+DFFF encoded as
 * three bytes) pass through, as the {@code surrogatepass} error handler lets them.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Thrown for bytes that are not UTF-8; the reader turns it into a PickleException. */
    static final class MalformedException extends Exception {
        final int position;

        MalformedException(String message, int position) {
            super(message, null, false, false);
            this.position = position;
        }
    }

    static String decode(byte[] bytes, int offset, int length) throws MalformedException {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            // All ASCII: the JDK's Latin-1 path builds a compact string with one copy.
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        int n = 0;
        for (int j = offset; j < i; j++) {
            chars[n++] = (char) bytes[j];
        }
        while (i < end) {
            int b0 = bytes[i];
            if (b0 >= 0) {
                chars[n++] = (char) b0;
                i++;
                continue;
            }
            b0 &= 0xff;
            if (b0 < 0xc2) {
                throw new MalformedException("invalid start byte", i - offset);
            }
            if (b0 < 0xe0) {
                if (i + 1 >= end) {
                    throw new MalformedException("unexpected end of data", i - offset);
                }
                int b1 = bytes[i + 1];
                if ((b1 & 0xc0) != 0x80) {
                    throw new MalformedException("invalid continuation byte", i + 1 - offset);
                }
                chars[n++] = (char) (((b0 & 0x1f) << 6) | (b1 & 0x3f));
                i += 2;
            } else if (b0 < 0xf0) {
                if (i + 2 >= end) {
                    throw new MalformedException("unexpected end of data", i - offset);
                }
                int b1 = bytes[i + 1];
                int b2 = bytes[i + 2];
                if ((b1 & 0xc0) != 0x80 || (b0 == 0xe0 && (b1 & 0xff) < 0xa0)) {
                    throw new MalformedException("invalid continuation byte", i + 1 - offset);
                }
                if ((b2 & 0xc0) != 0x80) {
                    throw new MalformedException("invalid continuation byte", i + 2 - offset);
                }
                // Surrogates (ED A0..BF xx) are let through: surrogatepass.
                chars[n++] = (char) (((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f));
                i += 3;
            } else if (b0 < 0xf5) {
                if (i + 3 >= end) {
                    throw new MalformedException("unexpected end of data", i - offset);
                }
                int b1 = bytes[i + 1];
                int b2 = bytes[i + 2];
                int b3 = bytes[i + 3];
                int b1u = b1 & 0xff;
                if ((b1 & 0xc0) != 0x80 || (b0 == 0xf0 && b1u < 0x90) || (b0 == 0xf4 && b1u > 0x8f)) {
                    throw new MalformedException("invalid continuation byte", i + 1 - offset);
                }
                if ((b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80) {
                    throw new MalformedException("invalid continuation byte", i + 2 - offset);
                }
                int cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
                i += 4;
            } else {
                throw new MalformedException("invalid start byte", i - offset);
            }
        }
        return new String(chars, 0, n);
    }
}
