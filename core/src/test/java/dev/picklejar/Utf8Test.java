package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Utf8.decode takes faster paths (all ASCII, all below U+0100, the JDK's decoder) before its exact
 * byte-by-byte decoder; they must agree with it on every input, valid or not: same string, or the
 * same error at the same position. CPython's own decoding of such texts is checked by the reader
 * vectors and the differential test; this one covers the long texts the fast paths are for.
 */
class Utf8Test {
    private static final String[] POOLS = {
        "abc xyz 012", "\u00e9\u00ff\u0080\u00a0\u00c3\u00c2", "\ud55c\uad6d\uc5b4\u20ac\uffff\ufffd",
        "\ud83d\ude00\ud800\udc00", "\ud800", "\udfff",
    };

    @Test
    void everyFastPathAgreesWithTheExactDecoder() throws Exception {
        Random random = new Random(20261125);
        for (int round = 0; round < 3000; round++) {
            String text = randomText(random);
            byte[] utf8 = PickleWriter.encodeUtf8(text);
            assertEquals(text, Utf8.decode(utf8, 0, utf8.length));
            assertSame(utf8);
            // Corruptions: one byte changed, the text cut short, a byte inserted.
            byte[] changed = utf8.clone();
            if (changed.length > 0) {
                changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
                assertSame(changed);
                assertSame(java.util.Arrays.copyOf(utf8, random.nextInt(utf8.length)));
            }
            byte[] inserted = new byte[utf8.length + 1];
            int at = random.nextInt(inserted.length);
            System.arraycopy(utf8, 0, inserted, 0, at);
            inserted[at] = (byte) (0x80 + random.nextInt(128));
            System.arraycopy(utf8, at, inserted, at + 1, utf8.length - at);
            assertSame(inserted);
        }
    }

    @Test
    void longLatin1TextAndItsEdges() throws Exception {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String latin1 = new String(all, StandardCharsets.ISO_8859_1);
        byte[] utf8 = latin1.getBytes(StandardCharsets.UTF_8);
        assertEquals(latin1, Utf8.decode(utf8, 0, utf8.length));
        // A lead byte with nothing after it, and a lead byte followed by ASCII.
        byte[] cut = java.util.Arrays.copyOf(utf8, utf8.length - 1);
        assertThrows(Utf8.MalformedException.class, () -> Utf8.decode(cut, 0, cut.length));
        assertSame(cut);
        byte[] ascii = ("x".repeat(300) + "\u00e9").getBytes(StandardCharsets.UTF_8);
        ascii[ascii.length - 1] = 'y';
        assertThrows(Utf8.MalformedException.class, () -> Utf8.decode(ascii, 0, ascii.length));
        assertSame(ascii);
        // Encoded surrogates pass (surrogatepass); an offset into a larger array is honoured.
        String surrogates = "\u00e9".repeat(200) + "\ud800\udfff" + "\u00ff".repeat(100);
        byte[] encoded = PickleWriter.encodeUtf8(surrogates);
        byte[] framed = new byte[encoded.length + 10];
        System.arraycopy(encoded, 0, framed, 5, encoded.length);
        assertEquals(surrogates, Utf8.decode(framed, 5, encoded.length));
    }

    /** decode() and decodeExact() give the same string or fail at the same place with the same words. */
    private static void assertSame(byte[] bytes) {
        String expected;
        try {
            expected = Utf8.decodeExact(bytes, 0, bytes.length);
        } catch (Utf8.MalformedException e) {
            Utf8.MalformedException actual = assertThrows(Utf8.MalformedException.class,
                    () -> Utf8.decode(bytes, 0, bytes.length));
            assertEquals(e.getMessage() + " at " + e.position, actual.getMessage() + " at " + actual.position);
            return;
        }
        try {
            assertEquals(expected, Utf8.decode(bytes, 0, bytes.length));
        } catch (Utf8.MalformedException e) {
            throw new AssertionError("decode failed where the exact decoder did not: " + e.getMessage(), e);
        }
    }

    private static String randomText(Random random) {
        // Mostly one pool (long Latin-1 or Korean runs reach the fast paths), sometimes a mix.
        int length = random.nextInt(4) == 0 ? random.nextInt(20) : 200 + random.nextInt(2000);
        boolean mixed = random.nextInt(3) == 0;
        String pool = POOLS[random.nextInt(mixed ? POOLS.length : 3)];
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            if (mixed) {
                pool = POOLS[random.nextInt(POOLS.length)];
            }
            int k = random.nextInt(pool.length());
            char c = pool.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < pool.length() && Character.isLowSurrogate(pool.charAt(k + 1))) {
                b.append(c).append(pool.charAt(k + 1));
            } else if (!Character.isLowSurrogate(c) || pool.length() == 1) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
