package dev.picklejar.net;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one connection's events one at a time, in order, on a shared executor, so that a handler pool
 * keeps each connection's messages in sequence. Gives the thread back after a batch so that one busy
 * connection does not starve the others.
 */
final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException e) {
            // The pool refused (shut down): run here rather than lose the connection's events.
            drain();
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // Tasks report their own failures; this keeps the queue moving whatever escapes.
                System.getLogger(SerialExecutor.class.getName()).log(System.Logger.Level.ERROR, "event failed", e);
            }
            if (pending.decrementAndGet() == 0) {
                return;
            }
        }
        schedule();
    }
}
