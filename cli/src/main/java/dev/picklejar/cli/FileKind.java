package dev.picklejar.cli;

import dev.picklejar.Repr;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a file that fails to read as a pickle from its first byte looks like, from its first bytes:
 * text, JSON, a zip archive, a numpy {@code .npy}, compressed data... so that an error can say
 * "not a pickle" and what it is instead of the reader's complaint about a made-up opcode.
 */
final class FileKind {
    /** How many leading bytes {@link #of} looks at. */
    static final int HEAD = 512;
    /** The code bytes of protocol 0's opcodes, the ones a text pickle can start with. */
    static final String PROTOCOL_0 = "(.012FILNPRSVabcdegilpst";
    /** Fewer bytes than this are too few to call text: "K" is a cut BININT1 as much as a word. */
    private static final int MIN_TEXT = 4;

    private record Magic(byte[] bytes, String kind) {
        Magic(String bytes, String kind) {
            this(bytes.getBytes(StandardCharsets.ISO_8859_1), kind);
        }
    }

    private static final Magic[] MAGICS = {
        new Magic("PK\u0003\u0004", "a zip archive (PyTorch checkpoints and numpy .npz files are zip archives: "
                + "picklejar scan reads the pickles inside)"),
        new Magic("PK\u0005\u0006", "an empty zip archive"),
        new Magic("\u001f\u008b", "gzip-compressed data (decompress it first, e.g. gunzip -c FILE | picklejar show -)"),
        new Magic("BZh", "bzip2-compressed data (decompress it first, e.g. bunzip2 -c FILE | picklejar show -)"),
        new Magic("\u00fd7zXZ\u0000", "xz-compressed data (decompress it first, e.g. xz -dc FILE | picklejar show -)"),
        new Magic("\u0028\u00b5\u002f\u00fd", "zstd-compressed data (decompress it first, e.g. zstd -dc FILE | picklejar show -)"),
        new Magic("\u0004\"M\u0018", "lz4-compressed data (decompress it first, e.g. lz4 -dc FILE | picklejar show -)"),
        new Magic("\u0093NUMPY", "a numpy .npy array (numpy.load reads it; only its object arrays hold a pickle, "
                + "after the header)"),
        new Magic("\u0089HDF\r\n\u001a\n", "an HDF5 file"),
        new Magic("PAR1", "a Parquet file"),
        new Magic("\u0089PNG\r\n\u001a\n", "a PNG image"),
        new Magic("\u00ff\u00d8\u00ff", "a JPEG image"),
        new Magic("%PDF-", "a PDF document"),
        new Magic("\u007fELF", "an ELF executable"),
        new Magic("\u00ca\u00fe\u00ba\u00be", "a Java class file"),
        new Magic("SQLite format 3\u0000", "an SQLite database"),
    };

    private FileKind() {
    }

    /**
     * What the first bytes of a file that is not a pickle look like, or {@code null} when they look
     * like nothing known. A pickle of protocol 2 or more starts with PROTO (0x80), so such a file is
     * a broken pickle, not something else: {@code null}.
     */
    static String of(byte[] head, int length) {
        if (length == 0 || (head[0] & 0xff) == 0x80) {
            return null;
        }
        for (Magic magic : MAGICS) {
            if (length >= magic.bytes.length && Arrays.equals(head, 0, magic.bytes.length, magic.bytes, 0, magic.bytes.length)) {
                return magic.kind;
            }
        }
        if (length < MIN_TEXT || !isText(head, length)) {
            return null;
        }
        int first = 0;
        while (first < length && Character.isWhitespace(head[first])) {
            first++;
        }
        if (first < length && (head[first] == '{' || head[first] == '[')) {
            return "JSON text (picklejar convert --from json reads JSON Lines)";
        }
        return "text";
    }

    /** Python's repr of the first bytes, at most {@code max} of them, with "..." when there are more. */
    static String preview(byte[] head, int length, int max) {
        String repr = Repr.of(Arrays.copyOf(head, Math.min(length, max)));
        return length > max ? repr + "..." : repr;
    }

    /**
     * UTF-8 without control characters other than tab, newline, carriage return and form feed
     * (a multi-byte character cut at the end of the head still counts).
     */
    private static boolean isText(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' || b == 0x7f) {
                return false;
            }
        }
        int end = length;
        // Drop a character cut by the end of the head: up to 3 trailing bytes of an unfinished sequence.
        for (int k = 1; k <= 3 && end - k >= 0; k++) {
            int b = head[end - k] & 0xff;
            if (b >= 0xc0) {
                int need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                if (need > k && length == HEAD) {
                    end -= k;
                }
                break;
            }
            if (b < 0x80) {
                break;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
