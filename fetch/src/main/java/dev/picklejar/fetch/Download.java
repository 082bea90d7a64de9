package dev.picklejar.fetch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.Disposable;

/**
 * One URL from start to result: it waits for a slot, sends its request, then either ends or comes
 * back to the limiter for the next hop of a redirect or, after a back-off, for a retry. The
 * time-out, a cancel or the end of the work can end it at any point; it ends exactly once.
 *
 * <p>Every change of state happens under the download's lock; the limiter, the network and the
 * callbacks are only ever called outside it.
 */
final class Download implements Limiter.Job {
    private final Fetcher fetcher;
    private final String url;
    private final long seq;
    private final CompletableFuture<FetchResult> future = new CompletableFuture<>();
    private volatile Consumer<FetchResult> onDone;
    private volatile boolean done;

    private URI uri;
    private String host;
    /** Requests sent, redirect hops included: tells a current response from a stale one. */
    private int exchanges;
    /** Requests sent for the result: 1 + retries once started. */
    private int attempts;
    private int redirects;
    private int retries;
    private boolean started;
    private long startNanos;
    /** Whether the time-out runs: from the first request written (or the first failed attempt). */
    private boolean clockStarted;
    private long deadlineNanos;
    private boolean holdsSlot;
    private String slotHost;
    private Disposable inFlight;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> backoff;
    private String lastProblem;
    private FetchResult result;

    Download(Fetcher fetcher, String url, long seq) {
        this.fetcher = fetcher;
        this.url = url;
        this.seq = seq;
        future.whenComplete((r, e) -> {
            if (future.isCancelled()) {
                end("cancelled");
            }
        });
    }

    CompletableFuture<FetchResult> future() {
        return future;
    }

    String url() {
        return url;
    }

    /** The result once ended, else null. */
    synchronized FetchResult result() {
        return result;
    }

    /** Starts the download: it queues for a slot, or ends at once when its URL is not valid. */
    void begin(Consumer<FetchResult> onDone) {
        this.onDone = onDone;
        URI first;
        try {
            first = Urls.parse(url);
        } catch (IllegalArgumentException e) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                result = new FetchResult(url, url, null, null, null, null, e.getMessage(), Duration.ZERO, 0);
            }
            complete();
            return;
        }
        String key = Urls.hostKey(first);
        synchronized (this) {
            uri = first;
            host = key;
        }
        fetcher.limiter().submit(this, key);
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
    public void start(String slot) {
        URI target;
        int attempt;
        synchronized (this) {
            if (done) {
                target = null;
                attempt = 0;
            } else {
                holdsSlot = true;
                slotHost = slot;
                attempt = ++exchanges;
                attempts = retries + 1;
                target = uri;
                if (!started) {
                    started = true;
                    startNanos = System.nanoTime();
                }
            }
        }
        if (target == null) {
            fetcher.limiter().release(slot);
            return;
        }
        Disposable d = fetcher.exchange(target, this::requestWritten).subscribe(
                exchange -> onExchange(attempt, exchange),
                error -> onFailure(attempt, error));
        boolean dispose;
        synchronized (this) {
            dispose = done;
            if (!done && attempt == exchanges && holdsSlot) {
                inFlight = d;
            }
        }
        if (dispose) {
            d.dispose();
        }
    }

    /** Ends the download with the given error unless it has ended already (a cancel, the time-out). */
    void end(String error) {
        Runnable rest = endLater(error);
        if (rest != null) {
            rest.run();
        }
    }

    /**
     * Marks the download ended with the given error and returns what is left to do (abort the
     * request, give back the slot, hand on the result), or null if it had ended already. Ending
     * many downloads at once marks them all first, so a slot given back by one is never taken by
     * another that is about to end too.
     */
    Runnable endLater(String error) {
        Disposable d;
        ScheduledFuture<?> b;
        String slot = null;
        synchronized (this) {
            if (done) {
                return null;
            }
            done = true;
            if (holdsSlot) {
                holdsSlot = false;
                slot = slotHost;
            }
            d = inFlight;
            inFlight = null;
            b = backoff;
            backoff = null;
            result = new FetchResult(url, finalUrl(), null, null, null, null, error, elapsed(), attempts);
        }
        String heldSlot = slot;
        return () -> {
            if (d != null) {
                d.dispose();
            }
            if (b != null) {
                b.cancel(false);
            }
            if (heldSlot != null) {
                fetcher.limiter().release(heldSlot);
            }
            complete();
        };
    }

    /** On the network thread, as a request of this download has been written to its connection. */
    private void requestWritten() {
        synchronized (this) {
            if (!done) {
                startClock();
            }
        }
    }

    /**
     * Under the lock: starts the time-out when the first request has been written, or when the
     * first attempt failed before that (a refused or timed-out connect), whichever comes first.
     * The clock so never counts the client's own start-up (class loading, the first connections),
     * and connecting the first time is bounded by the connect time-out instead.
     */
    private void startClock() {
        if (!clockStarted) {
            clockStarted = true;
            long timeout = fetcher.timeoutNanos();
            deadlineNanos = System.nanoTime() + timeout;
            deadline = fetcher.timer().schedule(this::timedOut, timeout, TimeUnit.NANOSECONDS);
        }
    }

    private void timedOut() {
        String last;
        synchronized (this) {
            last = lastProblem;
        }
        end("timed out after " + seconds(fetcher.timeoutNanos()) + " s" + (last == null ? "" : " (last attempt: " + last + ")"));
    }

    private void onExchange(int attempt, Exchange ex) {
        String slot;
        String nextHost = null;
        long wait = -1;
        synchronized (this) {
            if (done || attempt != exchanges || !holdsSlot) {
                return;
            }
            holdsSlot = false;
            slot = slotHost;
            inFlight = null;
            startClock();
            if (ex.isRedirect()) {
                int max = fetcher.maxRedirects();
                if (redirects >= max) {
                    finish(ex, "too many redirects (more than " + max + ")");
                } else {
                    try {
                        URI next = Urls.resolve(ex.uri(), ex.location());
                        redirects++;
                        uri = next;
                        host = Urls.hostKey(next);
                        nextHost = host;
                    } catch (IllegalArgumentException e) {
                        finish(ex, e.getMessage());
                    }
                }
            } else if (ex.isRetryable() && retries < fetcher.retries()) {
                long asked = Backoff.retryAfterNanos(ex.retryAfter(), Instant.now());
                wait = asked >= 0 ? asked : Backoff.delayNanos(retries + 1, fetcher.backoffNanos(), fetcher.maxBackoffNanos());
                if (wait >= deadlineNanos - System.nanoTime()) {
                    finish(ex, statusError(ex) + (asked >= 0
                            ? " (Retry-After " + seconds(asked) + " s is past the time-out)" : ""));
                    wait = -1;
                } else {
                    scheduleRetry(wait, statusError(ex));
                }
            } else {
                finish(ex, ex.status() >= 400 ? statusError(ex) : null);
            }
        }
        if (nextHost != null) {
            fetcher.limiter().releaseAndSubmit(slot, this, nextHost);
        } else {
            fetcher.limiter().release(slot);
            if (wait < 0) {
                complete();
            }
        }
    }

    private void onFailure(int attempt, Throwable error) {
        String slot;
        boolean ended = true;
        synchronized (this) {
            if (done || attempt != exchanges || !holdsSlot) {
                return;
            }
            holdsSlot = false;
            slot = slotHost;
            inFlight = null;
            startClock();
            String problem = Failures.describe(error);
            if (error instanceof BodyTooLargeException big) {
                done = true;
                result = new FetchResult(url, finalUrl(), big.status, big.contentType, null, null, problem,
                        elapsed(), attempts);
            } else if (Failures.retryable(error) && retries < fetcher.retries()) {
                long wait = Backoff.delayNanos(retries + 1, fetcher.backoffNanos(), fetcher.maxBackoffNanos());
                if (wait < deadlineNanos - System.nanoTime()) {
                    scheduleRetry(wait, problem);
                    ended = false;
                }
            }
            if (ended && !done) {
                done = true;
                result = new FetchResult(url, finalUrl(), null, null, null, null, problem, elapsed(), attempts);
            }
        }
        fetcher.limiter().release(slot);
        if (ended) {
            complete();
        }
    }

    /** Under the lock: the download waits, holding no slot, then queues again. */
    private void scheduleRetry(long waitNanos, String problem) {
        retries++;
        lastProblem = problem;
        backoff = fetcher.timer().schedule(this::retry, waitNanos, TimeUnit.NANOSECONDS);
    }

    private void retry() {
        String key;
        synchronized (this) {
            if (done) {
                return;
            }
            backoff = null;
            key = host;
        }
        fetcher.limiter().submit(this, key);
    }

    /** Under the lock: the download ends with this response. */
    private void finish(Exchange ex, String error) {
        done = true;
        result = new FetchResult(url, ex.uri().toString(), ex.status(), ex.contentType(),
                Decoding.text(ex.contentType(), ex.body()), ex.body(), error, elapsed(), attempts);
    }

    /** Outside the lock, once, after {@code done} was set: hands the result on. */
    private void complete() {
        FetchResult r;
        ScheduledFuture<?> dl;
        synchronized (this) {
            r = result;
            dl = deadline;
            deadline = null;
        }
        if (dl != null) {
            dl.cancel(false);
        }
        fetcher.forget(this);
        future.complete(r); // before the batch hears of it, so its gather never completes ahead of this future
        Consumer<FetchResult> callback = onDone;
        if (callback != null) {
            callback.accept(r);
        }
    }

    private String finalUrl() {
        return uri == null ? url : uri.toString();
    }

    private Duration elapsed() {
        return started ? Duration.ofNanos(System.nanoTime() - startNanos) : Duration.ZERO;
    }

    private static String statusError(Exchange ex) {
        return "HTTP " + ex.status() + (ex.reason() == null || ex.reason().isEmpty() ? "" : " " + ex.reason());
    }

    private static String seconds(long nanos) {
        return new BigDecimal(nanos).movePointLeft(9).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
