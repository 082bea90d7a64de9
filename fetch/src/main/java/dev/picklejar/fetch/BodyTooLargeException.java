package dev.picklejar.fetch;

/** A response body longer than the configured limit: reading stops and the connection is closed. */
final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String contentType;

    BodyTooLargeException(int status, String contentType, long limit, long declared) {
        super("body larger than the limit of " + limit + " bytes"
                + (declared >= 0 ? " (Content-Length: " + declared + ")" : ""), null, false, false);
        this.status = status;
        this.contentType = contentType;
    }
}
