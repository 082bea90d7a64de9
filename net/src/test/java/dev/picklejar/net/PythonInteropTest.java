package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.PickleException;
import dev.picklejar.PyTuple;
import dev.picklejar.Repr;
import java.math.BigInteger;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real Python 3 peers (multiprocessing.connection, standard library only) against the Java side. */
class PythonInteropTest {
    private static final String KEY = "s3cret";

    private final BlockingQueue<Throwable> serverErrors = new LinkedBlockingQueue<>();
    private final List<AuthDigest> peerDigests = new CopyOnWriteArrayList<>();
    private final List<PickleServer> servers = new ArrayList<>();
    private final List<PickleClient> clients = new ArrayList<>();

    @BeforeEach
    void needPython() {
        Assumptions.assumeTrue(PythonPeer.available(), "python3 is not available");
    }

    @AfterEach
    void stop() {
        clients.forEach(PickleClient::close);
        servers.forEach(PickleServer::close);
    }

    private PickleServer echoServer(AuthDigest digest) {
        PickleServer server = PickleServer.builder()
                .authKey(KEY.getBytes(StandardCharsets.UTF_8))
                .authDigest(digest)
                .onConnect(c -> peerDigests.add(c.peerDigest()))
                .onMessage(PickleConnection::send)
                .onError((c, e) -> serverErrors.add(e))
                .bind("127.0.0.1", 0);
        servers.add(server);
        return server;
    }

    private PickleClient client(String key, AuthDigest digest) {
        PickleClient client = PickleClient.builder().authKey(key.getBytes(StandardCharsets.UTF_8)).authDigest(digest).build();
        clients.add(client);
        return client;
    }

    private static String run(String... args) throws Exception {
        try (PythonPeer peer = PythonPeer.start(args)) {
            return peer.result();
        }
    }

    private static String port(PickleServer server) {
        return Integer.toString(server.port());
    }

    @Test
    void aPythonClientGetsBackEveryKindOfObjectItSends() throws Exception {
        PickleServer server = echoServer(AuthDigest.SHA256);
        assertEquals("ok 60", run("client", "127.0.0.1", port(server), KEY, "60"));
        assertEquals(List.of(AuthDigest.MD5_LEGACY), peerDigests, "Python 3.11 answers with a bare HMAC-MD5");
        assertTrue(serverErrors.isEmpty(), serverErrors::toString);
    }

    @Test
    void aPythonClientCanPipelineThousandsOfMessages() throws Exception {
        PickleServer server = echoServer(AuthDigest.SHA256);
        assertEquals("ok 5000", run("pipelined", "127.0.0.1", port(server), KEY, "5000"));
    }

    @ParameterizedTest(name = "Java server asks {0}, 3.12 client asks {1}")
    @CsvSource({
        "SHA256, sha256, peer_answered_with=sha256 peer_asked_for=sha256, SHA256",
        "SHA3_384, sha384, peer_answered_with=sha384 peer_asked_for=sha3_384, SHA3_384",
        "MD5_LEGACY, sha256, peer_answered_with=md5-legacy peer_asked_for=md5-legacy, MD5_LEGACY",
    })
    void aPython312ClientSpeaksTheNewHandshakeWithTheJavaServer(AuthDigest serverAsks, String clientAsks,
                                                              String pythonSaw, AuthDigest javaSaw) throws Exception {
        PickleServer server = echoServer(serverAsks);
        assertEquals("ok 5 " + pythonSaw,
                run("--gen", "3.12", "--digest", clientAsks, "client", "127.0.0.1", port(server), KEY, "5"));
        assertEquals(List.of(javaSaw), peerDigests);
    }

    @Test
    void theJavaClientSendsToAPythonListenerThatSeesTheSameValues() throws Exception {
        try (PythonPeer listener = PythonPeer.start("listener", KEY)) {
            int port = Integer.parseInt(listener.nextLine().split(" ")[1]);
            PickleConnection c = client(KEY, AuthDigest.SHA256).connect("127.0.0.1", port);
            assertEquals(AuthDigest.MD5_LEGACY, c.peerDigest(), "a 3.11 listener answers with a bare HMAC-MD5");
            Map<String, Object> dict = new LinkedHashMap<>();
            dict.put("name", "Alice");
            dict.put("age", 25);
            List<Object> values = Arrays.asList(dict, List.of(1, 2.5, "한국어"), PyTuple.of("t", null),
                    new byte[] {0, (byte) 0xff}, BigInteger.TWO.pow(100), LocalDate.of(2024, 2, 29), null,
                    Collections.nCopies(3, 0.1));
            for (Object v : values) {
                assertEquals(PyTuple.of("ack", Repr.of(v)), c.request(v).get(30, TimeUnit.SECONDS), Repr.of(v));
                assertEquals("got " + Repr.of(v), listener.nextLine());
            }
            assertEquals("bye", c.request("bye").get(30, TimeUnit.SECONDS));
            assertEquals("got 'bye'", listener.nextLine());
            assertEquals("closed", listener.result());
        }
    }

    @ParameterizedTest(name = "3.12 listener asks {0}, Java client asks {1}")
    @CsvSource({
        "sha256, SHA256, peer_answered_with=sha256 peer_asked_for=sha256, SHA256",
        "sha3_384, SHA384, peer_answered_with=sha3_384 peer_asked_for=sha384, SHA384",
        "sha256, MD5_LEGACY, peer_answered_with=md5-legacy peer_asked_for=md5-legacy, MD5_LEGACY",
    })
    void theJavaClientSpeaksTheNewHandshakeWithAPython312Listener(String listenerAsks, AuthDigest clientAsks,
                                                                  String pythonSaw, AuthDigest javaSaw) throws Exception {
        try (PythonPeer listener = PythonPeer.start("--gen", "3.12", "--digest", listenerAsks, "listener", KEY)) {
            int port = Integer.parseInt(listener.nextLine().split(" ")[1]);
            PickleConnection c = client(KEY, clientAsks).connect("127.0.0.1", port);
            assertEquals(javaSaw, c.peerDigest());
            assertEquals(PyTuple.of("ack", "[1, 2]"), c.request(List.of(1, 2)).get(30, TimeUnit.SECONDS));
            c.send("bye");
            assertEquals("bye", c.recv());
            assertEquals("closed " + pythonSaw, listener.result());
        }
    }

    @Test
    void aPythonClientWithTheWrongKeyIsRefusedWithAClearErrorOnBothSides() throws Exception {
        PickleServer server = echoServer(AuthDigest.SHA256);
        assertEquals("error AuthenticationError: digest sent was rejected",
                run("client", "127.0.0.1", port(server), "not-the-key", "1"));
        Throwable e = serverErrors.poll(30, TimeUnit.SECONDS);
        assertInstanceOf(AuthenticationException.class, e);
        assertTrue(e.getMessage().matches("authentication with 127\\.0\\.0\\.1:\\d+ failed: digest received was wrong"),
                e.getMessage());
        assertEquals("ok 2", run("client", "127.0.0.1", port(server), KEY, "2"), "the server goes on");
    }

    @Test
    void theJavaClientWithTheWrongKeyIsRefusedWithAClearErrorOnBothSides() throws Exception {
        try (PythonPeer listener = PythonPeer.start("listener", KEY)) {
            int port = Integer.parseInt(listener.nextLine().split(" ")[1]);
            AuthenticationException e = assertThrows(AuthenticationException.class,
                    () -> client("not-the-key", AuthDigest.SHA256).connect("127.0.0.1", port));
            assertEquals("authentication with 127.0.0.1:" + port + " failed: digest sent was rejected (the keys differ)",
                    e.getMessage());
            assertEquals("error AuthenticationError: digest received was wrong", listener.result());
        }
    }

    @Test
    void fiftyConcurrentPythonClientsGetEveryReplyRight() throws Exception {
        PickleServer server = echoServer(AuthDigest.SHA256);
        assertEquals("ok 10000", run("concurrent", "127.0.0.1", port(server), KEY, "50", "200"));
        assertEquals(50, peerDigests.size());
        assertTrue(serverErrors.isEmpty(), serverErrors::toString);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "garbage         | AuthenticationException   | failed: handshake message of 1195725856 bytes exceeds 256 bytes",
        "huge-length     | MessageTooLargeException  | message of 2147483632 bytes from 127.0.0.1:",
        "escape-length   | MessageTooLargeException  | message of 1099511627776 bytes from 127.0.0.1:",
        "negative-length | NetException              | bad length prefix fffffffb (-5) from 127.0.0.1:",
        "truncated       | NetException              | ended in the middle of a message (got 5 of 1000 bytes)",
        "mid-message     | NetException              | ended in the middle of a message (got 50000 of 100000 bytes)",
    })
    void afterAHostileClientTheServerStillServesTheNextOne(String hostile, String errorType, String errorText)
            throws Exception {
        PickleServer server = echoServer(AuthDigest.SHA256);
        assertTrue(run("hostile", "127.0.0.1", port(server), KEY, hostile).startsWith("done"));
        Throwable e = serverErrors.poll(30, TimeUnit.SECONDS);
        assertEquals(errorType, e.getClass().getSimpleName(), e::toString);
        assertTrue(e.getMessage().contains(errorText), e.getMessage());
        assertEquals("ok 3", run("client", "127.0.0.1", port(server), KEY, "3"));
    }

    @Test
    void aMessageThatDoesNotUnpickleIsReportedWithThePeerAndTheConnectionGoesOn() throws Exception {
        PickleServer server = echoServer(AuthDigest.SHA256);
        assertEquals("done 'after'", run("hostile", "127.0.0.1", port(server), KEY, "bad-pickle"));
        Throwable e = serverErrors.poll(30, TimeUnit.SECONDS);
        assertTrue(e.getMessage().matches("message 1 from 127\\.0\\.0\\.1:\\d+ could not be unpickled: .*"), e.getMessage());
        assertInstanceOf(PickleException.class, e.getCause());
    }

    @Test
    void aPythonClientConnectsOverAUnixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("pj.sock");
        PickleServer server = PickleServer.builder()
                .authKey(KEY.getBytes(StandardCharsets.UTF_8))
                .onMessage(PickleConnection::send)
                .onError((c, e) -> serverErrors.add(e))
                .bind(UnixDomainSocketAddress.of(socket));
        servers.add(server);
        assertEquals("ok 10", run("unix-client", socket.toString(), KEY, "10"));
        assertTrue(serverErrors.isEmpty(), serverErrors::toString);
    }
}
