package dev.picklejar.net;

/**
 * A problem exchanging messages with a peer: a refused handshake, an oversized or truncated frame, a
 * message that does not unpickle, a closed connection. The message names the peer.
 */
public class NetException extends RuntimeException {
    public NetException(String message) {
        super(message);
    }

    public NetException(String message, Throwable cause) {
        super(message, cause);
    }
}
