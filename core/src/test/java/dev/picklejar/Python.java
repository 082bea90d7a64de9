package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Which python3 the tests can use as the oracle: probed once per requirement and remembered. */
final class Python {
    private Python() {
    }

    private static final Map<String, Boolean> PROBES = new ConcurrentHashMap<>();

    /** python3 is CPython 3.11, the version the committed vectors were written with. */
    static boolean is311() {
        return probe("import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 3)");
    }

    /** python3 is CPython 3.11 with numpy. */
    static boolean is311WithNumpy() {
        return probe("import sys, numpy; sys.exit(0 if sys.version_info[:2] == (3, 11) else 3)");
    }

    private static boolean probe(String code) {
        return PROBES.computeIfAbsent(code, Python::run);
    }

    private static boolean run(String code) {
        try {
            Process probe = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
            probe.getOutputStream().close();
            probe.getInputStream().readAllBytes();
            if (!probe.waitFor(1, TimeUnit.MINUTES)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs a vector generator ({@code python3 SCRIPT --out FILE}) and asserts that it writes the
     * committed file line for line: the proof that the committed vectors are CPython's.
     */
    static void assertScriptRewrites(Path script, Path committed, Path dir) throws IOException, InterruptedException {
        Path fresh = dir.resolve(committed.getFileName());
        Process process = new ProcessBuilder("python3", script.toString(), "--out", fresh.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String log = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(script.getFileName() + " did not finish in 5 minutes:\n" + log);
        }
        assertEquals(0, process.exitValue(), () -> script.getFileName() + " failed:\n" + log);
        List<String> was = Files.readAllLines(committed, UTF_8);
        List<String> now = Files.readAllLines(fresh, UTF_8);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(was.size(), now.size()) && differences.size() < 20; i++) {
            String a = i < was.size() ? was.get(i) : "<none>";
            String b = i < now.size() ? now.get(i) : "<none>";
            if (!a.equals(b)) {
                differences.add("line " + (i + 1) + ": committed " + head(a) + " / regenerated " + head(b));
            }
        }
        assertTrue(differences.isEmpty(), () -> committed.getFileName() + " is not what " + script.getFileName()
                + " writes now (" + was.size() + " vs " + now.size() + " lines); rerun it and commit its output:\n  "
                + String.join("\n  ", differences));
    }

    /** The first three tab-separated columns (a vector's name and protocol), enough to tell a line. */
    private static String head(String line) {
        String[] f = line.split("\t", 4);
        return f.length >= 3 ? f[0] + " [" + f[1] + ", " + f[2] + "]"
                : line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
