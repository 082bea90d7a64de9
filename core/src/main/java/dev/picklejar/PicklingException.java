package dev.picklejar;

/**
 * A value could not be written as a pickle: a Java type picklejar cannot express in Python, a
 * value Python's type cannot hold exactly, or a protocol too old for what the value needs. The
 * message says what and where in the graph.
 */
public class PicklingException extends RuntimeException {
    /**
     * A value that cannot be pickled.
     * @param message what cannot be pickled and why, with the path to it inside the value
     */
    public PicklingException(String message) {
        super(message);
    }

    /**
     * A value that cannot be pickled, because of another error.
     * @param message what cannot be pickled and why
     * @param cause the error behind it (a state function or converter that threw, say)
     */
    public PicklingException(String message, Throwable cause) {
        super(message, cause);
    }
}
