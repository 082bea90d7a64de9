package dev.picklejar.net;

/** The connection closed before a send, a receive or a reply could complete (Python's {@code EOFError}). */
public class ConnectionClosedException extends NetException {
    /**
     * A closed connection.
     * @param message what could not complete and which peer's connection closed
     */
    public ConnectionClosedException(String message) {
        super(message);
    }

    /**
     * A closed connection, from the error that closed it.
     * @param message what could not complete and which peer's connection closed
     * @param cause the error that closed the connection
     */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
