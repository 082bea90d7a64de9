package dev.picklejar.net;

/** The connection closed before a send, a receive or a reply could complete (Python's {@code EOFError}). */
public class ConnectionClosedException extends NetException {
    public ConnectionClosedException(String message) {
        super(message);
    }

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
