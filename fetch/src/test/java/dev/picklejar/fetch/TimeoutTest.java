package dev.picklejar.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the time-outs count, against real sockets on loopback: a URL's clock starts when its
 * request has been written, so a fresh client's start-up is not counted, while a server that never
 * answers and a connection that never opens still end in bounded time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutTest {
    @Test
    void aFreshClientTimesOutNoPageOfAHealthyServerAtOneSecond() throws IOException {
        List<String> urls = new ArrayList<>();
        try (TestServer server = new TestServer()
                .on("/p/", x -> TestServer.send(x, 200, "text/plain; charset=utf-8",
                        x.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8)))) {
            for (int i = 0; i < 300; i++) {
                urls.add(server.url("/p/" + i));
            }
            warmUp(server.url("/p/warm-up"));
            try (Fetcher fresh = Fetcher.builder().concurrency(20).timeout(Duration.ofSeconds(1)).build()) {
                Map<String, FetchResult> pages = fresh.fetchAll(urls).join();
                for (String url : urls) {
                    FetchResult page = pages.get(url);
                    assertNull(page.error(), url);
                    assertEquals(url.substring(url.indexOf("/p/")), page.text());
                }
            }
        }
    }

    @Test
    void aServerThatReadsTheRequestAndNeverAnswersTimesOut() throws Exception {
        CountDownLatch requestRead = new CountDownLatch(1);
        List<Socket> held = new ArrayList<>();
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = stalling.accept();
                        held.add(s);
                        readHead(s.getInputStream());
                        requestRead.countDown();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + stalling.getLocalPort() + "/never";
            try (Fetcher fetcher = Fetcher.builder().timeout(Duration.ofMillis(500)).build()) {
                FetchResult r = fetcher.fetch(url).join();
                assertTrue(requestRead.await(1, TimeUnit.SECONDS), "the server read the request");
                assertEquals(url, r.url());
                assertNull(r.status());
                assertEquals("timed out after 0.5 s", r.error());
                assertEquals(1, r.attempts());
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionThatNeverOpensIsBoundedByTheConnectTimeout() throws IOException {
        // A listening socket that never accepts, its accept queue filled: Linux then drops the
        // SYNs of further connections, which neither open nor fail.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = fill(full);
            try (Fetcher fetcher = Fetcher.builder()
                    .connectTimeout(Duration.ofMillis(300)).timeout(Duration.ofMillis(500)).retries(2).build()) {
                String url = "http://127.0.0.1:" + full.getLocalPort() + "/";
                FetchResult r = fetcher.fetch(url).join();
                assertEquals(url, r.url());
                assertNull(r.status());
                // The first connect fails after 300 ms and starts the clock; the retries fit in its
                // 500 ms only in part (the back-off is random), so either the time-out ends the URL,
                // naming the last problem, or the last retry's own connect time-out does.
                String problem = "connect timed out: connection timed out after 300 ms: /127.0.0.1:" + full.getLocalPort();
                assertTrue(r.error().equals(problem) || r.error().equals("timed out after 0.5 s (last attempt: " + problem + ")"),
                        r.error());
                assertTrue(r.attempts() >= 2, "the connect time-out is retried: " + r.attempts());
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    /**
     * Has the server (in this JVM) answer a few requests first, through the JDK's own client: a
     * healthy server is one already serving, so only the client under test starts cold.
     */
    static void warmUp(String url) throws IOException {
        for (int i = 0; i < 20; i++) {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
        }
    }

    /** Opens connections until one no longer completes: the accept queue is then full. */
    private static List<Socket> fill(ServerSocket server) throws IOException {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
                open.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return open;
            }
        }
        throw new IllegalStateException("the accept queue of port " + server.getLocalPort() + " never filled");
    }

    /** Reads up to the blank line that ends a request's head. */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }
}
