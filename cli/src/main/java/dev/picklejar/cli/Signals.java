package dev.picklejar.cli;

import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) as requests to stop, handled by the command rather than by the JVM's
 * default, which runs the shutdown hooks and then exits with 128 + the signal's number (143, 130)
 * whatever the hooks did: a command that finishes its work cleanly after the signal exits as it
 * says it does. Uses {@code sun.misc.Signal} (module jdk.unsupported), the JDK's only way to take
 * over a signal.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code stop} (on a JVM thread of its own) on SIGTERM or SIGINT, given the exit code a shell
     * reports for a process the signal killed (143, 130); a second signal runs it again.
     */
    static void onStop(IntConsumer stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.accept(128 + signal.getNumber()));
            } catch (IllegalArgumentException unavailable) {
                // Not a signal on this platform, or taken by the JVM (-Xrs): the default stays.
            }
        }
    }
}
