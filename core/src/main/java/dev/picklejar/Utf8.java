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

    /** Texts at least this long are tried as Latin-1 first (see decodeLatin1). */
    private static final int LATIN1_MIN = 256;

    /**
     * Text whose characters are all below U+0100, or null when it has another one or is not strict
     * UTF-8: then the caller decodes it again. This is the text CPython writes for a bytes object
     * below protocol 3 ({@code _codecs.encode(str(b, 'latin1'), 'latin1')}), where binary data
     * mixes one- and two-byte characters at random: decoded without a branch on the kind of each
     * character, which the processor would mispredict half the time (the JDK's decoder takes
     * twice as long on such text). Bytes [offset, ascii) are known to be ASCII.
     */
    private static String decodeLatin1(byte[] bytes, int offset, int ascii, int end) {
        byte[] out = new byte[end - offset];
        System.arraycopy(bytes, offset, out, 0, ascii - offset);
        int n = ascii - offset;
        int i = ascii;
        int last = end - 1;
        while (i < last) {
            int b0 = bytes[i] & 0xff;
            int b1 = bytes[i + 1] & 0xff;
            int high = b0 >>> 7;
            // A two-byte character below U+0100 is C2 or C3 then 10xxxxxx; anything else fails.
            int bad = (((b0 & 0xfe) ^ 0xc2) | ((b1 & 0xc0) ^ 0x80)) & -high;
            if (bad != 0) {
                return null;
            }
            int twoByte = (b0 << 6 | b1 & 0x3f) & 0xff;
            out[n++] = (byte) (b0 ^ ((b0 ^ twoByte) & -high));
            i += 1 + high;
        }
        if (i == last) {
            if (bytes[last] < 0) {
                return null;
            }
            out[n++] = bytes[last];
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
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
        if (length >= LATIN1_MIN) {
            String latin1 = decodeLatin1(bytes, offset, i, end);
            if (latin1 != null) {
                return latin1;
            }
        }
        // The JDK's decoder is much faster and replaces anything that is not strict UTF-8 (an encoded
        // surrogate included) by U+FFFD. With no U+FFFD in its result the input was strict UTF-8 and
        // the string is CPython's too; otherwise the exact decoder below says what went wrong, or
        // lets surrogates through, or finds that the U+FFFD were real.
        String fast = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (fast.indexOf('\uFFFD') < 0) {
            return fast;
        }
        return decodeExact(bytes, offset, length);
    }

    /**
     * Strict UTF-8, surrogates refused: what CPython's GLOBAL decodes its module and name with
     * ({@code PyUnicode_DecodeUTF8(..., "strict")}), where strings take surrogatepass.
     */
    static String decodeStrict(byte[] bytes, int offset, int length) throws MalformedException {
        String text = decode(bytes, offset, length);
        for (int i = offset; i + 1 < offset + length; i++) {
            if (bytes[i] == (byte) 0xed && (bytes[i + 1] & 0xff) >= 0xa0) {
                throw new MalformedException("invalid continuation byte", i - offset);
            }
        }
        return text;
    }

    /** The decoder itself, byte by byte: what the faster paths of decode() must agree with. */
    static String decodeExact(byte[] bytes, int offset, int length) throws MalformedException {
        int end = offset + length;
        int i = offset;
        char[] chars = new char[length];
        int n = 0;
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
