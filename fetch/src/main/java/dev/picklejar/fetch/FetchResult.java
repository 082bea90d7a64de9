package dev.picklejar.fetch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What became of one URL: the status of the last response, its body as text (or bytes), the error
 * if the page could not be had, the time taken and the number of attempts. Immutable.
 *
 * <p>{@link #error()} is null exactly when the page was downloaded: a response with a status
 * below 400 and a body within the limit. Otherwise it says why, in one line: an HTTP error status
 * ({@code HTTP 404 Not Found}, the body is still there), a connection failure, a time-out, too
 * many redirects, a body over the limit, an invalid URL, or {@code cancelled}.
 */
public final class FetchResult {
    private final String url;
    private final String finalUrl;
    private final Integer status;
    private final String contentType;
    private final String text;
    private final byte[] body;
    private final String error;
    private final Duration elapsed;
    private final int attempts;

    FetchResult(String url, String finalUrl, Integer status, String contentType, String text, byte[] body,
                String error, Duration elapsed, int attempts) {
        this.url = url;
        this.finalUrl = finalUrl;
        this.status = status;
        this.contentType = contentType;
        this.text = text;
        this.body = body;
        this.error = error;
        this.elapsed = elapsed;
        this.attempts = attempts;
    }

    /** {@return the URL as it was given} */
    public String url() {
        return url;
    }

    /** {@return the URL of the last request made: after redirects, where the page was found} */
    public String finalUrl() {
        return finalUrl;
    }

    /** {@return the HTTP status of the last response, or null when no response came (or the URL was invalid)} */
    public Integer status() {
        return status;
    }

    /** {@return the response's Content-Type header, or null} */
    public String contentType() {
        return contentType;
    }

    /**
     * The body decoded by the charset the server declares (Content-Type {@code charset}; UTF-8 for
     * text types that declare none), or null when the body is not text or there is no body.
     * @return the body as text, or null
     */
    public String text() {
        return text;
    }

    /** {@return a copy of the body as it arrived (decompressed), or null when there is no response body} */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** {@return the body's length in bytes, or -1 when there is none} */
    public int bodyLength() {
        return body == null ? -1 : body.length;
    }

    /** {@return why the page could not be had, or null when it was downloaded} */
    public String error() {
        return error;
    }

    /** {@return true when the page was downloaded ({@link #error()} is null)} */
    public boolean ok() {
        return error == null;
    }

    /**
     * {@return the time from the first request's start to the end, retries and redirects included; zero if it never
     * started}
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * {@return how many times a request was sent for this URL (retries included, redirect hops not);
     * 0 if none was}
     */
    public int attempts() {
        return attempts;
    }

    /**
     * This result as the Python dict {@code picklejar fetch} writes, ready for
     * {@link dev.picklejar.Pickle#dumps}: {@code status} (int or None), {@code text} (str or None),
     * {@code bytes} (the body as bytes when it is not text, else None), {@code error} (str or None),
     * {@code content_type} (str or None), {@code final_url} (str), {@code elapsed} (float seconds)
     * and {@code attempts} (int).
     * @return a new mutable map, in that key order
     */
    public Map<String, Object> toPython() {
        Map<String, Object> d = new LinkedHashMap<>(12);
        d.put("status", status);
        d.put("text", text);
        d.put("bytes", text == null ? body : null);
        d.put("error", error);
        d.put("content_type", contentType);
        d.put("final_url", finalUrl);
        d.put("elapsed", elapsed.toNanos() / 1e9);
        d.put("attempts", attempts);
        return d;
    }

    /**
     * Results as the Python dict keyed by URL that {@code picklejar fetch} writes, in the map's order.
     * @param results the results by URL, as {@link Batch#join()} gives them; not null
     * @return a new map from each URL to its result's {@link #toPython()} dict
     */
    public static Map<String, Object> toPython(Map<String, FetchResult> results) {
        Map<String, Object> d = new LinkedHashMap<>(Math.max(16, results.size() * 2));
        results.forEach((url, result) -> d.put(url, result.toPython()));
        return d;
    }

    @Override
    public String toString() {
        return url + " -> " + (error != null ? error : "HTTP " + status)
                + (Objects.equals(url, finalUrl) ? "" : " at " + finalUrl)
                + (body == null ? "" : ", " + body.length + " bytes")
                + ", " + elapsed.toMillis() + " ms, " + attempts + (attempts == 1 ? " attempt" : " attempts");
    }
}
