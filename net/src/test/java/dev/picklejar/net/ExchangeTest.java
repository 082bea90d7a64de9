package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.PickleException;
import dev.picklejar.PyTuple;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java server and Java client over loopback. */
class ExchangeTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    private final BlockingQueue<Throwable> serverErrors = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        pool.shutdownNow();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private PickleServer echo(PickleServer.Builder builder) {
        return keep(builder.authKey(KEY).onMessage(PickleConnection::send).onError((c, e) -> serverErrors.add(e))
                .bind("127.0.0.1", 0));
    }

    private PickleConnection connect(PickleServer server) {
        PickleClient client = keep(PickleClient.builder().authKey(KEY).build());
        return client.connect("127.0.0.1", server.port());
    }

    @Test
    void requestsGetTheirRepliesWithNoneAndPickledBytesToo() throws Exception {
        PickleConnection c = connect(echo(PickleServer.builder()));
        assertEquals(AuthDigest.SHA256, c.peerDigest());
        assertEquals(List.of(1, "two"), c.request(List.of(1, "two")).get(30, TimeUnit.SECONDS));
        assertNull(c.request(null).get(30, TimeUnit.SECONDS));
        assertEquals(PyTuple.of(1, 2), c.request(Pickled.of(new byte[] {(byte) 0x80, 2, 'K', 1, 'K', 2, (byte) 0x86, '.'}))
                .get(30, TimeUnit.SECONDS));
        c.send("plain").join();
        assertEquals("plain", c.recv(Duration.ofSeconds(30)));
    }

    @Test
    void manyRequestsInFlightFromManyThreadsEachGetTheirOwnReply() throws Exception {
        PickleConnection c = connect(echo(PickleServer.builder()));
        List<CompletableFuture<Boolean>> checks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            checks.add(CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<Object>> replies = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    replies.add(c.request(PyTuple.of(thread, i)));
                }
                for (int i = 0; i < 500; i++) {
                    if (!PyTuple.of(thread, i).equals(replies.get(i).join())) {
                        return false;
                    }
                }
                return true;
            }, pool));
        }
        for (CompletableFuture<Boolean> check : checks) {
            assertTrue(check.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void handlersOnAPoolStillSeeEachConnectionsMessagesInOrder() throws Exception {
        Map<Object, List<Integer>> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(3);
        PickleServer server = keep(PickleServer.builder().authKey(KEY).handlerExecutor(pool)
                .onMessage((c, m) -> {
                    if ("end".equals(m)) {
                        done.countDown();
                    } else {
                        seen.computeIfAbsent(c, k -> new ArrayList<>()).add((Integer) m);
                    }
                })
                .bind("127.0.0.1", 0));
        for (int client = 0; client < 3; client++) {
            PickleConnection c = connect(server);
            for (int i = 0; i < 3000; i++) {
                c.send(i);
            }
            c.send("end");
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        assertEquals(3, seen.size());
        for (List<Integer> messages : seen.values()) {
            for (int i = 0; i < 3000; i++) {
                assertEquals(i, messages.get(i));
            }
        }
    }

    @Test
    void aMessageOverTheMaximumIsAClearErrorAndClosesThatConnectionOnly() throws Exception {
        PickleServer server = echo(PickleServer.builder().maxMessageSize(1000));
        PickleConnection big = connect(server);
        big.send(new byte[5000]);
        Throwable e = serverErrors.poll(30, TimeUnit.SECONDS);
        MessageTooLargeException tooLarge = assertInstanceOf(MessageTooLargeException.class, e);
        assertTrue(tooLarge.getMessage().matches("message of 50\\d\\d bytes from 127\\.0\\.0\\.1:\\d+ exceeds the maximum of 1000 bytes"),
                tooLarge.getMessage());
        big.closeFuture().get(30, TimeUnit.SECONDS);
        assertThrows(ConnectionClosedException.class, big::recv);
        assertEquals("small", connect(server).request("small").get(30, TimeUnit.SECONDS));
    }

    @Test
    void aMessageThatDoesNotUnpickleIsReportedAndTheConnectionGoesOn() throws Exception {
        PickleConnection c = connect(echo(PickleServer.builder()));
        c.send(Pickled.of(new byte[] {(byte) 0x80, 4, 'X'}));
        assertEquals("next", c.request("next").get(30, TimeUnit.SECONDS));
        Throwable e = serverErrors.poll(30, TimeUnit.SECONDS);
        assertInstanceOf(PickleException.class, e.getCause());
        assertTrue(e.getMessage().contains("from 127.0.0.1:"), e.getMessage());
    }

    @Test
    void aWrongKeyFailsTheConnectAndIsReportedByTheServer() throws Exception {
        PickleServer server = echo(PickleServer.builder());
        PickleClient client = keep(PickleClient.builder().authKey("other".getBytes(StandardCharsets.UTF_8)).build());
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> client.connect("127.0.0.1", server.port()));
        assertTrue(e.getMessage().endsWith("failed: digest sent was rejected (the keys differ)"), e.getMessage());
        assertInstanceOf(AuthenticationException.class, serverErrors.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void connectingToNothingSaysWhere() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PickleClient client = keep(PickleClient.builder().build());
        NetException e = assertThrows(NetException.class, () -> client.connect("127.0.0.1", port));
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        PickleServer server = echo(PickleServer.builder().idleTimeout(Duration.ofMillis(300)));
        PickleConnection c = connect(server);
        c.closeFuture().get(30, TimeUnit.SECONDS);
        Throwable e = serverErrors.poll(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().endsWith("no message either way for 300 ms"), e.getMessage());
    }

    @Test
    void closingTheServerFinishesMessagesAlreadyTakenAndDeliversTheirReplies() throws Exception {
        CountDownLatch firstTaken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger taken = new AtomicInteger();
        PickleServer server = PickleServer.builder().authKey(KEY).handlerExecutor(pool)
                .onMessage((c, m) -> {
                    taken.incrementAndGet();
                    firstTaken.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    c.send(m);
                })
                .bind("127.0.0.1", 0);
        PickleConnection c = connect(server);
        List<CompletableFuture<Object>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(c.request(i));
        }
        assertTrue(firstTaken.await(30, TimeUnit.SECONDS));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        c.closeFuture().get(30, TimeUnit.SECONDS);
        int answered = 0;
        for (CompletableFuture<Object> reply : replies) {
            if (!reply.isCompletedExceptionally()) {
                assertEquals(answered, reply.join());
                answered++;
            }
        }
        assertEquals(taken.get(), answered, "every message the server took was answered");
        assertTrue(answered >= 1);
        assertTrue(server.closeFuture().isDone());
    }

    @Test
    void withTinyBuffersAndRepliesReadLateEveryMessageStillArrivesInOrder() throws Exception {
        PickleServer server = echo(PickleServer.builder().writeBufferWaterMark(4 << 10, 16 << 10).maxQueuedMessages(8));
        PickleClient client = keep(PickleClient.builder().authKey(KEY).writeBufferWaterMark(4 << 10, 16 << 10)
                .maxQueuedMessages(8).build());
        PickleConnection c = client.connect("127.0.0.1", server.port());
        byte[] payload = new byte[4096];
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sends.add(c.send(PyTuple.of(i, payload)));
        }
        // Nobody reads the echoes yet: both sides stop reading and the writes wait, until these receives.
        for (int i = 0; i < 2000; i++) {
            PyTuple echo = (PyTuple) c.recv(Duration.ofSeconds(30));
            assertEquals(i, echo.get(0));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertTrue(serverErrors.isEmpty(), serverErrors::toString);
    }

    @Test
    void aHandlerOnTheEventLoopCanCloseTheServer() throws Exception {
        PickleServer[] server = new PickleServer[1];
        server[0] = keep(PickleServer.builder().authKey(KEY).onMessage((c, m) -> server[0].close()).bind("127.0.0.1", 0));
        PickleConnection c = connect(server[0]);
        c.send("stop");
        server[0].closeFuture().get(30, TimeUnit.SECONDS);
        c.closeFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void recvTimesOutAndKeepsALateMessageForTheNextCall() throws Exception {
        PickleConnection c = connect(echo(PickleServer.builder()));
        TimeoutException e = assertThrows(TimeoutException.class, () -> c.recv(Duration.ofMillis(50)));
        assertTrue(e.getMessage().startsWith("no message from 127.0.0.1:"), e.getMessage());
        c.send("late");
        assertEquals("late", c.recv(Duration.ofSeconds(30)));
    }

    @Test
    void javaPeersTalkOverAUnixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("s");
        PickleServer server = keep(PickleServer.builder().authKey(KEY).onMessage(PickleConnection::send)
                .bind(UnixDomainSocketAddress.of(socket)));
        assertEquals(-1, server.port());
        PickleClient client = keep(PickleClient.builder().authKey(KEY).build());
        PickleConnection c = client.connect(UnixDomainSocketAddress.of(socket));
        assertEquals("over unix", c.request("over unix").get(30, TimeUnit.SECONDS));
        server.close();
        assertFalse(socket.toFile().exists(), "the socket file is removed on close");
    }

    @Test
    void bindingAnAddressInUseSaysWhich() {
        PickleServer first = keep(PickleServer.builder().bind("127.0.0.1", 0));
        NetException e = assertThrows(NetException.class, () -> PickleServer.builder().bind("127.0.0.1", first.port()));
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.port()), e.getMessage());
        assertInstanceOf(InetSocketAddress.class, first.localAddress());
    }
}
