package dev.picklejar.net;

/** A peer announced a message longer than this side accepts; the connection is closed. */
public class MessageTooLargeException extends NetException {
    private final long length;
    private final long maximum;

    public MessageTooLargeException(String message, long length, long maximum) {
        super(message);
        this.length = length;
        this.maximum = maximum;
    }

    /** The length the peer announced, in bytes. */
    public long length() {
        return length;
    }

    /** The most this side accepts, in bytes. */
    public long maximum() {
        return maximum;
    }
}
