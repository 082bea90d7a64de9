package dev.picklejar.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The global and per-host limits, counted by the server as requests in flight. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LimitsTest {
    /**
     * Counts requests in flight and holds each until a whole group of {@code group} has arrived,
     * so a client allowed {@code group} requests at once reaches exactly that many (and the gate
     * sees more if the client sends more). A group never completes only if the client stalls,
     * which the safety wait turns into a failed count rather than a hung test.
     */
    static final class Gate {
        private final int group;
        private int arrivals;
        private int inFlight;
        private int maxInFlight;
        private final Gate shared;

        Gate(int group, Gate shared) {
            this.group = group;
            this.shared = shared;
        }

        void handle(HttpExchange x) throws Exception {
            if (shared != null) {
                shared.enter(false);
            }
            enter(true);
            leave();
            if (shared != null) {
                shared.leave();
            }
            TestServer.send(x, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
        }

        private synchronized void enter(boolean hold) throws InterruptedException {
            int me = arrivals++;
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            notifyAll();
            if (!hold) {
                return;
            }
            int target = (me / group + 1) * group;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (arrivals < target && System.nanoTime() < end) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            }
        }

        private synchronized void leave() {
            inFlight--; // before the response is sent, so the client's next request finds it counted out
        }

        synchronized int maxInFlight() {
            return maxInFlight;
        }
    }

    @Test
    void theGlobalLimitIsNeverPassedAndIsReached() throws Exception {
        Gate gate = new Gate(4, null);
        try (TestServer server = new TestServer().on("/", gate::handle);
             Fetcher fetcher = Fetcher.builder().concurrency(4).build()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                urls.add(server.url("/page/" + i));
            }
            Map<String, FetchResult> results = fetcher.fetchAll(urls).join();
            assertTrue(results.values().stream().allMatch(FetchResult::ok), results.values().toString());
            assertEquals(4, gate.maxInFlight());
            assertEquals(0, fetcher.limiter().active());
        }
    }

    @Test
    void thePerHostLimitHoldsForEachHost() throws Exception {
        Gate all = new Gate(Integer.MAX_VALUE, null);
        Gate a = new Gate(2, all);
        Gate b = new Gate(2, all);
        try (TestServer hostA = new TestServer().on("/", a::handle);
             TestServer hostB = new TestServer().on("/", b::handle);
             Fetcher fetcher = Fetcher.builder().concurrency(3).perHostConcurrency(2).build()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                urls.add(hostA.url("/page/" + i));
            }
            for (int i = 0; i < 10; i++) {
                urls.add(hostB.url("/page/" + i)); // queued behind host A's, yet they run beside them
            }
            Map<String, FetchResult> results = fetcher.fetchAll(urls).join();
            assertTrue(results.values().stream().allMatch(FetchResult::ok), results.values().toString());
            assertEquals(2, a.maxInFlight());
            assertEquals(2, b.maxInFlight());
            assertEquals(3, all.maxInFlight());
        }
    }

    @Test
    void theLimitsHoldAcrossBatches() throws Exception {
        Gate gate = new Gate(3, null);
        try (TestServer server = new TestServer().on("/", gate::handle);
             Fetcher fetcher = Fetcher.builder().concurrency(3).timeout(Duration.ofSeconds(20)).build()) {
            List<Batch> batches = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    urls.add(server.url("/batch/" + b + "/" + i));
                }
                batches.add(fetcher.fetchAll(urls));
            }
            for (Batch batch : batches) {
                assertTrue(batch.join().values().stream().allMatch(FetchResult::ok));
            }
            assertEquals(3, gate.maxInFlight());
        }
    }
}
