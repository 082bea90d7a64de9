package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.net.PickleServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code picklejar serve}, run as its own JVM so that it can be stopped with SIGTERM. */
class ServeCommandTest {
    /** A Python client: checks echoes, sends more without waiting, then waits for the server to close. */
    private static final String CLIENT = """
            import datetime, sys
            from multiprocessing.connection import Client
            values = [{'name': 'Alice', 'age': 25}, [1, 2.5, '한국어', b'\\x00\\xff', (1,), None], None, 2 ** 70,
                      datetime.date(2024, 2, 29), frozenset({3}), 'x' * 70000]
            with Client(('127.0.0.1', int(sys.argv[1])), authkey=sys.argv[2].encode()) as c:
                for v in values:
                    c.send(v)
                    assert c.recv() == v, v
                for i in range(int(sys.argv[3])):
                    c.send(('more', i))
                print('sent', flush=True)
                try:
                    while True:
                        c.recv()
                except EOFError:
                    print('eof', flush=True)
            """;

    /** Reads a log with repeated pickle.load and prints the count and whether it holds what the client sent. */
    private static final String READ_LOG = """
            import datetime, pickle, sys
            values = [{'name': 'Alice', 'age': 25}, [1, 2.5, '한국어', b'\\x00\\xff', (1,), None], None, 2 ** 70,
                      datetime.date(2024, 2, 29), frozenset({3}), 'x' * 70000]
            values += [('more', i) for i in range(int(sys.argv[2]))]
            got = []
            with open(sys.argv[1], 'rb') as f:
                while f.peek(1):
                    got.append(pickle.load(f))
            print(len(got), got == values)
            """;

    private static final String WRONG_KEY = """
            import sys
            from multiprocessing.connection import Client, AuthenticationError
            try:
                Client(('127.0.0.1', int(sys.argv[1])), authkey=b'wrong')
            except AuthenticationError as e:
                print(e)
            """;

    /** The serve command as its own process, its output read line by line. */
    private static final class Serve implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Serve(String... args) throws Exception {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "dev.picklejar.cli.Main", "serve"));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String next() throws InterruptedException {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                fail("serve printed nothing more after " + seen.stream().map(l -> l.length() > 100 ? l.substring(0, 100) + "..." : l)
                        .skip(Math.max(0, seen.size() - 10)).toList());
            }
            seen.add(line);
            return line;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static Process python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "python did not finish");
        return out;
    }

    @Test
    void servesEchoesAndLogsEverythingTakenThenStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        assumeTrue(SendCommandTest.python3(), "needs python3 on the PATH");
        Path log = dir.resolve("log.pickle");
        int more = 300;
        try (Serve serve = new Serve("--port", "0", "--authkey", "key", "--echo", "--log", log.toString())) {
            String listening = serve.next();
            assertTrue(listening.matches("listening 127\\.0\\.0\\.1:\\d+"), listening);
            String port = listening.substring(listening.lastIndexOf(':') + 1);

            assertEquals("digest sent was rejected\n", output(python(WRONG_KEY, port)));
            String error = serve.next();
            assertTrue(error.matches("error 127\\.0\\.0\\.1:\\d+ authentication with 127\\.0\\.0\\.1:\\d+ failed: "
                    + "digest received was wrong"), error);

            Process client = python(CLIENT, port, "key", Integer.toString(more));
            BufferedReader clientOut = new BufferedReader(new InputStreamReader(client.getInputStream(), UTF_8));
            assertEquals("sent", clientOut.readLine());
            String connect = serve.next();
            assertTrue(connect.matches("connect 127\\.0\\.0\\.1:\\d+"), connect);
            String peer = connect.substring("connect ".length());
            assertEquals("message " + peer + " {'name': 'Alice', 'age': 25}", serve.next());
            assertEquals("message " + peer + " [1, 2.5, '한국어', b'\\x00\\xff', (1,), None]", serve.next());
            assertEquals("message " + peer + " None", serve.next());
            for (int i = 3; i < 7; i++) {
                assertTrue(serve.next().startsWith("message " + peer + " "));
            }
            for (int i = 0; i < more; i++) {
                assertEquals("message " + peer + " ('more', " + i + ")", serve.next());
            }

            // SIGTERM; Process.destroy() would send it too, but would also close the pipe we read.
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.process.pid())).start().waitFor());
            assertTrue(serve.process.waitFor(30, TimeUnit.SECONDS), "serve did not stop");
            assertEquals(0, serve.process.exitValue(), "serve --help promises exit 0 after a clean stop");
            assertEquals("close " + peer, serve.next());
            assertEquals("stopped", serve.next());
            assertEquals("eof", clientOut.readLine(), "the client saw the connection close");
            assertTrue(client.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals((7 + more) + " True\n", output(python(READ_LOG, log.toString(), Integer.toString(more))));
    }

    /** Sends each argument (hex) as one raw message on a connection of its own and tells what came back. */
    private static final String SEND_RAW = """
            import sys
            from multiprocessing.connection import Client
            for raw in sys.argv[3:]:
                with Client(('127.0.0.1', int(sys.argv[1])), authkey=sys.argv[2].encode()) as c:
                    c.send_bytes(bytes.fromhex(raw))
                    if not c.poll(30):
                        print('no answer', flush=True)
                        continue
                    try:
                        print('reply', c.recv_bytes().hex(), flush=True)
                    except EOFError:
                        print('eof', flush=True)
            """;

    @Test
    void ctrlCStopsCleanlyWithExit0() throws Exception {
        try (Serve serve = new Serve("--port", "0", "--authkey", "key")) {
            assertTrue(serve.next().startsWith("listening "));
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(serve.process.pid())).start().waitFor());
            assertTrue(serve.process.waitFor(30, TimeUnit.SECONDS), "serve did not stop");
            assertEquals(0, serve.process.exitValue());
            assertEquals("stopped", serve.next());
        }
    }

    @Test
    void aMessageThatDoesNotUnpickleClosesItsConnection() throws Exception {
        assumeTrue(SendCommandTest.python3(), "needs python3 on the PATH");
        try (Serve serve = new Serve("--port", "0", "--authkey", "key", "--echo")) {
            String listening = serve.next();
            String port = listening.substring(listening.lastIndexOf(':') + 1);
            String notAPickle = "6e6f742061207069636b6c65";          // b'not a pickle'
            String undefinedGet = "80046805" + "2e";                  // BINGET 5 with an empty memo
            String hugeLength = "80048e" + "ffffffffffffff0f" + "2e"; // BINBYTES8 of 2**60-1 bytes
            String lyingFrame = "800495" + "e803000000000000" + "4e2e"; // FRAME of 1000 bytes around 'N.'
            String good = "80044b072e";                               // 7
            Process client = python(SEND_RAW, port, "key", notAPickle, undefinedGet, hugeLength, lyingFrame, good);
            assertEquals("eof\neof\neof\neof\nreply 80044b072e\n", output(client));
            for (int i = 0; i < 4; i++) {
                assertTrue(serve.next().startsWith("connect "));
                String error = serve.next();
                assertTrue(error.matches("error 127\\.0\\.0\\.1:\\d+ a message of \\d+ bytes could not be unpickled: "
                        + ".*; closing the connection"), error);
                assertTrue(serve.next().startsWith("close "));
            }
            assertTrue(serve.next().startsWith("connect "));
            assertTrue(serve.next().endsWith(" 7"));
        }
    }

    /** Sends the exponential DAG, then, on a second connection, a small object, and times its echo. */
    private static final String DAG_THEN_SMALL = """
            import pickle, sys
            from multiprocessing.connection import Client
            x = [1]
            for i in range(60):
                x = [x, x]
            key = sys.argv[2].encode()
            a = Client(('127.0.0.1', int(sys.argv[1])), authkey=key)
            a.send(x)
            a.send(b'\\x00' * (4 << 20))
            with Client(('127.0.0.1', int(sys.argv[1])), authkey=key) as b:
                b.send('small')
                print('echo' if b.poll(20) and b.recv() == 'small' else 'no echo', flush=True)
            # == on two copies of the DAG would compare 2**60 leaves: compare their pickles.
            same = lambda y: pickle.dumps(y, 4) == pickle.dumps(x, 4)
            print('dag echo' if a.poll(20) and same(a.recv()) else 'no dag echo', flush=True)
            print('bytes echo' if a.poll(20) and len(a.recv()) == 4 << 20 else 'no bytes echo', flush=True)
            a.close()
            """;

    @Test
    void aMessageWithAHugeReprPrintsAShortLineAndDelaysNoOne(@TempDir Path dir) throws Exception {
        assumeTrue(SendCommandTest.python3(), "needs python3 on the PATH");
        Path log = dir.resolve("log.pickle");
        try (Serve serve = new Serve("--port", "0", "--authkey", "key", "--echo", "--log", log.toString())) {
            String listening = serve.next();
            String port = listening.substring(listening.lastIndexOf(':') + 1);
            assertEquals("echo\ndag echo\nbytes echo\n", output(python(DAG_THEN_SMALL, port, "key")));
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                events.add(serve.next());
            }
            String dag = events.stream().filter(l -> l.startsWith("message ") && l.contains("[[")).findFirst().orElseThrow();
            assertTrue(dag.length() < 2000, dag);
            // What python3 -c "import reprlib; ...; print(reprlib.repr(x))" prints for this DAG.
            assertEquals("message " + dag.split(" ")[1] + " " + "[[[[[[[...], [...]], [[...], [...]]], [[[...], [...]], [[...], [...]]]], [[[[...], [...]],"
                    + " [[...], [...]]], [[[...], [...]], [[...], [...]]]]], [[[[[...], [...]], [[...], [...]]], "
                    + "[[[...], [...]], [[...], [...]]]], [[[[...], [...]], [[...], [...]]], [[[...], [...]], [[."
                    + "..], [...]]]]]], [[[[[[...], [...]], [[...], [...]]], [[[...], [...]], [[...], [...]]]], ["
                    + "[[[...], [...]], [[...], [...]]], [[[...], [...]], [[...], [...]]]]], [[[[[...], [...]], ["
                    + "[...], [...]]], [[[...], [...]], [[...], [...]]]], [[[[...], [...]], [[...], [...]]], [[[."
                    + "..], [...]], [[...], [...]]]]]]]", dag);
            assertTrue(events.stream().anyMatch(l -> l.endsWith(" b'\\x00\\x00\\x0...0\\x00\\x00\\x00'")), events.toString());
            assertTrue(events.stream().anyMatch(l -> l.endsWith(" 'small'")), events.toString());
        }
        assertEquals("3 True\n", output(python("""
                import pickle, sys
                x = [1]
                for i in range(60):
                    x = [x, x]
                got = []
                with open(sys.argv[1], 'rb') as f:
                    while f.peek(1):
                        got.append(pickle.load(f))
                kept = {pickle.dumps(y, 4) for y in got}
                print(len(got), pickle.dumps(x, 4) in kept and pickle.dumps('small', 4) in kept
                      and pickle.dumps(b'\\x00' * (4 << 20), 4) in kept)
                """, log.toString())));
    }

    @Test
    void aReaderThatDoesNotDrainStandardOutputStallsNothing() throws Exception {
        assumeTrue(SendCommandTest.python3(), "needs python3 on the PATH");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Standard output is a pipe that nobody reads until the client is done: 64 KiB fill it.
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "dev.picklejar.cli.Main", "serve", "--port", "0", "--authkey", "key", "--echo")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), UTF_8));
            String listening = out.readLine();
            String port = listening.substring(listening.lastIndexOf(':') + 1);
            Process client = python("""
                    import sys
                    from multiprocessing.connection import Client
                    with Client(('127.0.0.1', int(sys.argv[1])), authkey=b'key') as c:
                        for i in range(3000):
                            c.send(('line', i, 'y' * 100))
                            assert c.poll(20), 'no echo for message %d' % i
                            c.recv()
                    print('done', flush=True)
                    """, port);
            assertEquals("done\n", output(client));
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor());
            List<String> lines = out.lines().toList();
            assertEquals("stopped", lines.get(lines.size() - 1));
            assertEquals(3000, lines.stream().filter(l -> l.startsWith("message ")).count());
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, serve.exitValue());
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void theLogStaysReadableByPythonAfterAPickleThatCPythonCannotLoad(@TempDir Path dir) throws Exception {
        assumeTrue(SendCommandTest.python3(), "needs python3 on the PATH");
        Path log = dir.resolve("log.pickle");
        try (Serve serve = new Serve("--port", "0", "--authkey", "key", "--log", log.toString())) {
            String listening = serve.next();
            String port = listening.substring(listening.lastIndexOf(':') + 1);
            // PROTO 2, BININT1 1, LONG_BINPUT 2**31-1, POP, BININT1 2, STOP: CPython sizes its memo to
            // the index and raises MemoryError; picklejar loads 2.
            String bigMemoIndex = "80024b0172ffffff7f304b022e";
            assertEquals("no answer\nno answer\n", output(python("""
                    import sys
                    from multiprocessing.connection import Client
                    for raw in sys.argv[3:]:
                        with Client(('127.0.0.1', int(sys.argv[1])), authkey=sys.argv[2].encode()) as c:
                            c.send_bytes(bytes.fromhex(raw))
                            print('no answer' if not c.poll(1) else 'answer', flush=True)
                    """, port, "key", bigMemoIndex, "80044b072e")));
            for (int i = 0; i < 6; i++) {
                serve.next();
            }
        }
        assertEquals("[2, 7]\n", output(python("""
                import pickle, sys
                got = []
                with open(sys.argv[1], 'rb') as f:
                    while f.peek(1):
                        got.append(pickle.load(f))
                print(got)
                """, log.toString())));
    }

    @Test
    void anAddressInUseIsOneLineAndExit2() {
        PickleServer taken = PickleServer.builder().bind("127.0.0.1", 0);
        try {
            CommandLine.Run run = CommandLine.run(null, "serve", "--port", Integer.toString(taken.port()),
                    "--authkey", "k");
            assertEquals(2, run.exit());
            assertTrue(run.err().startsWith("picklejar: cannot listen on 127.0.0.1:" + taken.port()), run.err());
            assertEquals(1, run.err().lines().count());
        } finally {
            taken.close();
        }
    }

    @Test
    void aLogThatCannotBeOpenedIsExit2(@TempDir Path dir) {
        CommandLine.Run run = CommandLine.run(null, "serve", "--port", "0", "--authkey", "k",
                "--log", dir.resolve("no/such/dir/log").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("picklejar: cannot open the log "), run.err());
    }
}
