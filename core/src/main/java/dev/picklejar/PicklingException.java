package dev.picklejar;

/**
 * A value could not be written as a pickle: a Java type picklejar cannot express in Python, a
 * value Python's type cannot hold exactly, or a protocol too old for what the value needs. The
 * message says what and where in the graph.
 */
public class PicklingException extends RuntimeException {
    public PicklingException(String message) {
        super(message);
    }

    public PicklingException(String message, Throwable cause) {
        super(message, cause);
    }
}
