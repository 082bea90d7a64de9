package dev.picklejar.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code /usr/bin/python3} running {@code src/test/python/kafka_peer.py} with the
 * confluent-kafka client (python3-confluent-kafka, installed by tools/setup-test-deps.sh).
 */
final class PythonKafkaPeer {
    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "src/test/python/kafka_peer.py")
            .toAbsolutePath();
    private static final Map<String, Boolean> MODULES = new ConcurrentHashMap<>();

    private PythonKafkaPeer() {
    }

    /** Skips the calling test, naming the Debian package, unless /usr/bin/python3 imports the module. */
    static void assumeModule(String module, String debianPackage) {
        boolean present = MODULES.computeIfAbsent(module, m -> {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import " + m).redirectErrorStream(true).start();
                return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        Assumptions.assumeTrue(present, () -> "skipped: " + PYTHON + " cannot import " + module + " (install "
                + debianPackage + ", as tools/setup-test-deps.sh does)");
    }

    static void assumeKafkaClient() {
        assumeModule("confluent_kafka", "python3-confluent-kafka");
    }

    /** Runs the script to its end and returns the lines it printed; fails with its stderr if it fails. */
    static List<String> run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kafka_peer.py " + String.join(" ", args) + " did not finish; printed:\n" + out.getNow("")
                    + "\nstderr:\n" + err.getNow(""));
        }
        if (p.exitValue() != 0) {
            fail("kafka_peer.py " + String.join(" ", args) + " exited " + p.exitValue() + "; printed:\n"
                    + out.get() + "\nstderr:\n" + err.get());
        }
        return out.get().lines().toList();
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
