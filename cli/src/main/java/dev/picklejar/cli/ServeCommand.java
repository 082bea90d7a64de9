package dev.picklejar.cli;

import dev.picklejar.PickleException;
import dev.picklejar.PickleStream;
import dev.picklejar.Pickler;
import dev.picklejar.PicklingException;
import dev.picklejar.Repr;
import dev.picklejar.Unpickler;
import dev.picklejar.net.NetException;
import dev.picklejar.net.PickleConnection;
import dev.picklejar.net.PickleServer;
import dev.picklejar.net.Pickled;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code picklejar serve}: a server for Python's {@code multiprocessing.connection.Client}; prints a
 * line per event, can echo every object back and log every object received.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve Python's multiprocessing.connection clients (Listener's protocol, 3.11 and 3.12+ "
                + "handshakes) and print a line per event:",
            "  listening HOST:PORT | connect PEER | message PEER REPR | close PEER | error PEER WHAT | stopped",
            "Runs until stopped (SIGTERM or Ctrl-C), then finishes the messages it took and closes cleanly.",
            "An object prints abbreviated, as Python's reprlib.repr prints it. A message that does not "
                    + "unpickle is an error and closes its connection."},
        footer = {"Exit codes: 0 stopped cleanly, 2 bad usage or the address cannot be used."})
final class ServeCommand implements Callable<Integer> {
    private static final int HANDLER_THREADS = 4;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "The port; 0 picks a free one.")
    int port;

    @Option(names = "--authkey", required = true, paramLabel = "KEY",
            description = "The shared key (Python's authkey, as UTF-8 bytes).")
    String authKey;

    @Option(names = "--echo", description = "Send every object back to its sender (the bytes as received).")
    boolean echo;

    @Option(names = "--log", paramLabel = "FILE",
            description = "Append every object received to FILE as a pickle (re-written by picklejar at the "
                    + "protocol it came in), flushed as it arrives; Python reads it back with repeated pickle.load.")
    String log;

    private final Unpickler unpickler = Unpickler.standard();
    private EventLines lines;
    private OutputStream logFile;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            System.err.println("picklejar: --port must be 0 to 65535, not " + port);
            return Main.EXIT_BAD_INPUT;
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (log != null) {
            try {
                logFile = new BufferedOutputStream(new FileOutputStream(log, true), 1 << 16);
            } catch (IOException e) {
                System.err.println("picklejar: cannot open the log " + log + ": " + e.getMessage());
                return Main.EXIT_BAD_INPUT;
            }
        }
        lines = new EventLines(out);
        // A pool: one connection's slow message never waits for another's (the server keeps each
        // connection's events in order on it). Printing has its own thread (EventLines).
        ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "picklejar-serve-handler");
            t.setDaemon(true);
            return t;
        });
        PickleServer server;
        try {
            server = PickleServer.builder()
                    .authKey(authKey.getBytes(StandardCharsets.UTF_8))
                    .rawMessages(true)
                    .handlerExecutor(handlers)
                    .eventLoopThreads(Math.min(2, Runtime.getRuntime().availableProcessors()))
                    .onConnect(c -> lines.add("connect " + peer(c)))
                    .onMessage((c, m) -> received(c, (Pickled) m))
                    .onClose(c -> lines.add("close " + peer(c)))
                    .onError((c, e) -> lines.add("error " + peer(c) + " " + e.getMessage()))
                    .bind(host, port);
        } catch (NetException | IllegalArgumentException e) {
            handlers.shutdown();
            closeLog();
            System.err.println("picklejar: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        lines.add("listening " + describe(server.localAddress()));
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onStop(signal -> stop.countDown());
        server.closeFuture().thenRun(stop::countDown);
        try {
            stop.await();
            server.close();
            handlers.shutdown();
            handlers.awaitTermination(10, TimeUnit.SECONDS);
            closeLog();
            lines.finish("stopped", 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Loads the message; logs it and echoes it; then hands a short line to the printer. A message that
     * does not load ends its connection: its sender may be waiting for an echo that will never come.
     */
    private void received(PickleConnection c, Pickled message) {
        byte[] bytes = message.bytes();
        ProtocolTracker tracker = new ProtocolTracker(new ByteArrayInputStream(bytes));
        Object value;
        int protocol;
        try (PickleStream in = unpickler.open(tracker)) {
            value = in.next();
            protocol = tracker.protocolOf(in.offset());
        } catch (PickleException | IllegalStateException e) {
            lines.add("error " + peer(c) + " a message of " + bytes.length + " bytes could not be unpickled: "
                    + e.getMessage() + "; closing the connection");
            c.close();
            return;
        }
        if (logFile != null) {
            log(c, value, protocol);
        }
        if (echo) {
            c.send(message);
        }
        lines.add("message " + peer(c) + " " + Repr.abbreviated(value));
    }

    /**
     * Appends the object as picklejar writes it at the protocol it came in (for what CPython writes,
     * the very bytes), never the bytes as received: a hand-made pickle can load here and still stop
     * Python's pickle.load (a memo index of 2**31-1 makes CPython allocate the memo up to it), and
     * Python could then read no entry after it.
     */
    private void log(PickleConnection c, Object value, int protocol) {
        byte[] entry;
        try {
            entry = Pickler.standard(protocol).dumps(value);
        } catch (PicklingException e) {
            lines.add("error " + peer(c) + " not logged: " + e.getMessage());
            return;
        }
        synchronized (logFile) {
            try {
                logFile.write(entry);
                logFile.flush();
            } catch (IOException e) {
                lines.add("error " + peer(c) + " cannot write the log " + log + ": " + e.getMessage());
            }
        }
    }

    private void closeLog() {
        if (logFile != null) {
            try {
                logFile.close();
            } catch (IOException e) {
                System.err.println("picklejar: cannot close the log " + log + ": " + e.getMessage());
            }
        }
    }

    private static String peer(PickleConnection c) {
        return describe(c.remoteAddress());
    }

    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String h = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
