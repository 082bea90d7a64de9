package dev.picklejar.cli;

import dev.picklejar.cli.CommandLine.Run;
import static dev.picklejar.cli.CommandLine.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.net.PickleConnection;
import dev.picklejar.net.PickleServer;
import dev.picklejar.net.Pickled;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code picklejar send --to HOST:PORT --authkey KEY [--recv] FILE}, against a Java server and a Python Listener. */
class SendCommandTest {
    /** Writes pickles of several protocols to argv[1]; prints the hex of each and then the repr of each. */
    private static final String WRITE_PICKLES = """
            import datetime, pickle, sys
            values = [{'name': 'Alice', 'age': 25}, [1, 2.5, '한국어', b'\\x00\\xff', (1,), None], None, 2 ** 70,
                      datetime.date(2024, 2, 29), frozenset({3})]
            blobs = [pickle.dumps(v, p) for p in (0, 2, 4, 5) for v in values]
            open(sys.argv[1], 'wb').write(b''.join(blobs))
            for b in blobs:
                print(b.hex())
            for b in blobs:
                print(repr(pickle.loads(b)))
            """;

    private final List<PickleServer> servers = new ArrayList<>();
    private final List<Throwable> serverErrors = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(PickleServer::close);
    }

    static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "pass").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Python's pickles in a file; returns the lines python printed (hex of each pickle, then repr of each). */
    private static List<String> pythonPickles(Path file) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", WRITE_PICKLES, file.toString()).start();
        String printed = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, "python3 failed");
        return printed.lines().toList();
    }

    private PickleServer server(PickleServer.Builder builder) {
        PickleServer server = builder.authKey("key".getBytes(UTF_8)).onError((c, e) -> serverErrors.add(e)).bind("127.0.0.1", 0);
        servers.add(server);
        return server;
    }

    @Test
    void sendsEveryPickleOfTheFileAsItsOriginalBytes(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("values.pickle");
        List<String> lines = pythonPickles(file);
        List<String> hex = lines.subList(0, lines.size() / 2);
        List<String> received = new CopyOnWriteArrayList<>();
        PickleServer server = server(PickleServer.builder().rawMessages(true)
                .onMessage((c, m) -> received.add(HexFormat.of().formatHex(((Pickled) m).bytes()))));
        Run run = run(null, "send", "--to", "127.0.0.1:" + server.port(), "--authkey", "key", file.toString());
        assertEquals(Run.of(0, "", ""), run);
        server.close();
        assertEquals(hex, received);
    }

    @Test
    void withRecvPrintsTheReprOfEachReplyAsPythonWould(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("values.pickle");
        List<String> lines = pythonPickles(file);
        List<String> reprs = lines.subList(lines.size() / 2, lines.size());
        PickleServer server = server(PickleServer.builder().onMessage(PickleConnection::send));
        Run run = run(new ByteArrayInputStream(Files.readAllBytes(file)),
                "send", "--to", "127.0.0.1:" + server.port(), "--authkey", "key", "--recv", "-");
        assertEquals(Run.of(0, String.join("\n", reprs) + "\n", ""), run);
    }

    @Test
    void talksToAPythonListener(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("values.pickle");
        List<String> lines = pythonPickles(file);
        int count = lines.size() / 2;
        String listener = """
                import sys
                from multiprocessing.connection import Listener
                with Listener(('127.0.0.1', 0), authkey=b'key') as l:
                    print(l.address[1], flush=True)
                    with l.accept() as c:
                        for _ in range(int(sys.argv[1])):
                            obj = c.recv()
                            reply = ('ack', repr(obj))
                            c.send(reply)
                            print(repr(reply))
                """;
        Process p = new ProcessBuilder("python3", "-c", listener, Integer.toString(count)).start();
        try {
            var stdout = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), UTF_8));
            String port = stdout.readLine();
            Run run = run(null, "send", "--to", "127.0.0.1:" + port, "--authkey", "key", "--recv", file.toString());
            List<String> expected = stdout.lines().toList();
            assertEquals(count, expected.size());
            assertEquals(Run.of(0, String.join("\n", expected) + "\n", ""), run);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aReplyWhoseReprWouldNeverEndIsOneLine(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("one.pickle");
        java.nio.file.Files.write(file, dev.picklejar.Pickle.dumps(1));
        String listener = """
                from multiprocessing.connection import Listener
                x = [1]
                for i in range(60):
                    x = [x, x]
                with Listener(('127.0.0.1', 0), authkey=b'key') as l:
                    print(l.address[1], flush=True)
                    with l.accept() as c:
                        c.recv()
                        c.send(x)
                        c.poll(30)
                """;
        Process p = new ProcessBuilder("python3", "-c", listener).start();
        try {
            var stdout = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), UTF_8));
            String port = stdout.readLine();
            Run run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120),
                    () -> run(null, "send", "--to", "127.0.0.1:" + port, "--authkey", "key", "--recv", file.toString()));
            assertEquals(1, run.exit());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().startsWith("picklejar: reply 1 from 127.0.0.1:" + port + ": its repr is longer than "),
                    run.err());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aWrongKeyIsOneLineAndExit1(@TempDir Path dir) throws Exception {
        PickleServer server = server(PickleServer.builder());
        Path file = dir.resolve("n.pickle");
        Files.write(file, new byte[] {'N', '.'});
        Run run = run(null, "send", "--to", "127.0.0.1:" + server.port(), "--authkey", "wrong", file.toString());
        assertEquals(Run.of(1, "", "picklejar: authentication with 127.0.0.1:" + server.port()
                + " failed: digest sent was rejected (the keys differ)\n"), run);
    }

    @Test
    void nothingListeningIsExit1(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path file = dir.resolve("n.pickle");
        Files.write(file, new byte[] {'N', '.'});
        Run run = run(null, "send", "--to", "127.0.0.1:" + port, "--authkey", "k", file.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("picklejar: cannot connect to 127.0.0.1:" + port), run.err());
        assertEquals(1, run.err().lines().count());
    }

    @Test
    void noReplyWithinTheTimeoutIsExit1(@TempDir Path dir) throws Exception {
        PickleServer server = server(PickleServer.builder().onMessage((c, m) -> { }));
        Path file = dir.resolve("n.pickle");
        Files.write(file, new byte[] {'N', '.'});
        Run run = run(null, "send", "--to", "127.0.0.1:" + server.port(), "--authkey", "key", "--recv",
                "--timeout", "0.3", file.toString());
        assertEquals(Run.of(1, "", "picklejar: no reply from 127.0.0.1:" + server.port()
                + " to message 1 within 0.3 s\n"), run);
    }

    @Test
    void aFileThatIsNotPicklesIsExit2AndNothingIsSent(@TempDir Path dir) throws Exception {
        List<Object> received = new CopyOnWriteArrayList<>();
        PickleServer server = server(PickleServer.builder().onConnect(received::add));
        Path file = dir.resolve("bad.pickle");
        // pickle.dumps(1, 2) followed by the start of another pickle
        Files.write(file, HexFormat.of().parseHex("80024b012e8002"));
        Run run = run(null, "send", "--to", "127.0.0.1:" + server.port(), "--authkey", "key", file.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("picklejar: " + file + ": "), run.err());
        assertEquals(1, run.err().lines().count());
        assertTrue(received.isEmpty());
    }

    @Test
    void badUsageIsExit2() {
        Run badTo = run(null, "send", "--to", "localhost", "--authkey", "k", "f");
        assertEquals(Run.of(2, "", "picklejar: --to must be HOST:PORT, not 'localhost'\n"), badTo);
        Run missing = run(null, "send", "--to", "127.0.0.1:1", "--authkey", "k", "/no/such/file");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("picklejar: /no/such/file: cannot read"), missing.err());
        assertEquals(2, run(null, "send", "--authkey", "k", "f").exit());
    }

    @Test
    void readsHostAndPortIncludingIpv6() {
        assertEquals(List.of("::1", "80"), List.of(SendCommand.hostPort("[::1]:80")));
        assertEquals(List.of("example.org", "6000"), List.of(SendCommand.hostPort("example.org:6000")));
        assertEquals(null, SendCommand.hostPort("::1:80"));
        assertEquals(null, SendCommand.hostPort("host:0"));
    }
}
