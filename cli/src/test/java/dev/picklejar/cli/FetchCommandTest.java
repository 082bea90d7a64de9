package dev.picklejar.cli;

import dev.picklejar.cli.CommandLine.Run;
import static dev.picklejar.cli.CommandLine.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.picklejar.Pickle;
import dev.picklejar.fetch.FetchResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar fetch} against a real HTTP server on loopback: the pickle it writes holds every
 * URL in the order given, and CPython loads it with the right values (the live check skips
 * without python3).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetchCommandTest {
    static final String KOREAN = "안녕하세요, 세계";
    static final String EUC_KR = "한국어 EUC-KR";

    /** Prints one tab-separated line per entry of the dict: index, status, text, bytes, error, attempts, types. */
    static final String PYTHON = """
            import pickle, sys
            urls = sys.argv[2:]
            with open(sys.argv[1], 'rb') as f:
                d = pickle.load(f)
            assert type(d) is dict, type(d)
            assert list(d) == urls, (list(d), urls)
            for i, url in enumerate(urls):
                v = d[url]
                assert {'status', 'text', 'error', 'bytes', 'content_type', 'final_url', 'elapsed', 'attempts'} <= set(v), v
                assert type(v['elapsed']) is float and v['elapsed'] >= 0, v
                print(i, v['status'], v['text'], None if v['bytes'] is None else v['bytes'].hex(),
                      v['error'], v['attempts'], v['final_url'] == url, sep='\\t')
            """;

    static HttpServer server;
    static final java.util.concurrent.CountDownLatch slowArrived = new java.util.concurrent.CountDownLatch(1);
    static final java.util.concurrent.CountDownLatch slowRelease = new java.util.concurrent.CountDownLatch(1);
    static ExecutorService threads;
    static int closedPort;

    @BeforeAll
    static void start() throws IOException {
        threads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/ko", x -> send(x, 200, "text/html; charset=utf-8", KOREAN.getBytes(UTF_8)));
        server.createContext("/euc-kr", x -> send(x, 200, "text/plain; charset=euc-kr", EUC_KR.getBytes(Charset.forName("EUC-KR"))));
        server.createContext("/missing", x -> send(x, 404, "text/plain", "not here".getBytes(UTF_8)));
        server.createContext("/slow", x -> {
            slowArrived.countDown();
            try {
                slowRelease.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(x, 200, "text/plain", "late".getBytes(UTF_8));
        });
        server.createContext("/bin", x -> send(x, 200, "application/octet-stream", new byte[] {0, (byte) 0xff}));
        server.createContext("/moved", x -> {
            x.getResponseHeaders().set("Location", "/ko");
            send(x, 301, null, new byte[0]);
        });
        server.start();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        slowRelease.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
        x.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void writesEveryUrlInOrderAndPythonLoadsIt(@TempDir Path dir) throws Exception {
        String refused = "http://127.0.0.1:" + closedPort + "/";
        List<String> urls = List.of(url("/ko"), url("/euc-kr"), url("/missing"), url("/bin"), refused, url("/moved"));
        Path file = dir.resolve("pages.pickle");
        List<String> args = new ArrayList<>(List.of("fetch", "--concurrency", "3", "--timeout", "10", "--retries", "1",
                "--output", file.toString()));
        args.addAll(urls);

        Run run = run(null, args.toArray(String[]::new));

        assertEquals(1, run.exit(), "a failed URL makes the answer no: " + run.err());
        assertTrue(run.err().contains("picklejar: " + url("/missing") + ": HTTP 404 Not Found"), run.err());
        assertTrue(run.err().contains("fetched 6 URLs"), run.err());
        assertTrue(run.err().contains("4 downloaded, 2 failed"), run.err());

        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> loaded = (Map<String, Map<String, Object>>) Pickle.loads(Files.readAllBytes(file));
        assertEquals(urls, new ArrayList<>(loaded.keySet()));
        assertEquals(KOREAN, loaded.get(url("/ko")).get("text"));
        assertEquals(url("/ko"), loaded.get(url("/moved")).get("final_url"));

        assumeTrue(python3(), "needs python3 on the PATH");
        List<String> lines = python(file, urls);
        String refusedError = lines.get(4).split("\t")[4];
        assertTrue(refusedError.startsWith("connection failed: Connection refused"), refusedError);
        assertEquals(List.of(
                "0\t200\t" + KOREAN + "\tNone\tNone\t1\tTrue",
                "1\t200\t" + EUC_KR + "\tNone\tNone\t1\tTrue",
                "2\t404\tnot here\tNone\tHTTP 404 Not Found\t1\tTrue",
                "3\t200\tNone\t00ff\tNone\t1\tTrue",
                "4\tNone\tNone\tNone\t" + refusedError + "\t2\tTrue",
                "5\t200\t" + KOREAN + "\tNone\tNone\t1\tFalse"), lines);
    }

    @Test
    void readsUrlsFromAFileAndAnswersYesWhenAllArrive(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("urls.txt");
        Files.writeString(list, "# pages to get\n" + url("/ko") + "\n\n  " + url("/bin") + "  \n" + url("/ko") + "\n");
        Path file = dir.resolve("out.pickle");

        Run run = run(null, "fetch", "--urls", list.toString(), "-o", file.toString());

        assertEquals(0, run.exit(), run.err());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> loaded = (Map<String, Map<String, Object>>) Pickle.loads(Files.readAllBytes(file));
        assertEquals(List.of(url("/ko"), url("/bin")), new ArrayList<>(loaded.keySet()));
        assertEquals(200, loaded.get(url("/bin")).get("status"));
    }

    @Test
    void writesToStandardOutputAndReadsUrlsFromStandardInput() {
        Run run = run(new ByteArrayInputStream((url("/ko") + "\n").getBytes(UTF_8)), "fetch", "--urls", "-", "-o", "-");

        assertEquals(0, run.exit(), run.err());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> loaded = (Map<String, Map<String, Object>>) Pickle.loads(run.bytes());
        assertEquals(KOREAN, loaded.get(url("/ko")).get("text"));
    }

    @Test
    void badUsageExitsWithTwo(@TempDir Path dir) {
        assertEquals(2, run(null, "fetch").exit(), "no URL");
        assertEquals(2, run(null, "fetch", "--urls", dir.resolve("urls.txt").toString(), url("/ko")).exit(), "both");
        assertEquals(2, run(null, "fetch", "--urls", dir.resolve("absent.txt").toString()).exit(), "unreadable list");
        assertEquals(2, run(null, "fetch", "--concurrency", "0", url("/ko")).exit());
        assertEquals(2, run(null, "fetch", "--timeout", "0", url("/ko")).exit());
        assertEquals(2, run(null, "fetch", "--retries", "-1", url("/ko")).exit());
        assertEquals(2, run(null, "fetch", "-o", dir.resolve("no/such/dir/out.pickle").toString(), url("/ko")).exit());
        assertEquals(2, run(null, "fetch", "--concurrency", "many", url("/ko")).exit());
    }

    @Test
    void theDemoHelperFetchesAndReturnsResultsInOrder() {
        Map<String, FetchResult> results = FetchCommand.download(List.of(url("/missing"), url("/ko")), Duration.ofSeconds(10));
        assertEquals(List.of(url("/missing"), url("/ko")), new ArrayList<>(results.keySet()));
        assertEquals(404, results.get(url("/missing")).status());
        assertEquals(KOREAN, results.get(url("/ko")).text());
    }

    @Test
    void theProgressBarShowsDoneTotalAndFailures() {
        assertEquals("\r[###############...............] 5/10  1 failed  0.5 s ", FetchCommand.ProgressBar.line(5, 10, 1, 0.5));
        assertEquals("\r[##############################] 3/3  0 failed  12.0 s ", FetchCommand.ProgressBar.line(3, 3, 0, 12));
    }

    @Test
    void ctrlCWritesWhatWasFetchedAndMarksTheRestCancelled(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path out = dir.resolve("pages.pickle");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> urls = List.of(url("/ko"), url("/slow"), url("/missing"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "dev.picklejar.cli.Main", "fetch", "--concurrency", "1", "-o", out.toString()));
        command.addAll(urls);
        Process fetch = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(slowArrived.await(60, TimeUnit.SECONDS), "the slow page was never asked for");
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(fetch.pid())).start().waitFor());
            String said = new String(fetch.getInputStream().readAllBytes(), UTF_8);
            assertTrue(fetch.waitFor(30, TimeUnit.SECONDS));
            assertEquals(130, fetch.exitValue(), said);
            assertTrue(said.contains("picklejar: interrupted: the URLs not yet fetched are marked 'cancelled'"), said);
            assertEquals(List.of("0\t200\t" + KOREAN + "\tNone\tNone\t1\tTrue",
                    "1\tNone\tNone\tNone\tcancelled\t1\tTrue",
                    "2\tNone\tNone\tNone\tcancelled\t0\tTrue"), python(out, urls));
        } finally {
            fetch.destroyForcibly();
        }
    }

    static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "pass").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static List<String> python(Path file, List<String> urls) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", PYTHON, file.toString()));
        command.addAll(urls);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python3 ran too long");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
