package dev.picklejar;

import java.io.IOException;
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
}
