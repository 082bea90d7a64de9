package dev.picklejar.fetch;

import java.net.URI;

/** One request and its complete response: what a download needs to decide what comes next. */
record Exchange(URI uri, int status, String reason, String contentType, String location, String retryAfter,
                byte[] body) {
    boolean isRedirect() {
        return location != null
                && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308);
    }

    boolean isRetryable() {
        return status == 429 || status >= 500 && status <= 599;
    }
}
