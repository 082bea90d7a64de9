package dev.picklejar.cli;

import dev.picklejar.PickleException;
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
            "Runs until stopped (SIGTERM or Ctrl-C), then finishes the messages it took and closes cleanly."},
        footer = {"Exit codes: 0 stopped cleanly, 2 bad usage or the address cannot be used."})
final class ServeCommand implements Callable<Integer> {
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
            description = "Append every object received to FILE as a pickle, flushed as it arrives; "
                    + "Python reads it back with repeated pickle.load.")
    String log;

    private final Unpickler unpickler = Unpickler.standard();
    private PrintStream out;
    private OutputStream logFile;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            System.err.println("picklejar: --port must be 0 to 65535, not " + port);
            return Main.EXIT_BAD_INPUT;
        }
        out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (log != null) {
            try {
                logFile = new BufferedOutputStream(new FileOutputStream(log, true), 1 << 16);
            } catch (IOException e) {
                System.err.println("picklejar: cannot open the log " + log + ": " + e.getMessage());
                return Main.EXIT_BAD_INPUT;
            }
        }
        // One handler thread: printing and logging block, and one thread keeps the lines in event order.
        ExecutorService handlers = Executors.newSingleThreadExecutor(r -> {
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
                    .onConnect(c -> out.println("connect " + peer(c)))
                    .onMessage((c, m) -> received(c, (Pickled) m))
                    .onClose(c -> out.println("close " + peer(c)))
                    .onError((c, e) -> out.println("error " + peer(c) + " " + e.getMessage()))
                    .bind(host, port);
        } catch (NetException | IllegalArgumentException e) {
            handlers.shutdown();
            closeLog();
            System.err.println("picklejar: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        out.println("listening " + describe(server.localAddress()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            handlers.shutdown();
            try {
                handlers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeLog();
            out.println("stopped");
            stopped.countDown();
        }, "picklejar-serve-stop"));
        server.closeFuture().join();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void received(PickleConnection c, Pickled message) {
        byte[] bytes = message.bytes();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        Object value;
        try {
            value = unpickler.load(in);
        } catch (PickleException e) {
            out.println("error " + peer(c) + " a message of " + bytes.length + " bytes could not be unpickled: "
                    + e.getMessage());
            return;
        }
        out.println("message " + peer(c) + " " + Repr.of(value));
        if (logFile != null) {
            try {
                // Only the pickle itself: bytes after its STOP would break the reader's next pickle.load.
                logFile.write(bytes, 0, bytes.length - in.available());
                logFile.flush();
            } catch (IOException e) {
                out.println("error " + peer(c) + " cannot write the log " + log + ": " + e.getMessage());
            }
        }
        if (echo) {
            c.send(message);
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
