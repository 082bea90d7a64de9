import dev.picklejar.Pickler;
import dev.picklejar.PyTuple;
import dev.picklejar.net.PickleClient;
import dev.picklejar.net.PickleConnection;
import dev.picklejar.net.PickleServer;
import dev.picklejar.net.Pickled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The picklejar-net benchmark (run by run.sh; never part of the tests). Speaks a tiny protocol that
 * py_bench.py speaks too: any message is counted; 'sync' is answered with the count since the last
 * 'sync'; ('echo', x) is answered with x; 'quit' stops the server.
 *
 *   java NetBench java-java N M          Java client and Java server in one JVM (separate event loops)
 *   java NetBench server KEY             a Java server; prints its port; runs until 'quit'
 *   java NetBench client HOST PORT KEY N M   a Java client against any server
 *
 * A client prints: oneway=<messages/s> raw=<pre-pickled messages/s> p50=<µs> p99=<µs> rtt=<round trips/s>
 */
public final class NetBench {
    private static final Object MESSAGE = PyTuple.of(0, "hello", 3.5);
    /** The same message pickled once (protocol 4), sent as it is: the transport without the pickler. */
    private static final Pickled PICKLED = Pickled.of(Pickler.standard(4).dumps(MESSAGE));

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "java-java" -> {
                PickleServer server = server("bench", 1);
                try {
                    client("127.0.0.1", server.port(), "bench", Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                } finally {
                    server.close();
                }
            }
            case "server" -> {
                PickleServer server = server(args[1], 1);
                System.out.println(server.port());
                server.closeFuture().join();
            }
            case "client" -> client(args[1], Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static PickleServer server(String key, int threads) {
        AtomicLong count = new AtomicLong();
        PickleServer[] self = new PickleServer[1];
        self[0] = PickleServer.builder()
                .authKey(key.getBytes(StandardCharsets.UTF_8))
                .eventLoopThreads(threads)
                .onMessage((c, m) -> {
                    if (m instanceof PyTuple t && t.size() == 2 && "echo".equals(t.get(0))) {
                        c.send(t.get(1));
                    } else if ("sync".equals(m)) {
                        c.send(count.getAndSet(0));
                    } else if ("quit".equals(m)) {
                        new Thread(() -> self[0].close()).start();
                    } else {
                        count.incrementAndGet();
                    }
                })
                .bind("127.0.0.1", 0);
        return self[0];
    }

    static void client(String host, int port, String key, int n, int m) throws Exception {
        try (PickleClient client = PickleClient.builder().authKey(key.getBytes(StandardCharsets.UTF_8))
                .eventLoopThreads(1).build()) {
            PickleConnection c = client.connect(host, port);
            oneWay(c, Math.max(1, n / 4), MESSAGE);      // warm-up
            double rate = oneWay(c, n, MESSAGE);
            oneWay(c, Math.max(1, n / 4), PICKLED);
            double raw = oneWay(c, n, PICKLED);
            roundTrips(c, Math.max(1, m / 4));           // warm-up
            long start = System.nanoTime();
            long[] rtt = roundTrips(c, m);
            double rtts = m / ((System.nanoTime() - start) / 1e9);
            Arrays.sort(rtt);
            System.out.printf("oneway=%.0f raw=%.0f p50=%.1f p99=%.1f rtt=%.0f%n", rate, raw, rtt[m / 2] / 1e3,
                    rtt[(int) (m * 0.99)] / 1e3, rtts);
        }
    }

    /** Sends n messages, at most 4096 unwritten at a time, then 'sync'; returns messages per second. */
    static double oneWay(PickleConnection c, int n, Object message) throws Exception {
        Semaphore window = new Semaphore(4096);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            c.send(message).whenComplete((ok, e) -> window.release());
        }
        Object counted = c.request("sync").get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (((Number) counted).longValue() != n) {
            throw new IllegalStateException("the server counted " + counted + " of " + n);
        }
        return n / seconds;
    }

    /** m sequential request/reply round trips; returns each one's nanoseconds. */
    static long[] roundTrips(PickleConnection c, int m) throws Exception {
        long[] times = new long[m];
        for (int i = 0; i < m; i++) {
            long t = System.nanoTime();
            Object back = c.request(PyTuple.of("echo", i)).get(1, TimeUnit.MINUTES);
            times[i] = System.nanoTime() - t;
            if (!Integer.valueOf(i).equals(back)) {
                throw new IllegalStateException("echo " + i + " came back as " + back);
            }
        }
        return times;
    }

    private NetBench() {
    }
}
