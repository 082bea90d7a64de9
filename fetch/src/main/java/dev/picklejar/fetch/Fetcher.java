package dev.picklejar.fetch;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.util.context.Context;

/**
 * Downloads many pages at once, the job of Python's {@code asyncio.gather} over {@code aiohttp}
 * requests: a global and a per-host limit on requests in flight, connect and per-URL time-outs,
 * retries with exponential back-off and jitter (connection errors, 5xx, 429 with Retry-After),
 * redirects, a body-size limit and text decoded by the declared charset. Built on Reactor Netty's
 * HTTP client (HTTP/1.1 with keep-alive, gzip).
 *
 * <pre>{@code
 * try (Fetcher fetcher = Fetcher.builder().concurrency(50).perHostConcurrency(8).build()) {
 *     Map<String, FetchResult> pages = fetcher.fetchAll(urls).join();
 * }
 * }</pre>
 *
 * <p>Immutable configuration, thread-safe: one fetcher serves any number of batches at once,
 * and its limits hold across all of them. It owns its threads and connections until
 * {@link #close()}.
 */
public final class Fetcher implements AutoCloseable {
    private static final String NAME = "picklejar-fetch";
    /** The key, in a request's Reactor context, of what to run once the request is written to its connection. */
    private static final Object ON_WRITTEN = new Object();

    private final int concurrency;
    private final int perHostConcurrency;
    private final long timeoutNanos;
    private final int retries;
    private final long backoffNanos;
    private final long maxBackoffNanos;
    private final int maxRedirects;
    private final long maxBodySize;

    private final LoopResources loops;
    private final ConnectionProvider pool;
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor timer;
    private final Limiter limiter;
    private final AtomicLong sequence = new AtomicLong();
    private final Set<Download> unfinished = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Fetcher(Builder b) {
        this.concurrency = b.concurrency;
        this.perHostConcurrency = b.perHostConcurrency > 0 ? b.perHostConcurrency : b.concurrency;
        this.timeoutNanos = b.timeout.toNanos();
        this.retries = b.retries;
        this.backoffNanos = b.backoff.toNanos();
        this.maxBackoffNanos = b.maxBackoff.toNanos();
        this.maxRedirects = b.maxRedirects;
        this.maxBodySize = b.maxBodySize;
        this.limiter = new Limiter(concurrency, perHostConcurrency);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, NAME + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.loops = LoopResources.create(NAME, b.threads > 0 ? b.threads : LoopResources.DEFAULT_IO_WORKER_COUNT, true);
        // The limiter keeps requests per host within perHostConcurrency; the pool only has to
        // let connections wait, not refuse them, when a slot frees before its connection is back.
        this.pool = ConnectionProvider.builder(NAME)
                .maxConnections(perHostConcurrency)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofNanos(timeoutNanos).plusSeconds(1))
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        Map<String, String> headers = new LinkedHashMap<>(b.headers);
        String userAgent = b.userAgent;
        this.client = HttpClient.create(pool)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis()))
                .followRedirect(false)
                .compress(true)
                .keepAlive(true)
                .doAfterRequest((request, connection) -> {
                    Runnable onWritten = request.currentContextView().getOrDefault(ON_WRITTEN, null);
                    if (onWritten != null) {
                        onWritten.run();
                    }
                })
                .headers(h -> {
                    h.set(HttpHeaderNames.USER_AGENT, userAgent);
                    headers.forEach(h::set);
                });
    }

    /** {@return a builder with the defaults listed on each of its methods} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts downloading one URL; the future never completes exceptionally unless you cancel it.
     * @param url an absolute http or https URL; not null (an invalid URL gives a result with its error)
     * @return the future of the URL's result, which says in {@link FetchResult#error()} what went wrong
     */
    public CompletableFuture<FetchResult> fetch(String url) {
        Objects.requireNonNull(url, "url");
        Download download = newDownload(url);
        download.begin(null);
        return download.future();
    }

    /**
     * Starts downloading every URL (each once, however often given) and returns at once; the
     * requests go out as the limits allow, in the order given.
     * @param urls the URLs to fetch; not null
     * @return the batch, which holds each URL's future and their gather
     */
    public Batch fetchAll(List<String> urls) {
        return fetchAll(urls, null);
    }

    /**
     * As {@link #fetchAll(List)}, telling {@code listener} of each URL as it ends.
     * @param urls the URLs to fetch; not null
     * @param listener told of each result on a network thread; {@code null} for none
     * @return the batch, which holds each URL's future and their gather
     */
    public Batch fetchAll(List<String> urls, ProgressListener listener) {
        Objects.requireNonNull(urls, "urls");
        Batch batch = new Batch(this, new ArrayList<>(urls), listener);
        batch.begin();
        return batch;
    }

    /**
     * Cancels whatever is still running (those URLs end with the error {@code cancelled}), closes
     * every connection and stops the fetcher's threads. Do not call it from a result callback.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        endAll(new ArrayList<>(unfinished), "cancelled");
        timer.shutdownNow();
        Mono<Void> disposal = pool.disposeLater().then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)));
        if (Schedulers.isInNonBlockingThread()) {
            disposal.subscribe();
        } else {
            disposal.block(Duration.ofSeconds(10));
        }
    }

    /** Ends the downloads together: all are marked ended before any gives back its slot. */
    static void endAll(Collection<Download> downloads, String error) {
        List<Runnable> rest = new ArrayList<>(downloads.size());
        for (Download d : downloads) {
            Runnable r = d.endLater(error);
            if (r != null) {
                rest.add(r);
            }
        }
        rest.forEach(Runnable::run);
    }

    Download newDownload(String url) {
        if (closed) {
            throw new IllegalStateException("this Fetcher is closed");
        }
        Download d = new Download(this, url, sequence.getAndIncrement());
        unfinished.add(d);
        if (closed) {
            unfinished.remove(d);
            throw new IllegalStateException("this Fetcher is closed");
        }
        return d;
    }

    void forget(Download d) {
        unfinished.remove(d);
    }

    /**
     * One request and its whole response, the body read up to the limit; {@code onWritten} runs on
     * the network thread once the request has been written to its connection (never if connecting fails).
     */
    Mono<Exchange> exchange(URI uri, Runnable onWritten) {
        return client.get().uri(uri).response((response, content) -> read(uri, response, content)).next()
                .contextWrite(Context.of(ON_WRITTEN, onWritten));
    }

    private Mono<Exchange> read(URI uri, HttpClientResponse response, ByteBufFlux content) {
        int status = response.status().code();
        HttpHeaders h = response.responseHeaders();
        String type = h.get(HttpHeaderNames.CONTENT_TYPE);
        String location = h.get(HttpHeaderNames.LOCATION);
        String retryAfter = h.get(HttpHeaderNames.RETRY_AFTER);
        String reason = reason(response.status());
        Exchange head = new Exchange(uri, status, reason, type, location, retryAfter, null);
        if (head.isRedirect()) {
            return content.then(Mono.just(head));
        }
        long length = contentLength(h);
        if (length > maxBodySize) {
            return Mono.error(new BodyTooLargeException(status, type, maxBodySize, length));
        }
        BodyBuffer body = new BodyBuffer(length, maxBodySize, status, type);
        return content.doOnNext(body::append)
                .then(Mono.fromSupplier(() -> new Exchange(uri, status, reason, type, location, retryAfter, body.toArray())));
    }

    /** The standard reason phrase of a known status, whatever the server said; the server's for others. */
    private static String reason(HttpResponseStatus status) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(status.code());
        return known.reasonPhrase().endsWith("(" + status.code() + ")") ? status.reasonPhrase() : known.reasonPhrase();
    }

    private static long contentLength(HttpHeaders h) {
        String v = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (v == null || h.contains(HttpHeaderNames.CONTENT_ENCODING)) {
            return -1; // a compressed body's length says nothing of what it inflates to
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Limiter limiter() {
        return limiter;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    int retries() {
        return retries;
    }

    long backoffNanos() {
        return backoffNanos;
    }

    long maxBackoffNanos() {
        return maxBackoffNanos;
    }

    int maxRedirects() {
        return maxRedirects;
    }

    /**
     * Options for a {@link Fetcher}. Every option has a default; {@link #build()} may be called
     * more than once, each fetcher owning its own threads and connections.
     */
    public static final class Builder {
        private int concurrency = 20;
        private int perHostConcurrency;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(30);
        private int retries = 2;
        private Duration backoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int maxRedirects = 10;
        private long maxBodySize = 16L << 20;
        private String userAgent = "picklejar-fetch/0.1";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int threads;

        private Builder() {
        }

        /**
         * The most requests in flight at once, over all hosts and batches (default 20).
         * @param n the most requests in flight, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder concurrency(int n) {
            this.concurrency = positive(n, "concurrency");
            return this;
        }

        /**
         * The most requests in flight to one host (scheme, host and port); default: the global limit.
         * @param n the most requests in flight to one host, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder perHostConcurrency(int n) {
            this.perHostConcurrency = positive(n, "perHostConcurrency");
            return this;
        }

        /**
         * How long to wait for a TCP connection (default 10 s), each connection on its own; a
         * connect time-out is retried. It bounds the first connection of a URL, which
         * {@link #timeout(Duration)} does not count.
         * @param d the longest wait for a connection, at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is under 1 ms
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = atLeastMillisecond(d, "connectTimeout");
            return this;
        }

        /**
         * The most one URL may take once its first request has been written to a connection (or
         * its first attempt has failed before that, as a refused connection does): from there to
         * the last byte of the last response, retries with their connections and back-off waits,
         * and redirects included (default 30 s). What comes before does not count: the wait for a
         * slot, and the first connection, which {@link #connectTimeout(Duration)} bounds (a TLS
         * handshake, Reactor Netty's 10 s). So the client's own start-up (class loading, its first
         * connections) is never taken for the server's time, and a URL ends at the latest about
         * {@code connectTimeout + timeout} after its first request starts.
         * @param d the most one URL may take, at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is under 1 ms
         */
        public Builder timeout(Duration d) {
            this.timeout = atLeastMillisecond(d, "timeout");
            return this;
        }

        /**
         * How many times to retry after a connection error, a 5xx or a 429 (default 2; 0 never
         * retries). A retry waits as Retry-After asks, or else an exponential back-off with jitter;
         * a wait that would pass the time-out is not made, and the last answer stands.
         * @param n how many retries after the first request, 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder retries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, not " + n);
            }
            this.retries = n;
            return this;
        }

        /**
         * The back-off before retry k: a random wait between half and all of
         * {@code min(max, initial * 2^(k-1))} (defaults 250 ms and 10 s).
         * @param initial the longest wait before the first retry; not null, not negative
         * @param max the cap on any wait; not null, at least {@code initial}
         * @return this builder
         * @throws IllegalArgumentException unless {@code 0 <= initial <= max}
         */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 <= initial <= max, not " + initial + " and " + max);
            }
            this.backoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * How many redirects to follow (default 10); one more ends the URL with an error.
         * @param n how many redirects to follow, 0 or more (0: a redirect ends the URL with an error)
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder maxRedirects(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRedirects must be 0 or more, not " + n);
            }
            this.maxRedirects = n;
            return this;
        }

        /**
         * The largest body kept, in bytes, after decompression (default 16 MiB); a larger one is an error.
         * @param bytes the largest body, 0 to {@code Integer.MAX_VALUE - 8}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is out of that range
         */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBodySize must be 0 to " + (Integer.MAX_VALUE - 8) + ", not " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * The User-Agent header (default {@code picklejar-fetch/0.1}).
         * @param userAgent the header's value; not null
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * A header sent with every request (Authorization, Accept-Language...).
         * @param name the header's name; not null; a second call with the same spelling replaces the value
         * @param value the header's value; not null
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The number of network threads (default: Reactor Netty's, the number of cores but at least 4).
         * @param n how many network threads, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder threads(int n) {
            this.threads = positive(n, "threads");
            return this;
        }

        /** {@return a fetcher with these options; it starts its threads at once} */
        public Fetcher build() {
            return new Fetcher(this);
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, not " + n);
            }
            return n;
        }

        private static Duration atLeastMillisecond(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException(what + " must be at least 1 ms, not " + d);
            }
            return d;
        }
    }
}
