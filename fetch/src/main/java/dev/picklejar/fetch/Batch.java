package dev.picklejar.fetch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * URLs being downloaded together, like tasks made with {@code asyncio.create_task} and awaited with
 * {@code asyncio.gather}: one future per URL, and {@link #results()} for all of them. Every URL
 * gets a result; a failing one never fails the batch.
 *
 * <pre>{@code
 * Batch batch = fetcher.fetchAll(urls);
 * batch.future(urls.get(0)).thenAccept(r -> System.out.println(r.status()));
 * Map<String, FetchResult> all = batch.join();
 * }</pre>
 */
public final class Batch {
    private final Map<String, Download> downloads;
    private final Map<String, CompletableFuture<FetchResult>> futures;
    private final CompletableFuture<Map<String, FetchResult>> all = new CompletableFuture<>();
    private final ProgressListener listener;
    private int done;

    Batch(Fetcher fetcher, List<String> urls, ProgressListener listener) {
        this.listener = listener;
        Map<String, Download> d = new LinkedHashMap<>(Math.max(16, urls.size() * 2));
        Map<String, CompletableFuture<FetchResult>> f = new LinkedHashMap<>(Math.max(16, urls.size() * 2));
        for (String url : urls) {
            if (url == null) {
                throw new NullPointerException("a URL is null");
            }
            if (!d.containsKey(url)) {
                Download download = fetcher.newDownload(url);
                d.put(url, download);
                f.put(url, download.future());
            }
        }
        this.downloads = d;
        this.futures = Collections.unmodifiableMap(f);
        all.whenComplete((r, e) -> {
            if (all.isCancelled()) {
                cancel();
            }
        });
        if (d.isEmpty()) {
            all.complete(Map.of());
        }
    }

    /** Starts every download; called once, after construction, so early results find the batch ready. */
    void begin() {
        for (Download download : downloads.values()) {
            download.begin(this::onResult);
        }
    }

    /** {@return the number of distinct URLs (a URL given twice is fetched once)} */
    public int size() {
        return downloads.size();
    }

    /**
     * The future of one URL's result; it never completes exceptionally unless you cancel it.
     * @param url one of the URLs the batch was given, spelled as it was given
     * @return the future of that URL's result
     * @throws IllegalArgumentException if {@code url} is not one of the batch's URLs
     */
    public CompletableFuture<FetchResult> future(String url) {
        CompletableFuture<FetchResult> f = futures.get(url);
        if (f == null) {
            throw new IllegalArgumentException("not a URL of this batch: " + url);
        }
        return f;
    }

    /**
     * Every URL's future, in the order given. Cancelling one ({@code cancel(true)}) stops that
     * download; its result in {@link #results()} then says {@code cancelled}.
     * @return each distinct URL with the future of its result
     */
    public Map<String, CompletableFuture<FetchResult>> futures() {
        return futures;
    }

    /**
     * The gather: completes when every URL has its result, with a map in the order the URLs were
     * given. It never completes exceptionally; cancelling it cancels the whole batch, as cancelling
     * {@code asyncio.gather} cancels its tasks (use {@link #cancel()} to keep the partial results).
     * @return the future of every result, keyed by URL
     */
    public CompletableFuture<Map<String, FetchResult>> results() {
        return all;
    }

    /**
     * Waits for every result ({@code results().join()}).
     * @return every URL with its result, in the order given
     */
    public Map<String, FetchResult> join() {
        return all.join();
    }

    /**
     * Cancels the batch: requests in flight are aborted and their connections closed, queued ones
     * never start, back-off waits end. URLs that had not ended get the error {@code cancelled};
     * {@link #results()} then completes with every result, those already had included.
     */
    public void cancel() {
        Fetcher.endAll(downloads.values(), "cancelled");
    }

    /** {@return true once every URL has its result} */
    public boolean isDone() {
        return all.isDone();
    }

    private void onResult(FetchResult result) {
        boolean last;
        synchronized (this) {
            done++;
            last = done == downloads.size();
            if (listener != null) {
                try {
                    listener.onResult(result, done, downloads.size());
                } catch (RuntimeException e) {
                    // A failing listener is reported, and must not keep the batch from completing.
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                }
            }
        }
        if (last) {
            Map<String, FetchResult> results = new LinkedHashMap<>(Math.max(16, downloads.size() * 2));
            for (Download download : downloads.values()) {
                results.put(download.url(), download.result());
            }
            all.complete(Collections.unmodifiableMap(results));
        }
    }
}
