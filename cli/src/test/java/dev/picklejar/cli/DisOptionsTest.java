package dev.picklejar.cli;

import static dev.picklejar.cli.CommandLine.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.cli.CommandLine.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar dis} with pickletools' options ({@code -a}, {@code -l}, {@code -m}, {@code -o},
 * {@code -p}, several files) prints exactly what {@code python3 -m pickletools} prints with them:
 * the vectors in dis-options.txt are its output, written by src/test/python/dis_options_vectors.py.
 */
class DisOptionsTest {
    private static final Path SCRIPT = Path.of("src/test/python/dis_options_vectors.py");
    private static final Path VECTORS = Path.of("src/test/resources/dis-options.txt");

    /** One case of the vector file. */
    record Case(String name, List<String> args, Map<String, byte[]> files, String error, String stdout, String output) {
    }

    @TestFactory
    Stream<DynamicTest> everyCaseListsAsPickletoolsDoes(@TempDir Path dir) throws IOException {
        return parse(Files.readAllLines(VECTORS, UTF_8)).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, Files.createDirectory(dir.resolve(c.name())))));
    }

    private static void check(Case c, Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("dis"));
        for (String arg : c.args()) {
            args.add(c.files().containsKey(arg) || arg.equals("out.txt") ? dir.resolve(arg).toString() : arg);
        }
        for (Map.Entry<String, byte[]> file : c.files().entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        Run run = run(null, args.toArray(String[]::new));
        String expected = absolute(c.stdout(), c, dir);
        if (c.output() != null) {
            assertEquals("", run.out());
            assertEquals(absolute(c.output(), c, dir), Files.readString(dir.resolve("out.txt"), UTF_8));
        } else {
            assertEquals(expected, run.out());
        }
        if (c.error() == null) {
            assertEquals(0, run.exit(), run.err());
            assertEquals("", run.err());
        } else {
            assertEquals(2, run.exit());
            String message = c.error().substring(c.error().indexOf(": ") + 2);
            assertTrue(run.err().contains(": " + message + " (at byte "), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
        }
    }

    /** The preambles name the files as given: python3 was given relative names, the test absolute ones. */
    private static String absolute(String text, Case c, Path dir) {
        if (c.files().size() < 2) {
            return text;
        }
        int p = c.args().indexOf("-p");
        String template = p >= 0 ? c.args().get(p + 1) : "==> {name} <==";
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            for (String name : c.files().keySet()) {
                if (line.equals(DisCommand.format(template, name))) {
                    line = DisCommand.format(template, dir.resolve(name).toString());
                }
            }
            b.append(line).append('\n');
        }
        return b.substring(0, b.length() - 1);
    }

    @Test
    void theCommittedVectorsAreWhatPython3WritesToday(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path fresh = dir.resolve("dis-options.txt");
        Process process = new ProcessBuilder("python3", SCRIPT.toString(), "--out", fresh.toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String log = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the script did not finish in 2 minutes");
        assertEquals(0, process.exitValue(), log);
        assertEquals(Files.readString(VECTORS, UTF_8), Files.readString(fresh, UTF_8),
                "dis-options.txt is not what dis_options_vectors.py writes now: rerun it and commit its output");
    }

    @Test
    void aBraceThatIsNotNameInThePreambleIsBadUsage(@TempDir Path dir) throws IOException {
        Path a = Files.write(dir.resolve("a.pickle"), HexFormat.of().parseHex("4b012e"));
        Run run = run(null, "dis", "-p", "{nom}", a.toString(), a.toString());
        assertEquals(2, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("picklejar: --preamble: only {name} can be filled in"), run.err());
    }

    private static List<Case> parse(List<String> lines) {
        List<Case> cases = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String name = after(lines.get(i++), "case ");
            List<String> args = splitArgs(after(lines.get(i++), "args "));
            Map<String, byte[]> files = new LinkedHashMap<>();
            while (lines.get(i).startsWith("file ")) {
                String[] f = lines.get(i++).split(" ");
                files.put(f[1], HexFormat.of().parseHex(f[2]));
            }
            String status = lines.get(i++);
            String error = status.startsWith("error ") ? after(status, "error ") : null;
            int n = Integer.parseInt(after(lines.get(i++), "stdout "));
            String stdout = join(lines.subList(i, i + n));
            i += n;
            String output = null;
            if (i < lines.size() && lines.get(i).startsWith("output ")) {
                int m = Integer.parseInt(after(lines.get(i++), "output "));
                output = join(lines.subList(i, i + m));
                i += m;
            }
            cases.add(new Case(name, args, files, error, stdout, output));
        }
        return cases;
    }

    /** The arguments, split at blanks except inside the one -p value (which the vectors quote by position). */
    private static List<String> splitArgs(String line) {
        List<String> args = new ArrayList<>();
        int p = line.indexOf("-p ");
        if (p >= 0) {
            // -p TEMPLATE FILE...: the template runs to the first file name ending in .pickle
            args.addAll(List.of(line.substring(0, p + 2).split(" ")));
            String rest = line.substring(p + 3);
            int file = rest.lastIndexOf(" ", rest.indexOf(".pickle"));
            args.add(rest.substring(0, file));
            args.addAll(List.of(rest.substring(file + 1).split(" ")));
        } else {
            args.addAll(List.of(line.split(" ")));
        }
        args.removeIf(String::isEmpty);
        return args;
    }

    private static String join(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static String after(String line, String prefix) {
        assertTrue(line.startsWith(prefix), () -> "expected '" + prefix + "...', found: " + line);
        return line.substring(prefix.length());
    }

    private static boolean python3() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import pickletools").redirectErrorStream(true).start();
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
