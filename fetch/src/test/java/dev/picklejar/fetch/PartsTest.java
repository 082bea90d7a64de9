package dev.picklejar.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pieces without a network: Retry-After, back-off, charsets, URLs, the limiter's order. */
class PartsTest {
    static final Instant NOW = Instant.parse("2026-11-25T09:30:00Z");

    @Test
    void retryAfterInSeconds() {
        assertEquals(TimeUnit.SECONDS.toNanos(120), Backoff.retryAfterNanos("120", NOW));
        assertEquals(0, Backoff.retryAfterNanos(" 0 ", NOW));
        assertEquals(Long.MAX_VALUE, Backoff.retryAfterNanos("99999999999999999999", NOW));
    }

    @Test
    void retryAfterAsAnHttpDate() {
        assertEquals(TimeUnit.SECONDS.toNanos(90), Backoff.retryAfterNanos("Wed, 25 Nov 2026 09:31:30 GMT", NOW));
        assertEquals(TimeUnit.SECONDS.toNanos(90), Backoff.retryAfterNanos("Wednesday, 25-Nov-26 09:31:30 GMT", NOW));
        assertEquals(TimeUnit.SECONDS.toNanos(90), Backoff.retryAfterNanos("Wed Nov 25 09:31:30 2026", NOW));
        assertEquals(0, Backoff.retryAfterNanos("Tue, 24 Nov 2026 09:31:30 GMT", NOW), "a date past means now");
    }

    @Test
    void anUnreadableRetryAfterIsIgnored() {
        assertEquals(-1, Backoff.retryAfterNanos(null, NOW));
        assertEquals(-1, Backoff.retryAfterNanos("", NOW));
        assertEquals(-1, Backoff.retryAfterNanos("-5", NOW));
        assertEquals(-1, Backoff.retryAfterNanos("soon", NOW));
    }

    @Test
    void backoffDoublesWithJitterInItsUpperHalfAndIsCapped() {
        long initial = 100;
        long max = 1000;
        for (int i = 0; i < 200; i++) {
            long first = Backoff.delayNanos(1, initial, max);
            assertTrue(first >= 50 && first <= 100, "retry 1: " + first);
            long third = Backoff.delayNanos(3, initial, max);
            assertTrue(third >= 200 && third <= 400, "retry 3: " + third);
            long late = Backoff.delayNanos(40, initial, max);
            assertTrue(late >= 500 && late <= 1000, "retry 40: " + late);
        }
        assertEquals(0, Backoff.delayNanos(1, 0, 0));
    }

    @Test
    void charsetsAreReadFromTheContentType() {
        assertEquals("utf-8", Decoding.charset("text/html; charset=utf-8"));
        assertEquals("EUC-KR", Decoding.charset("text/html;Charset=\"EUC-KR\""));
        assertEquals("latin1", Decoding.charset("text/plain; format=flowed; charset=latin1; x=\"a;b\""));
        assertNull(Decoding.charset("text/plain; name=\"charset=utf-8;\""));
        assertNull(Decoding.charset("text/plain"));
        assertEquals("text/html", Decoding.mediaType(" Text/HTML ; charset=utf-8"));
    }

    @Test
    void textIsDecodedOnlyWhenItIsText() {
        byte[] utf8 = "한국어".getBytes(StandardCharsets.UTF_8);
        assertEquals("한국어", Decoding.text("text/plain", utf8));
        assertEquals("한국어", Decoding.text("application/json", utf8));
        assertEquals("한국어", Decoding.text("application/ld+json", utf8));
        assertEquals("한국어", Decoding.text(null, utf8), "no Content-Type: valid UTF-8 is text");
        assertNull(Decoding.text(null, new byte[] {(byte) 0xff}), "no Content-Type: anything else is bytes");
        assertNull(Decoding.text("image/png", utf8));
        assertNull(Decoding.text("text/plain; charset=no-such-charset", utf8));
        assertEquals("\ufffd", Decoding.text("text/plain; charset=utf-8", new byte[] {(byte) 0xff}));
    }

    @Test
    void urlsAreCheckedAndNormalized() {
        assertEquals("http://example.com/", Urls.parse("http://example.com").toString());
        assertEquals("https://example.com/a?b=c", Urls.parse("HTTPS://example.com/a?b=c#frag").toString());
        assertEquals("http://xn--3e0b707e.kr/%ED%95%9C", Urls.parse("http://한국.kr/한").toString());
        assertEquals("http://xn--3e0b707e.kr:8080/", Urls.parse("http://한국.kr:8080/").toString());
        assertEquals("http://[::1]:8080/", Urls.parse("http://[::1]:8080/").toString());
        assertEquals("http://example.com:80", Urls.hostKey(Urls.parse("http://Example.COM/")));
        assertEquals("https://example.com:443", Urls.hostKey(Urls.parse("https://example.com/")));
        for (String bad : List.of("", "example.com", "ftp://example.com/", "http://", "http://a b/", "mailto:x@y")) {
            assertThrows(IllegalArgumentException.class, () -> Urls.parse(bad), bad);
        }
    }

    @Test
    void redirectsAreResolvedAgainstTheUrlThatAnswered() {
        assertEquals("http://a.com/x/z", Urls.resolve(Urls.parse("http://a.com/x/y"), "z").toString());
        assertEquals("http://a.com/z", Urls.resolve(Urls.parse("http://a.com/x/y"), "/z").toString());
        assertEquals("https://b.com/", Urls.resolve(Urls.parse("http://a.com/x/y"), "https://b.com").toString());
        assertEquals("http://b.com/q", Urls.resolve(Urls.parse("http://a.com/x/y"), "//b.com/q").toString());
        assertThrows(IllegalArgumentException.class, () -> Urls.resolve(Urls.parse("http://a.com/"), "ftp://b.com/"));
    }

    /** A job that records when it starts and ends on demand. */
    static final class Job implements Limiter.Job {
        final long seq;
        final List<String> log;
        boolean done;
        String host;

        Job(long seq, List<String> log) {
            this.seq = seq;
            this.log = log;
        }

        @Override
        public long seq() {
            return seq;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public void start(String host) {
            this.host = host;
            log.add(host + seq);
        }
    }

    @Test
    void theLimiterStartsJobsInOrderWithoutLettingAFullHostHoldUpOthers() {
        List<String> log = new ArrayList<>();
        Limiter limiter = new Limiter(3, 2);
        List<Job> jobs = new ArrayList<>();
        String[] hosts = {"a", "a", "a", "a", "b", "b"};
        for (int i = 0; i < hosts.length; i++) {
            Job job = new Job(i, log);
            jobs.add(job);
            limiter.submit(job, hosts[i]);
        }
        assertEquals(List.of("a0", "a1", "b4"), log, "a is full after two: b's job goes ahead of a2");
        assertEquals(3, limiter.active());

        jobs.get(3).done = true; // ended while it waited: skipped when its turn comes
        limiter.release("a");
        assertEquals(List.of("a0", "a1", "b4", "a2"), log);
        limiter.release("a");
        assertEquals(List.of("a0", "a1", "b4", "a2", "b5"), log);

        Job retry = new Job(0, log); // a job that comes back keeps its early number
        Job later = new Job(10, log);
        limiter.submit(later, "b");
        limiter.submit(retry, "b");
        limiter.release("b");
        assertEquals("b0", log.get(log.size() - 1));
        limiter.releaseAndSubmit("b", new Job(1, log), "c");
        assertEquals("c1", log.get(log.size() - 1));
        assertThrows(IllegalStateException.class, () -> limiter.release("nowhere"));
    }
}
