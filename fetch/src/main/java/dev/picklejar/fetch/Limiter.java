package dev.picklejar.fetch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The two concurrency limits: at most {@code maxActive} exchanges in flight, at most
 * {@code maxPerHost} of them to one host. Waiting jobs start in the order of their sequence
 * numbers, except that a job whose host is full never holds up jobs for other hosts. A job that
 * comes back (a retry, the next hop of a redirect) keeps its number, so it goes before the jobs
 * given after it. Jobs finished while they waited are dropped when their turn comes.
 */
final class Limiter {
    /** Something that runs while it holds a slot, and gives it back with {@link #release}. */
    interface Job {
        /** Lower numbers start first. */
        long seq();

        /** True when the job ended while it waited (cancelled, timed out): its turn is skipped. */
        boolean isDone();

        /** Called, outside the limiter's lock, once the job holds a slot for {@code host}. */
        void start(String host);
    }

    private static final Comparator<Job> BY_SEQ = Comparator.comparingLong(Job::seq);

    private final int maxActive;
    private final int maxPerHost;
    private final Map<String, Host> hosts = new HashMap<>();
    /** Hosts with a waiting job and a free slot, by the sequence number of their first job. */
    private final TreeSet<Host> ready = new TreeSet<>(
            Comparator.comparingLong((Host h) -> h.readySeq).thenComparing(h -> h.key));
    private int active;

    Limiter(int maxActive, int maxPerHost) {
        this.maxActive = maxActive;
        this.maxPerHost = maxPerHost;
    }

    /** Queues the job for a slot on {@code host}; it starts at once if the limits allow. */
    void submit(Job job, String host) {
        List<Runnable> starts;
        synchronized (this) {
            enqueue(job, host);
            starts = drain();
        }
        run(starts);
    }

    /** Gives back a slot held for {@code host} and starts whatever may start now. */
    void release(String host) {
        List<Runnable> starts;
        synchronized (this) {
            free(host);
            starts = drain();
        }
        run(starts);
    }

    /**
     * Gives back a slot on {@code oldHost} and queues the job for {@code newHost} in one step, so
     * the job (a redirect's next hop) competes for the freed slot with its own number.
     */
    void releaseAndSubmit(String oldHost, Job job, String newHost) {
        List<Runnable> starts;
        synchronized (this) {
            free(oldHost);
            enqueue(job, newHost);
            starts = drain();
        }
        run(starts);
    }

    /** The number of exchanges in flight. */
    synchronized int active() {
        return active;
    }

    private void enqueue(Job job, String key) {
        Host h = hosts.computeIfAbsent(key, Host::new);
        if (h.inReady) {
            ready.remove(h);
            h.inReady = false;
        }
        h.waiting.add(job);
        markReady(h);
    }

    private void free(String key) {
        Host h = hosts.get(key);
        if (h == null || h.active == 0) {
            throw new IllegalStateException("no slot held for " + key);
        }
        h.active--;
        active--;
        markReady(h);
        forgetIfIdle(h);
    }

    private List<Runnable> drain() {
        List<Runnable> starts = null;
        while (active < maxActive && !ready.isEmpty()) {
            Host h = ready.pollFirst();
            h.inReady = false;
            Job job = h.waiting.poll();
            if (!job.isDone()) {
                h.active++;
                active++;
                if (starts == null) {
                    starts = new ArrayList<>(4);
                }
                String key = h.key;
                starts.add(() -> job.start(key));
            }
            markReady(h);
            forgetIfIdle(h);
        }
        return starts;
    }

    private void markReady(Host h) {
        if (!h.inReady && h.active < maxPerHost && !h.waiting.isEmpty()) {
            h.readySeq = h.waiting.peek().seq();
            ready.add(h);
            h.inReady = true;
        }
    }

    private void forgetIfIdle(Host h) {
        if (h.active == 0 && h.waiting.isEmpty()) {
            hosts.remove(h.key);
        }
    }

    private static void run(List<Runnable> starts) {
        if (starts != null) {
            for (Runnable r : starts) {
                r.run();
            }
        }
    }

    private static final class Host {
        final String key;
        final PriorityQueue<Job> waiting = new PriorityQueue<>(BY_SEQ);
        int active;
        long readySeq;
        boolean inReady;

        Host(String key) {
            this.key = key;
        }
    }
}
