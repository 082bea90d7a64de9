package dev.picklejar;

/**
 * How the argument that follows an opcode's code byte is laid out in the stream, named as in
 * CPython's pickletools.
 */
public enum ArgType {
    /** No argument. */
    NONE(Layout.NONE, 0),
    /** One unsigned byte. */
    UINT1(Layout.FIXED, 1),
    /** An unsigned 2-byte little-endian integer. */
    UINT2(Layout.FIXED, 2),
    /** A signed 4-byte little-endian integer. */
    INT4(Layout.FIXED, 4),
    /** An unsigned 4-byte little-endian integer. */
    UINT4(Layout.FIXED, 4),
    /** An unsigned 8-byte little-endian integer. */
    UINT8(Layout.FIXED, 8),
    /** An 8-byte big-endian IEEE double. */
    FLOAT8(Layout.FIXED, 8),
    /** A quoted Python 2 string literal up to a newline. */
    STRINGNL(Layout.LINE, 0),
    /** An unquoted name up to a newline. */
    STRINGNL_NOESCAPE(Layout.LINE, 0),
    /** Two unquoted names, each ended by a newline. */
    STRINGNL_NOESCAPE_PAIR(Layout.LINE, 0),
    /** Raw-unicode-escape text up to a newline. */
    UNICODESTRINGNL(Layout.LINE, 0),
    /** A decimal integer up to a newline; {@code 00} and {@code 01} mean False and True. */
    DECIMALNL_SHORT(Layout.LINE, 0),
    /** A decimal integer up to a newline, with an optional trailing {@code L}. */
    DECIMALNL_LONG(Layout.LINE, 0),
    /** A decimal float literal up to a newline ({@code repr} of a float, or {@code inf}, {@code nan}). */
    FLOATNL(Layout.LINE, 0),
    /** One unsigned length byte, then that many bytes. */
    STRING1(Layout.COUNTED, 1),
    /** A signed 4-byte little-endian length, then that many bytes. */
    STRING4(Layout.COUNTED, 4),
    /** One unsigned length byte, then that many bytes. */
    BYTES1(Layout.COUNTED, 1),
    /** An unsigned 4-byte little-endian length, then that many bytes. */
    BYTES4(Layout.COUNTED, 4),
    /** An unsigned 8-byte little-endian length, then that many bytes. */
    BYTES8(Layout.COUNTED, 8),
    /** An unsigned 8-byte little-endian length, then that many bytes of a bytearray. */
    BYTEARRAY8(Layout.COUNTED, 8),
    /** One unsigned length byte, then that many bytes of UTF-8. */
    UNICODESTRING1(Layout.COUNTED, 1),
    /** An unsigned 4-byte little-endian length, then that many bytes of UTF-8. */
    UNICODESTRING4(Layout.COUNTED, 4),
    /** An unsigned 8-byte little-endian length, then that many bytes of UTF-8. */
    UNICODESTRING8(Layout.COUNTED, 8),
    /** One length byte, then a little-endian two's-complement integer. */
    LONG1(Layout.COUNTED, 1),
    /** A signed 4-byte length, then a little-endian two's-complement integer. */
    LONG4(Layout.COUNTED, 4);

    /** The three shapes an argument takes. */
    public enum Layout {
        /** Nothing follows the code byte. */
        NONE,
        /** A fixed number of bytes. */
        FIXED,
        /** Text ended by a newline (two lines for {@link ArgType#STRINGNL_NOESCAPE_PAIR}). */
        LINE,
        /** A little-endian length of {@link ArgType#width()} bytes, then that many bytes. */
        COUNTED
    }

    private final Layout layout;
    private final int width;

    ArgType(Layout layout, int width) {
        this.layout = layout;
        this.width = width;
    }

    /** {@return the shape of the argument} */
    public Layout layout() {
        return layout;
    }

    /** {@return for {@code FIXED}, the argument's size; for {@code COUNTED}, the size of its length field; else 0} */
    public int width() {
        return width;
    }
}
