package dev.picklejar.net;

/**
 * The authentication handshake failed: a wrong key on either side, a digest this side does not
 * accept, or a peer that does not follow the protocol (Python's {@code AuthenticationError}).
 */
public class AuthenticationException extends NetException {
    /**
     * A failed handshake.
     * @param message what failed and with which peer
     */
    public AuthenticationException(String message) {
        super(message);
    }

    /**
     * A failed handshake, from a lower-level error.
     * @param message what failed and with which peer
     * @param cause the error that made the handshake fail (an I/O error, a time-out)
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
