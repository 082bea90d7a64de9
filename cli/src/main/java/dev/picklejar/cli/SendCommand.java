package dev.picklejar.cli;

import dev.picklejar.PickleException;
import dev.picklejar.Repr;
import dev.picklejar.Unpickler;
import dev.picklejar.net.ConnectionClosedException;
import dev.picklejar.net.NetException;
import dev.picklejar.net.PickleClient;
import dev.picklejar.net.PickleConnection;
import dev.picklejar.net.Pickled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code picklejar send}: sends every pickle of a file, as it is, to a {@code multiprocessing.connection}
 * listener, one message each; with {@code --recv} prints the repr of the reply to each.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send every pickle in FILE (its original bytes) as one message to a multiprocessing.connection "
                + "Listener or 'picklejar serve'; with --recv, print the repr() of one reply per message, one per line."},
        footer = {"Exit codes: 0 sent (and every reply printed), 1 the peer refused, failed or did not reply, "
                + "2 bad usage or FILE is not pickles (then nothing is sent)."})
final class SendCommand implements Callable<Integer> {
    /** Requests in flight at once with --recv. */
    private static final int WINDOW = 256;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "Where the listener is.")
    String to;

    @Option(names = "--authkey", required = true, paramLabel = "KEY",
            description = "The shared key (Python's authkey, as UTF-8 bytes).")
    String authKey;

    @Option(names = "--recv", description = "Wait for one reply per message and print its repr().")
    boolean recv;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Give up on connecting, or on a reply, after this long (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Parameters(paramLabel = "FILE", description = "A file of one or more pickles; - for standard input.")
    String file;

    @Override
    public Integer call() {
        String[] hostPort = hostPort(to);
        if (hostPort == null) {
            System.err.println("picklejar: --to must be HOST:PORT, not '" + to + "'");
            return Main.EXIT_BAD_INPUT;
        }
        if (!(timeoutSeconds > 0)) {
            System.err.println("picklejar: --timeout must be positive, not " + timeoutSeconds);
            return Main.EXIT_BAD_INPUT;
        }
        List<Pickled> messages;
        try {
            messages = split(file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            System.err.println("picklejar: " + file + ": cannot read: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        } catch (PickleException e) {
            System.err.println("picklejar: " + file + ": " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        String peer = to;
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (PickleClient client = PickleClient.builder()
                .authKey(authKey.getBytes(StandardCharsets.UTF_8))
                .eventLoopThreads(1)
                .connectTimeout(timeout)
                .handshakeTimeout(timeout)
                .build()) {
            PickleConnection connection = client.connect(hostPort[0], Integer.parseInt(hostPort[1]));
            if (recv) {
                exchange(connection, messages, out, timeout, peer);
            } else {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (Pickled m : messages) {
                    sent.add(connection.send(m));
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return 0;
        } catch (NetException e) {
            System.err.println("picklejar: " + e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            System.err.println("picklejar: " + e.getCause().getMessage());
            return 1;
        } catch (TimeoutException e) {
            System.err.println("picklejar: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("picklejar: interrupted");
            return 1;
        } finally {
            out.flush();
        }
    }

    /** Sends with up to WINDOW requests in flight and prints the replies in order. */
    /** The longest repr of one reply that is printed (or an eighth of the heap, if less). */
    private static final long MAX_REPLY_REPR = 100_000_000;

    private static void exchange(PickleConnection connection, List<Pickled> messages, PrintStream out, Duration timeout,
                                 String peer) throws InterruptedException, ExecutionException, TimeoutException {
        ArrayDeque<CompletableFuture<Object>> inFlight = new ArrayDeque<>();
        int next = 0;
        for (int done = 0; done < messages.size(); done++) {
            while (next < messages.size() && inFlight.size() < WINDOW) {
                inFlight.add(connection.request(messages.get(next++)));
            }
            Object reply;
            try {
                reply = inFlight.poll().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("no reply from " + peer + " to message " + (done + 1) + " within "
                        + timeout.toMillis() / 1000.0 + " s");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConnectionClosedException) {
                    throw new NetException(peer + " closed the connection before replying to message " + (done + 1));
                }
                throw new NetException("reply " + (done + 1) + ": " + e.getCause().getMessage(), e.getCause());
            }
            try {
                // A reply that shares values can have an exponentially long repr: bounded as show bounds it.
                out.println(Repr.of(reply, Math.min(MAX_REPLY_REPR, Runtime.getRuntime().maxMemory() / 8)));
            } catch (Repr.TooLongException e) {
                throw new NetException("reply " + (done + 1) + " from " + peer + ": " + e.getMessage());
            }
        }
    }

    /** The pickles of a file, each as its own bytes; refuses the file if any is not a whole pickle. */
    static List<Pickled> split(byte[] data) {
        List<Pickled> pickles = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        Unpickler unpickler = Unpickler.standard();
        while (in.available() > 0) {
            int start = data.length - in.available();
            unpickler.load(in);
            int end = data.length - in.available();
            pickles.add(Pickled.of(data, start, end - start));
        }
        return pickles;
    }

    /** {@code host:port}, {@code [v6]:port}; null when malformed. */
    static String[] hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return null;
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return null;
        }
        try {
            int p = Integer.parseInt(port);
            return p > 0 && p <= 65535 && !host.isEmpty() ? new String[] {host, port} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
