package dev.picklejar.fetch;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** How long to wait before a retry: exponential back-off with jitter, or what Retry-After asks. */
final class Backoff {
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(java.time.ZoneOffset.UTC);

    private Backoff() {
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): {@code initial * 2^(retry-1)},
     * capped at {@code max}, then a random point in its upper half ("equal jitter"), so that
     * clients that failed together do not retry together and no wait collapses to nothing.
     */
    static long delayNanos(int retry, long initialNanos, long maxNanos) {
        long d = initialNanos;
        for (int i = 1; i < retry && d < maxNanos; i++) {
            d = d > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : d * 2;
        }
        d = Math.min(d, maxNanos);
        long half = d / 2;
        return half + (d - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(d - half + 1));
    }

    /**
     * The wait a Retry-After header asks for, in nanoseconds from {@code now}: a number of seconds
     * or an HTTP date (RFC 9110: IMF-fixdate, or the obsolete RFC 850 and asctime forms); a date
     * in the past means no wait. -1 when the header is absent or unreadable.
     */
    static long retryAfterNanos(String value, Instant now) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return -1;
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 9) {
                return Long.MAX_VALUE; // more than 31 years: no caller waits that long
            }
            return TimeUnit.SECONDS.toNanos(Long.parseLong(v));
        }
        Instant at = parseDate(v);
        if (at == null) {
            return -1;
        }
        long millis = at.toEpochMilli() - now.toEpochMilli();
        return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static Instant parseDate(String v) {
        for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME}) {
            try {
                return ZonedDateTime.parse(v, f).toInstant();
            } catch (DateTimeParseException e) {
                // try the next of the three forms HTTP allows
            }
        }
        return null;
    }
}
