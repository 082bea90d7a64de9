package dev.picklejar.net;

/**
 * A problem exchanging messages with a peer: a refused handshake, an oversized or truncated frame, a
 * message that does not unpickle, a closed connection. The message names the peer.
 */
public class NetException extends RuntimeException {
    /**
     * A problem with a peer.
     * @param message what went wrong, naming the peer
     */
    public NetException(String message) {
        super(message);
    }

    /**
     * A problem with a peer, from a lower-level error.
     * @param message what went wrong, naming the peer
     * @param cause the error behind it (an I/O error, a {@link dev.picklejar.PickleException}...)
     */
    public NetException(String message, Throwable cause) {
        super(message, cause);
    }
}
