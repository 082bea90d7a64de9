package dev.picklejar;

/**
 * A pickle could not be read: it is malformed, truncated, refused by a limit or by strict mode, or
 * needs something that was not configured. The message names the byte offset and the opcode.
 */
public class PickleException extends RuntimeException {
    /** The byte offset of the opcode being read, -1 if none. */
    private final long offset;
    /** The opcode being read, as pickletools names it, or {@code null}. */
    private final String opcode;

    /**
     * An error at the given byte offset (from the start of the input) while reading the opcode.
     * @param message what is wrong, in words
     * @param offset the opcode's byte offset from the start of the input, or -1 if none
     * @param opcode the opcode's name as pickletools spells it ({@code BINUNICODE}), or {@code null} if none
     */
    public PickleException(String message, long offset, String opcode) {
        this(message, offset, opcode, null);
    }

    /**
     * An error while reading an opcode, caused by another.
     * @param message what is wrong, in words
     * @param offset the opcode's byte offset from the start of the input, or -1 if none
     * @param opcode the opcode's name as pickletools spells it, or {@code null} if none
     * @param cause the error behind it (an I/O error, a persistent_load failure...)
     */
    public PickleException(String message, long offset, String opcode, Throwable cause) {
        super(describe(message, offset, opcode), cause);
        this.offset = offset;
        this.opcode = opcode;
    }

    private static String describe(String message, long offset, String opcode) {
        if (offset < 0) {
            return message;
        }
        return opcode == null
                ? message + " (at byte " + offset + ")"
                : message + " (at byte " + offset + ", opcode " + opcode + ")";
    }

    /** {@return the byte offset of the opcode being read, counted from the start of the input; -1 if none} */
    public long offset() {
        return offset;
    }

    /** {@return the name of the opcode being read, or {@code null} when the error came before one} */
    public String opcode() {
        return opcode;
    }
}
