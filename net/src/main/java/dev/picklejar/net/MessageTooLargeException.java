package dev.picklejar.net;

/** A peer announced a message longer than this side accepts; the connection is closed. */
public class MessageTooLargeException extends NetException {
    /** The length the peer announced, in bytes. */
    private final long length;
    /** The most this side accepts, in bytes. */
    private final long maximum;

    /**
     * A message refused for its length.
     * @param message what was refused, from which peer
     * @param length the length the peer announced, in bytes
     * @param maximum the most this side accepts, in bytes
     */
    public MessageTooLargeException(String message, long length, long maximum) {
        super(message);
        this.length = length;
        this.maximum = maximum;
    }

    /** {@return the length the peer announced, in bytes} */
    public long length() {
        return length;
    }

    /** {@return the most this side accepts, in bytes} */
    public long maximum() {
        return maximum;
    }
}
