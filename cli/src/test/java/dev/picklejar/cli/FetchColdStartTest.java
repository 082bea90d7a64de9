package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.picklejar.Pickle;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar fetch --timeout 1} as a whole new process, its JVM cold: the time-out counts
 * from each request written, so the command's own start-up (seconds on a loaded machine) never
 * makes a page of a healthy server time out, while a server that never answers still does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FetchColdStartTest {
    @Test
    void aColdFetchTimesOutOnlyTheServerThatNeverAnswers(@TempDir Path dir) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        HttpServer healthy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 500);
        healthy.setExecutor(threads);
        healthy.createContext("/p/", x -> FetchCommandTest.send(x, 200, "text/plain; charset=utf-8",
                x.getRequestURI().getPath().getBytes(UTF_8)));
        healthy.start();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket stalling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> stall(stalling, held), "stalling-server");
            acceptor.setDaemon(true);
            acceptor.start();

            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                urls.add("http://127.0.0.1:" + healthy.getAddress().getPort() + "/p/" + i);
            }
            // A healthy server is one already serving: it answers a few requests (the JDK's
            // client) before the cold process starts, so only the command starts cold.
            for (int i = 0; i < 20; i++) {
                HttpURLConnection c = (HttpURLConnection) URI.create(urls.get(i)).toURL().openConnection();
                try (InputStream in = c.getInputStream()) {
                    in.readAllBytes();
                }
            }
            String never = "http://127.0.0.1:" + stalling.getLocalPort() + "/never";
            urls.add(never);
            Path list = dir.resolve("urls.txt");
            Files.write(list, urls, UTF_8);
            Path out = dir.resolve("pages.pickle");

            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "fetch", "--timeout", "1", "--urls", list.toString(), "-o", out.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String err = new String(p.getErrorStream().readAllBytes(), UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), err);

            assertEquals(1, p.exitValue(), err);
            // One line per failed URL, each naming it: only the server that never answers.
            assertEquals(List.of("picklejar: " + never + ": timed out after 1 s"),
                    err.lines().filter(l -> l.startsWith("picklejar: http")).toList(), err);
            assertTrue(err.contains(": 300 downloaded, 1 failed;"), err);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> pages = (Map<String, Map<String, Object>>) Pickle.loads(Files.readAllBytes(out));
            for (String url : urls.subList(0, 300)) {
                assertEquals(url.substring(url.indexOf("/p/")), pages.get(url).get("text"), url);
            }
            assertEquals("timed out after 1 s", pages.get(never).get("error"));
        } finally {
            healthy.stop(0);
            threads.shutdownNow();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Accepts connections and reads each request's head, then never answers. */
    private static void stall(ServerSocket server, List<Socket> held) {
        try {
            while (true) {
                Socket s = server.accept();
                held.add(s);
                InputStream in = s.getInputStream();
                int matched = 0;
                for (int b; matched < 4 && (b = in.read()) >= 0; ) {
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }
}
