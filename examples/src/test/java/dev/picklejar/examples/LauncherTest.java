package dev.picklejar.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./picklejar} launcher on a copy of the repository that has never been built: its first
 * run says what it is doing and that it happens once, shows the modules as Maven compiles them,
 * writes no terminal escape codes (Maven 3.8's jansi writes {@code ESC[0m} unless told not to), and
 * the next run builds nothing and prints only the command's own output.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int exit, String out, String err) {
    }

    @Test
    void theFirstRunSaysItBuildsOnceAndPrintsNoEscapes(@TempDir Path copy) throws Exception {
        assumeTrue(onPath("mvn"), "needs mvn on the PATH");
        copyRepository(copy);
        Run first = launch(copy, "-V");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().matches("picklejar \\S+\n"), first.out());
        assertFalse(first.err().contains("\u001b"), "escape codes on stderr: " + first.err().replace("\u001b", "ESC"));
        assertFalse(first.out().contains("\u001b"), "escape codes on stdout: " + first.out().replace("\u001b", "ESC"));
        List<String> lines = first.err().lines().toList();
        assertTrue(lines.get(0).startsWith("picklejar: first run: building cli/target/picklejar.jar with Maven (this happens once"),
                first.err());
        assertTrue(lines.contains("picklejar:   compiling picklejar-core"), first.err());
        assertTrue(lines.get(lines.size() - 1).matches("picklejar: built cli/target/picklejar.jar in \\d+ s; the next runs "
                + "start at once"), first.err());

        Run second = launch(copy, "-V");
        assertEquals(new Run(0, first.out(), ""), second);
    }

    /** The poms and the main sources, as a fresh clone has them (no target folders). */
    private static void copyRepository(Path copy) throws IOException {
        Files.copy(ROOT.resolve("picklejar"), copy.resolve("picklejar"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(ROOT.resolve("pom.xml"), copy.resolve("pom.xml"));
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).toList()) {
                Path target = Files.createDirectories(copy.resolve(module.getFileName()));
                Files.copy(module.resolve("pom.xml"), target.resolve("pom.xml"));
                Path main = module.resolve("src/main");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        for (Path file : files.toList()) {
                            Path to = target.resolve(module.relativize(file).toString());
                            if (Files.isDirectory(file)) {
                                Files.createDirectories(to);
                            } else {
                                Files.copy(file, to);
                            }
                        }
                    }
                }
            }
        }
    }

    private static Run launch(Path root, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("picklejar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().remove("MAVEN_OPTS");
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("./picklejar did not finish in 10 minutes: " + Files.readString(err, UTF_8));
        }
        Run run = new Run(p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private static boolean onPath(String program) {
        try {
            Process p = new ProcessBuilder(program, "-v").redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
