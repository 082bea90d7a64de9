package dev.picklejar.cli;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event lines of {@code serve}, printed by a thread of their own, so that a slow reader of
 * standard output (or one that does not read at all) never holds up a connection or the log: the
 * handlers hand over short lines and go on. When the reader falls more than {@value #CAPACITY}
 * lines behind, further lines are dropped, and the count is printed once it catches up.
 */
final class EventLines {
    static final int CAPACITY = 10_000;
    private static final String END = new String("end");

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final PrintStream out;
    private final Thread printer;

    EventLines(PrintStream out) {
        this.out = out;
        this.printer = new Thread(this::print, "picklejar-serve-printer");
        printer.setDaemon(true);
        printer.start();
    }

    /** Queues a line; never blocks. */
    void add(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Prints what is queued, then {@code last}, and returns once it is printed (or after the timeout). */
    void finish(String last, long timeout, TimeUnit unit) throws InterruptedException {
        if (queue.offer(last, timeout, unit) && queue.offer(END, timeout, unit)) {
            printer.join(unit.toMillis(timeout));
        }
    }

    private void print() {
        try {
            while (true) {
                String line = queue.take();
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.println("dropped " + lost + " event lines: standard output was not read fast enough");
                }
                if (line == END) {
                    out.flush();
                    return;
                }
                out.println(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
