package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A python3 process running {@code src/test/python/mp_peer.py}; its stdout is read line by line. */
final class PythonPeer implements AutoCloseable {
    static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "src/test/python/mp_peer.py").toAbsolutePath();
    private static final String EOF = new String("end of output");
    private static Boolean available;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final List<String> seen = new ArrayList<>();

    private PythonPeer(List<String> command) throws IOException {
        process = new ProcessBuilder(command).start();
        pump(process.getInputStream(), line -> lines.add(line), () -> lines.add(EOF));
        pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), () -> { });
    }

    private static void pump(InputStream in, java.util.function.Consumer<String> sink, Runnable end) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone; what it printed so far is kept
            } finally {
                end.run();
            }
        }, "python-peer-output");
        t.setDaemon(true);
        t.start();
    }

    /** Whether python3 (3.8 or later) runs here; the interop tests are skipped without it. */
    static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import sys; sys.exit(sys.version_info < (3, 8))")
                        .redirectErrorStream(true).start();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(SCRIPT);
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    static PythonPeer start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        return new PythonPeer(command);
    }

    /** The next line printed, waiting up to a minute. */
    String nextLine() throws InterruptedException {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null || line == EOF) {
            fail("python printed no further line (after " + seen + "); stderr:\n" + stderr);
        }
        seen.add(line);
        return line;
    }

    /** The last line printed, once the process has exited. */
    String result() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            fail("python did not finish; printed " + seen + lines + "; stderr:\n" + stderr);
        }
        String last = null;
        for (String line; (line = lines.poll(10, TimeUnit.SECONDS)) != null && line != EOF; ) {
            seen.add(line);
            last = line;
        }
        if (last == null) {
            last = seen.isEmpty() ? null : seen.get(seen.size() - 1);
        }
        if (last == null) {
            fail("python printed nothing; stderr:\n" + stderr);
        }
        return last;
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
