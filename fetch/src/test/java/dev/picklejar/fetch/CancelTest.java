package dev.picklejar.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancelling: the whole batch, one URL's future, the gather, closing the fetcher. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancelTest {
    TestServer server;
    Fetcher fetcher;
    final CountDownLatch forever = new CountDownLatch(1);
    /** One permit per request that reached a page which never answers. */
    final Semaphore arrived = new Semaphore(0);

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .on("/hang/", x -> {
                    arrived.release();
                    forever.await();
                })
                .on("/page", x -> TestServer.send(x, 200, "text/plain", "here".getBytes(StandardCharsets.UTF_8)));
        fetcher = Fetcher.builder().concurrency(2).timeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() {
        forever.countDown();
        fetcher.close();
        server.close();
    }

    List<String> hanging(int n) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            urls.add(server.url("/hang/" + i));
        }
        return urls;
    }

    @Test
    void cancellingABatchEndsRunningAndQueuedUrls() throws Exception {
        List<String> urls = hanging(5);
        urls.add(0, server.url("/page"));
        Batch batch = fetcher.fetchAll(urls);
        assertEquals("here", batch.future(server.url("/page")).join().text());
        assertTrue(arrived.tryAcquire(2, 10, TimeUnit.SECONDS), "two requests in flight");

        batch.cancel();

        Map<String, FetchResult> results = batch.results().get(10, TimeUnit.SECONDS);
        assertEquals(urls, new ArrayList<>(results.keySet()));
        assertTrue(results.get(server.url("/page")).ok(), "a result had before the cancel is kept");
        for (String url : urls.subList(1, urls.size())) {
            assertEquals("cancelled", results.get(url).error(), url);
        }
        assertEquals(0, fetcher.limiter().active(), "every slot is given back");
        assertEquals("here", fetcher.fetch(server.url("/page")).join().text(), "the fetcher goes on working");
        assertEquals(0, arrived.availablePermits(), "queued URLs never started");
    }

    @Test
    void cancellingOneFutureCancelsThatUrlOnly() throws Exception {
        String hang = server.url("/hang/0");
        String page = server.url("/page");
        Batch batch = fetcher.fetchAll(List.of(hang, page));
        assertTrue(arrived.tryAcquire(1, 10, TimeUnit.SECONDS));
        assertTrue(batch.future(hang).cancel(true));

        Map<String, FetchResult> results = batch.join();
        assertEquals("cancelled", results.get(hang).error());
        assertEquals("here", results.get(page).text());
        assertThrows(CancellationException.class, () -> batch.future(hang).join());
    }

    @Test
    void cancellingTheGatherCancelsEveryUrl() throws Exception {
        Batch batch = fetcher.fetchAll(hanging(3));
        assertTrue(arrived.tryAcquire(2, 10, TimeUnit.SECONDS));
        assertTrue(batch.results().cancel(true));
        for (CompletableFuture<FetchResult> f : batch.futures().values()) {
            assertEquals("cancelled", f.get(10, TimeUnit.SECONDS).error());
        }
    }

    @Test
    void closingTheFetcherCancelsWhatIsRunning() throws Exception {
        Batch batch = fetcher.fetchAll(hanging(3));
        assertTrue(arrived.tryAcquire(2, 10, TimeUnit.SECONDS));
        fetcher.close();
        assertTrue(batch.join().values().stream().allMatch(r -> "cancelled".equals(r.error())));
    }
}
