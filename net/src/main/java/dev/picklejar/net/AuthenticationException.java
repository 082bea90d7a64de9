package dev.picklejar.net;

/**
 * The authentication handshake failed: a wrong key on either side, a digest this side does not
 * accept, or a peer that does not follow the protocol (Python's {@code AuthenticationError}).
 */
public class AuthenticationException extends NetException {
    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
