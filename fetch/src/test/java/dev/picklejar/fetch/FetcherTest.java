package dev.picklejar.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The downloader against a real HTTP server on loopback: what each kind of page gives. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FetcherTest {
    static final String KOREAN = "<p>안녕하세요, 세계! 한국어 페이지</p>";
    static final String EUC_KR_TEXT = "한국어 EUC-KR 페이지";
    static final String LATIN1_TEXT = "café, naïve, über";

    static TestServer server;
    static Fetcher fetcher;
    /** Released when the tests end: handlers of pages that never answer wait on it. */
    static final CountDownLatch forever = new CountDownLatch(1);
    static final AtomicInteger flaky = new AtomicInteger();
    static final AtomicInteger busy = new AtomicInteger();
    static final List<Long> busyArrivals = new CopyOnWriteArrayList<>();
    static final AtomicInteger alwaysFailing = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer()
                .on("/korean", x -> TestServer.send(x, 200, "text/html; charset=utf-8", KOREAN.getBytes(StandardCharsets.UTF_8)))
                .on("/euc-kr", x -> TestServer.send(x, 200, "text/plain; charset=EUC-KR", EUC_KR_TEXT.getBytes(Charset.forName("EUC-KR"))))
                .on("/latin1", x -> TestServer.send(x, 200, "text/html;charset=\"ISO-8859-1\"", LATIN1_TEXT.getBytes(StandardCharsets.ISO_8859_1)))
                .on("/no-charset", x -> TestServer.send(x, 200, "text/plain", "기본 UTF-8".getBytes(StandardCharsets.UTF_8)))
                .on("/binary", x -> TestServer.send(x, 200, "application/octet-stream", new byte[] {0, (byte) 0xff, 'a'}))
                .on("/empty", x -> TestServer.send(x, 204, null, new byte[0]))
                .on("/missing", x -> TestServer.send(x, 404, "text/plain; charset=utf-8", "no such page".getBytes(StandardCharsets.UTF_8)))
                .on("/hop/", x -> {
                    int n = Integer.parseInt(x.getRequestURI().getPath().substring("/hop/".length()));
                    if (n == 0) {
                        TestServer.send(x, 200, "text/plain", "arrived".getBytes(StandardCharsets.UTF_8));
                    } else {
                        x.getResponseHeaders().set("Location", n % 2 == 0 ? "/hop/" + (n - 1) : String.valueOf(n - 1));
                        TestServer.send(x, n % 3 == 0 ? 301 : 302, null, new byte[0]);
                    }
                })
                .on("/loop", x -> {
                    x.getResponseHeaders().set("Location", "/loop");
                    TestServer.send(x, 302, null, new byte[0]);
                })
                .on("/slow", x -> {
                    forever.await();
                    TestServer.send(x, 200, "text/plain", "too late".getBytes(StandardCharsets.UTF_8));
                })
                .on("/flaky", x -> {
                    if (flaky.incrementAndGet() == 1) {
                        TestServer.send(x, 500, "text/plain", "oops".getBytes(StandardCharsets.UTF_8));
                    } else {
                        TestServer.send(x, 200, "text/plain", "recovered".getBytes(StandardCharsets.UTF_8));
                    }
                })
                .on("/always-503", x -> {
                    alwaysFailing.incrementAndGet();
                    TestServer.send(x, 503, "text/plain", "down".getBytes(StandardCharsets.UTF_8));
                })
                .on("/busy", x -> {
                    busyArrivals.add(System.nanoTime());
                    if (busy.incrementAndGet() == 1) {
                        x.getResponseHeaders().set("Retry-After", "1");
                        TestServer.send(x, 429, "text/plain", "slow down".getBytes(StandardCharsets.UTF_8));
                    } else {
                        TestServer.send(x, 200, "text/plain", "welcome back".getBytes(StandardCharsets.UTF_8));
                    }
                })
                .on("/busy-for-an-hour", x -> {
                    x.getResponseHeaders().set("Retry-After", "3600");
                    TestServer.send(x, 429, "text/plain", "come back later".getBytes(StandardCharsets.UTF_8));
                })
                .on("/busy-forever", x -> {
                    x.getResponseHeaders().set("Retry-After", "99999999999");
                    TestServer.send(x, 503, "text/plain", "gone fishing".getBytes(StandardCharsets.UTF_8));
                })
                .on("/big", x -> TestServer.send(x, 200, "text/plain", new byte[2000]))
                .on("/big-chunked", x -> TestServer.sendChunked(x, "text/plain", new byte[5000]))
                .on("/at-limit", x -> TestServer.sendChunked(x, "text/plain", new byte[1000]));
        fetcher = Fetcher.builder()
                .concurrency(8)
                .timeout(Duration.ofSeconds(10))
                .retries(2)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .maxBodySize(1000)
                .build();
    }

    @AfterAll
    static void stop() {
        forever.countDown();
        fetcher.close();
        server.close();
    }

    static FetchResult get(String path) {
        return fetcher.fetch(server.url(path)).join();
    }

    @Test
    void textIsDecodedByTheCharsetTheServerDeclares() {
        List<String> urls = List.of(server.url("/korean"), server.url("/euc-kr"), server.url("/latin1"),
                server.url("/no-charset"));
        Map<String, FetchResult> results = fetcher.fetchAll(urls).join();
        assertEquals(urls, new ArrayList<>(results.keySet()));
        FetchResult korean = results.get(urls.get(0));
        assertEquals(200, korean.status());
        assertEquals(KOREAN, korean.text());
        assertNull(korean.error());
        assertEquals("text/html; charset=utf-8", korean.contentType());
        assertEquals(1, korean.attempts());
        assertEquals(EUC_KR_TEXT, results.get(urls.get(1)).text());
        assertArrayEquals(EUC_KR_TEXT.getBytes(Charset.forName("EUC-KR")), results.get(urls.get(1)).body());
        assertEquals(LATIN1_TEXT, results.get(urls.get(2)).text());
        assertEquals("기본 UTF-8", results.get(urls.get(3)).text());
    }

    @Test
    void aBodyThatIsNotTextStaysBytes() {
        FetchResult r = get("/binary");
        assertEquals(200, r.status());
        assertNull(r.text());
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'a'}, r.body());
        assertTrue(r.ok());
    }

    @Test
    void noContentHasNoBody() {
        FetchResult r = get("/empty");
        assertEquals(204, r.status());
        assertTrue(r.ok());
    }

    @Test
    void notFoundIsAnErrorThatKeepsItsBody() {
        FetchResult r = get("/missing");
        assertEquals(404, r.status());
        assertEquals("HTTP 404 Not Found", r.error());
        assertEquals("no such page", r.text());
        assertEquals(1, r.attempts());
    }

    @Test
    void redirectsAreFollowedUpToTen() {
        FetchResult r = get("/hop/10");
        assertEquals(200, r.status());
        assertEquals("arrived", r.text());
        assertEquals(server.url("/hop/0"), r.finalUrl());
        assertEquals(server.url("/hop/10"), r.url());
        assertEquals(1, r.attempts(), "redirect hops are not attempts");
        assertTrue(r.ok());

        FetchResult tooMany = get("/hop/11");
        assertEquals("too many redirects (more than 10)", tooMany.error());
        assertEquals(302, tooMany.status());
        assertEquals(server.url("/hop/1"), tooMany.finalUrl());
    }

    @Test
    void aRedirectLoopEndsAfterTenRedirects() {
        FetchResult r = get("/loop");
        assertEquals("too many redirects (more than 10)", r.error());
        assertEquals(302, r.status());
        assertNull(r.text());
    }

    @Test
    void aPageSlowerThanTheTimeoutEndsWithATimeout() {
        try (Fetcher quick = Fetcher.builder().timeout(Duration.ofMillis(300)).build()) {
            FetchResult r = quick.fetch(server.url("/slow")).join();
            assertEquals("timed out after 0.3 s", r.error());
            assertNull(r.status());
            assertTrue(r.elapsed().toMillis() >= 300, r.elapsed().toString());
        }
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        FetchResult r = fetcher.fetch("http://127.0.0.1:" + closedPort + "/").join();
        assertNull(r.status());
        assertTrue(r.error().startsWith("connection failed: Connection refused"), r.error());
        assertEquals(3, r.attempts());
    }

    @Test
    void httpsIsSpokenToHttpsUrlsAndATlsFailureIsNotRetried() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread answerer = new Thread(() -> {
                // Answers whatever comes, a TLS hello included, in plain HTTP.
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept()) {
                        connections.incrementAndGet();
                        s.getInputStream().read(new byte[512]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            answerer.setDaemon(true);
            answerer.start();
            FetchResult r = fetcher.fetch("https://127.0.0.1:" + plain.getLocalPort() + "/").join();
            assertEquals("TLS failed: the server did not answer in TLS (is it plain HTTP?)", r.error());
            assertNull(r.status());
            assertEquals(1, r.attempts());
            assertEquals(1, connections.get());
        }
    }

    @Test
    void aServerErrorThatGoesAwayIsRetried() {
        FetchResult r = get("/flaky");
        assertEquals(200, r.status());
        assertEquals("recovered", r.text());
        assertEquals(2, r.attempts());
        assertTrue(r.ok());
    }

    @Test
    void aServerErrorThatStaysIsReportedAfterTheRetries() {
        FetchResult r = get("/always-503");
        assertEquals(503, r.status());
        assertEquals("HTTP 503 Service Unavailable", r.error());
        assertEquals("down", r.text());
        assertEquals(3, r.attempts());
        assertEquals(3, alwaysFailing.get());
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterAsks() {
        FetchResult r = get("/busy");
        assertEquals(200, r.status());
        assertEquals("welcome back", r.text());
        assertEquals(2, r.attempts());
        assertEquals(2, busyArrivals.size());
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(busyArrivals.get(1) - busyArrivals.get(0));
        assertTrue(gapMillis >= 990, "Retry-After: 1 honoured, but the retry came after " + gapMillis + " ms");
    }

    @Test
    void aRetryAfterPastTheTimeoutIsNotWaitedFor() {
        FetchResult r = get("/busy-for-an-hour");
        assertEquals(429, r.status());
        assertEquals("HTTP 429 Too Many Requests (Retry-After 3600 s is past the time-out)", r.error());
        assertEquals(1, r.attempts());
        assertEquals("come back later", r.text());

        FetchResult forever = get("/busy-forever");
        assertEquals(503, forever.status());
        assertTrue(forever.error().startsWith("HTTP 503 Service Unavailable (Retry-After "), forever.error());
        assertEquals(1, forever.attempts());
    }

    @Test
    void aBodyOverTheLimitIsAnError() {
        FetchResult declared = get("/big");
        assertEquals(200, declared.status());
        assertEquals("body larger than the limit of 1000 bytes (Content-Length: 2000)", declared.error());
        assertNull(declared.text());
        assertEquals(1, declared.attempts());

        FetchResult streamed = get("/big-chunked");
        assertEquals(200, streamed.status());
        assertEquals("body larger than the limit of 1000 bytes", streamed.error());

        FetchResult atLimit = get("/at-limit");
        assertTrue(atLimit.ok(), atLimit.toString());
        assertEquals(1000, atLimit.bodyLength());
    }

    @Test
    void invalidUrlsAreRecordedNotThrown() {
        List<String> urls = List.of("ftp://example.com/", "not a url", "http://", "/relative");
        Map<String, FetchResult> results = fetcher.fetchAll(urls).join();
        assertEquals(urls, new ArrayList<>(results.keySet()));
        for (FetchResult r : results.values()) {
            assertTrue(r.error().startsWith("invalid URL: "), r.error());
            assertEquals(0, r.attempts());
            assertNull(r.status());
        }
    }

    @Test
    void aUrlGivenTwiceIsFetchedOnceAndTheOrderIsKept() {
        List<String> urls = List.of(server.url("/latin1"), server.url("/korean"), server.url("/latin1"));
        Batch batch = fetcher.fetchAll(urls);
        assertEquals(2, batch.size());
        assertEquals(List.of(urls.get(0), urls.get(1)), new ArrayList<>(batch.join().keySet()));
        assertEquals(KOREAN, batch.future(urls.get(1)).join().text());
    }

    @Test
    void eachUrlHasItsFutureAndTheBatchHasOneForAll() {
        List<String> urls = List.of(server.url("/korean"), server.url("/missing"));
        Batch batch = fetcher.fetchAll(urls);
        CompletableFuture<FetchResult> first = batch.future(urls.get(0));
        assertEquals(KOREAN, first.join().text());
        assertEquals(404, batch.futures().get(urls.get(1)).join().status());
        assertTrue(batch.results().join().values().stream().allMatch(r -> r.status() != null));
        assertThrows(IllegalArgumentException.class, () -> batch.future("http://elsewhere/"));
    }

    @Test
    void theProgressListenerHearsOfEveryUrlInTurn() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            urls.add(server.url("/hop/" + i));
        }
        List<int[]> calls = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        fetcher.fetchAll(urls, (result, done, total) -> {
            calls.add(new int[] {done, total});
            seen.add(result.url());
        }).join();
        assertEquals(6, calls.size());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(new int[] {i + 1, 6}, calls.get(i));
        }
        assertEquals(urls.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    void anEmptyBatchIsDoneAtOnce() {
        Batch batch = fetcher.fetchAll(List.of());
        assertTrue(batch.isDone());
        assertEquals(Map.of(), batch.join());
    }

    @Test
    void aClosedFetcherRefusesWork() {
        Fetcher closed = Fetcher.builder().build();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.fetch(server.url("/korean")));
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Fetcher.builder().concurrency(0));
        assertThrows(IllegalArgumentException.class, () -> Fetcher.builder().retries(-1));
        assertThrows(IllegalArgumentException.class, () -> Fetcher.builder().timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Fetcher.builder().maxBodySize(-1));
        assertThrows(IllegalArgumentException.class,
                () -> Fetcher.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
