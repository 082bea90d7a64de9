package dev.picklejar.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files the README's command examples read exist in the repository, and docs/*.pickle are
 * CPython's: docs/make_examples.py writes them again byte for byte (when python3 is present).
 */
class DocsExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A repository path an example command reads: docs/..., core/src/..., and so on. */
    private static final Pattern PATH = Pattern.compile("\\./picklejar [^\\n]*?((?:docs|core|net|fetch|cli)/[\\w./-]+)");

    @Test
    void everyRepositoryPathInTheReadmesCommandsExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (Path readme : ReadmeSnippetsTest.readmes()) {
            Matcher m = PATH.matcher(Files.readString(readme, UTF_8));
            while (m.find()) {
                found++;
                if (!Files.exists(ROOT.resolve(m.group(1)))) {
                    missing.add(ROOT.relativize(readme) + ": " + m.group(1));
                }
            }
        }
        assertTrue(found >= 5, "expected the README's commands to read docs/many.pickle and docs/data.pickle");
        assertEquals(List.of(), missing);
    }

    @Test
    void theExamplePicklesAreWhatCPythonWrites(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path copy = Files.createDirectory(dir.resolve("docs"));
        Path script = Files.copy(ROOT.resolve("docs/make_examples.py"), copy.resolve("make_examples.py"));
        Process p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "make_examples.py did not finish in a minute");
        assertEquals(0, p.exitValue(), log);
        for (String name : List.of("data.pickle", "many.pickle")) {
            assertArrayEquals(Files.readAllBytes(copy.resolve(name)), Files.readAllBytes(ROOT.resolve("docs").resolve(name)),
                    "docs/" + name + " is not what docs/make_examples.py writes: rerun it and commit the file");
        }
    }

    private static boolean python3() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import pickle").redirectErrorStream(true).start();
            probe.getOutputStream().close();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
