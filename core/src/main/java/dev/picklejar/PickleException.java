package dev.picklejar;

/**
 * A pickle could not be read: it is malformed, truncated, refused by a limit or by strict mode, or
 * needs something that was not configured. The message names the byte offset and the opcode.
 */
public class PickleException extends RuntimeException {
    private final long offset;
    private final String opcode;

    /** An error at the given byte offset (from the start of the input) while reading the opcode. */
    public PickleException(String message, long offset, String opcode) {
        this(message, offset, opcode, null);
    }

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
