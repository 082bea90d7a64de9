package dev.picklejar.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md and of every {@code *}/README.md, read from the Markdown
 * at build time (so the README cannot drift from the code), compiled against every picklejar module
 * and run, each in its own JVM whose working directory is a fresh temporary folder. A block is
 * optional {@code import} lines followed by statements (local records, enums and classes allowed),
 * which become the body of {@code public static void main(String[] args) throws Exception}. A compile
 * error, an exception or a run longer than a minute fails the block's test, naming the README and
 * the line.
 */
class ReadmeSnippetsTest {
    /** The repository root: surefire runs in examples/. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final long TIMEOUT_SECONDS = 60;

    /** One java block: where it is, its import lines and its statements. */
    record Snippet(Path readme, int line, List<String> imports, List<String> body, int bodyLine) {
        String where() {
            return ROOT.relativize(readme) + ":" + line;
        }

        String className() {
            String name = ROOT.relativize(readme).toString().replaceAll("[^A-Za-z0-9]+", "_");
            return "Readme_" + name + "_" + line;
        }

        /** The generated class: the imports on lines of their own, then main() around the statements. */
        String source() {
            StringBuilder b = new StringBuilder();
            for (String i : imports) {
                b.append(i).append('\n');
            }
            b.append("public class ").append(className()).append(" {\n");
            b.append("public static void main(String[] args) throws Exception {\n");
            for (String s : body) {
                b.append(s).append('\n');
            }
            return b.append("}\n}\n").toString();
        }

        /** The README line of a line of {@link #source()} (1-based). */
        long readmeLine(long sourceLine) {
            if (sourceLine <= imports.size()) {
                return line + sourceLine;
            }
            return bodyLine + (sourceLine - imports.size() - 3);
        }
    }

    static List<Path> readmes() throws IOException {
        List<Path> readmes = new ArrayList<>();
        readmes.add(ROOT.resolve("README.md"));
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.filter(Files::isDirectory).map(d -> d.resolve("README.md")).filter(Files::isRegularFile)
                    .sorted(Comparator.naturalOrder()).forEach(readmes::add);
        }
        return readmes;
    }

    /** The java blocks of one Markdown file; {@code line} is the line of the opening fence (1-based). */
    static List<Snippet> snippets(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme, UTF_8);
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int open = i;
            List<String> imports = new ArrayList<>();
            List<String> body = new ArrayList<>();
            int bodyLine = -1;
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                String line = lines.get(i);
                if (body.isEmpty() && (line.startsWith("import ") || line.isBlank() && bodyLine < 0)) {
                    imports.add(line);
                } else {
                    if (bodyLine < 0) {
                        bodyLine = i + 1;
                    }
                    body.add(line);
                }
            }
            if (i == lines.size()) {
                fail(readme + ":" + (open + 1) + ": a ```java block that is never closed");
            }
            snippets.add(new Snippet(readme, open + 1, imports, body, bodyLine));
        }
        return snippets;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRuns(@TempDir Path work) throws IOException {
        List<Snippet> all = new ArrayList<>();
        for (Path readme : readmes()) {
            all.addAll(snippets(readme));
        }
        assertFalse(all.isEmpty(), "no ```java block found under " + ROOT);
        return all.stream().map(s -> DynamicTest.dynamicTest(s.where(), () -> compileAndRun(s, work)));
    }

    @Test
    void theMainReadmeAndEveryModuleReadmeWithCodeAreRead() throws IOException {
        List<String> names = readmes().stream().map(p -> ROOT.relativize(p).toString()).toList();
        for (String expected : List.of("README.md", "fetch/README.md", "net/README.md")) {
            assertTrue(names.contains(expected), names.toString());
        }
    }

    private static void compileAndRun(Snippet snippet, Path work) throws Exception {
        Path classes = Files.createDirectories(work.resolve(snippet.className()).resolve("classes"));
        Path source = classes.resolveSibling(snippet.className() + ".java");
        Files.writeString(source, snippet.source(), UTF_8);
        String classpath = classpath();

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
            StringWriter log = new StringWriter();
            boolean ok = compiler.getTask(log, files, diagnostics,
                    List.of("--release", "17", "-classpath", classpath, "-d", classes.toString(), "-proc:none"),
                    null, files.getJavaFileObjects(source.toFile())).call();
            if (!ok) {
                String errors = diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> snippet.readme() + ":" + snippet.readmeLine(d.getLineNumber()) + ": "
                                + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n"));
                fail("the java block at " + snippet.where() + " does not compile:\n" + errors + log);
            }
        }

        Path cwd = Files.createDirectories(work.resolve(snippet.className()).resolve("cwd"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", classes + File.pathSeparator + classpath,
                snippet.className())
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), UTF_8));
            } catch (IOException e) {
                output.append("(reading its output failed: ").append(e).append(")");
            }
        });
        reader.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            reader.join();
            fail("the java block at " + snippet.where() + " did not finish in " + TIMEOUT_SECONDS + " s; its output:\n"
                    + output);
        }
        reader.join();
        System.out.println("--- " + snippet.where() + "\n" + output);
        if (process.exitValue() != 0) {
            fail("the java block at " + snippet.where() + " failed (exit " + process.exitValue() + "):\n" + output);
        }
    }

    /** The test's own classpath: every picklejar module and what they depend on. */
    private static String classpath() {
        String path = System.getProperty("surefire.test.class.path");
        return path == null || path.isBlank() ? System.getProperty("java.class.path") : path;
    }
}
