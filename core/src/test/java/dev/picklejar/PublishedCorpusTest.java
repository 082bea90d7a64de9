package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner against 2025's published attacks and against real files of the libraries that ML
 * models are saved with, both written by {@code src/test/python/make_scan_published.py} into
 * {@code scan/published/} (see {@code published.tsv} for where each attack was published): every
 * attack is found dangerous by a default scan, every real file is clean even for a strict scan.
 * A representative few attacks are loaded by Debian's Python in a throwaway process, with their
 * harmless payload (it writes {@code picklejar-proof.txt}), to prove they are attacks at all.
 */
class PublishedCorpusTest {
    private static final Path SCRIPT = Path.of("src/test/python/make_scan_published.py");
    private static final Path COMMITTED = Path.of("src/test/resources/scan/published");
    /** Debian's CPython, with numpy, torch, sklearn, pandas, scipy and joblib from tools/setup-test-deps.sh. */
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";
    private static final Scanner SCANNER = Scanner.standard();

    /** One line of published.tsv. */
    record Entry(String kind, String file, String source, String runs) {
    }

    static Path corpus() {
        try {
            return Path.of(PublishedCorpusTest.class.getResource("/scan/published").toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static List<Entry> entries() throws IOException {
        try (InputStream in = PublishedCorpusTest.class.getResourceAsStream("/scan/published/published.tsv")) {
            assertTrue(in != null, "scan/published/published.tsv is missing from the test class path");
            List<Entry> entries = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    String[] f = line.split("\t", -1);
                    entries.add(new Entry(f[0], f[1], f[2], f[3]));
                }
            }
            return entries;
        }
    }

    static Stream<Entry> entries(String kind) throws IOException {
        return entries().stream().filter(e -> e.kind().equals(kind));
    }

    @TestFactory
    Stream<DynamicTest> everyPublishedAttackIsFoundDangerous() throws IOException {
        return entries("attack").map(e -> DynamicTest.dynamicTest(e.file(), () -> {
            ScanReport report = SCANNER.scan(corpus().resolve(e.file()));
            assertTrue(report.dangerous(), () -> e.file() + " (" + e.source() + "): nothing dangerous among "
                    + report.findings() + " " + report.errors());
        }));
    }

    @Test
    void theCorpusHoldsOverAHundredAttacksAndThirtyRealFiles() throws IOException {
        assertTrue(entries("attack").count() > 100);
        assertTrue(entries("benign").count() >= 30);
    }

    @TestFactory
    Stream<DynamicTest> everyRealFileIsCleanEvenForAStrictScan() throws IOException {
        return entries("benign").map(e -> DynamicTest.dynamicTest(e.file(), () -> assertClean(corpus().resolve(e.file()))));
    }

    private static void assertClean(Path file) {
        ScanReport report = SCANNER.scan(file);
        assertEquals(List.of(), report.errors(), file + ": unreadable");
        assertEquals(List.of(), report.findings().stream().filter(f -> f.verdict() != GlobalSafety.SAFE).toList(),
                file + ": findings a strict scan refuses");
        assertFalse(report.pickles().isEmpty(), file + ": nothing read");
    }

    @TestFactory
    Stream<DynamicTest> aScriptsOwnEnumsAreCleanByDefaultAndUnknownToAStrictScan() throws IOException {
        return entries("user-classes").map(e -> DynamicTest.dynamicTest(e.file(), () -> {
            ScanReport report = SCANNER.scan(corpus().resolve(e.file()));
            assertEquals(List.of(), report.errors());
            assertFalse(report.dangerous(), report.findings().toString());
            assertEquals(GlobalSafety.UNKNOWN, report.worst(), "__main__.Color is nobody's allowlisted class");
            assertTrue(report.findings().stream().anyMatch(f -> f.global().equals("__main__.Color.RED")
                    && f.verdict() == GlobalSafety.UNKNOWN), "getattr(Color, 'RED') is judged as Color.RED");
        }));
    }

    @TestFactory
    Stream<DynamicTest> aRepresentativeFewReallyRunInAThrowawayPython() throws IOException {
        return Stream.concat(entries("attack"), entries("compressed-attack")).filter(e -> !e.runs().equals("-"))
                .map(e -> DynamicTest.dynamicTest(e.file(), () -> {
            assumeTrue(debianPythonHas("numpy, torch, joblib, pandas"),
                    DEBIAN_PYTHON + " with numpy, torch, joblib and pandas is needed (tools/setup-test-deps.sh)");
            Path dir = Files.createTempDirectory("picklejar-proof");
            try {
                String file = corpus().resolve(e.file()).toString().replace("\\", "\\\\").replace("'", "\\'");
                String load = switch (e.runs()) {
                    case "pickle", "pickle-file" -> "import pickle; pickle.load(open('" + file + "', 'rb'))";
                    case "pickle-raises" -> "import pickle\ntry:\n    pickle.load(open('" + file + "', 'rb'))\n"
                            + "except Exception:\n    pass";
                    case "pickle-shared-memo" -> "import pickle\nu = pickle.Unpickler(open('" + file + "', 'rb'))\n"
                            + "u.load()\nu.load()";
                    case "torch" -> "import torch; torch.load('" + file + "')";
                    case "numpy" -> "import numpy; numpy.load('" + file + "', allow_pickle=True)";
                    case "numpy-npz" -> "import numpy; numpy.load('" + file + "', allow_pickle=True)['arr_0']";
                    case "joblib" -> "import joblib; joblib.load('" + file + "')";
                    case "pandas" -> "import pandas; pandas.read_pickle('" + file + "')";
                    default -> throw new AssertionError("no loader named " + e.runs());
                };
                String log = python(dir, load);
                assertTrue(Files.exists(dir.resolve("picklejar-proof.txt")),
                        () -> e.file() + " did not run its payload when loaded by " + e.runs() + ":\n" + log);
            } finally {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }));
    }

    @Test
    void theGeneratorWritesTheCommittedAttacksAndRealFilesThatScanClean(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(SCRIPT) && Files.isDirectory(COMMITTED),
                "runs from the core module's directory, where the generator lives");
        assumeTrue(debianPythonHas("numpy, torch, sklearn, pandas, scipy, joblib, pytz"), DEBIAN_PYTHON
                + " with numpy, torch, sklearn, pandas, scipy, joblib and pytz is needed (tools/setup-test-deps.sh)");
        Process process = new ProcessBuilder(DEBIAN_PYTHON, SCRIPT.toString(), "--out", dir.toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String log = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("make_scan_published.py did not finish in 5 minutes:\n" + log);
        }
        assertEquals(0, process.exitValue(), () -> "make_scan_published.py failed:\n" + log);
        for (String attacks : List.of("attacks", "attacks-compressed")) {
            assertEquals(listing(COMMITTED.resolve(attacks)), listing(dir.resolve(attacks)));
            for (String name : listing(COMMITTED.resolve(attacks))) {
                assertArrayEquals(Files.readAllBytes(COMMITTED.resolve(attacks).resolve(name)),
                        Files.readAllBytes(dir.resolve(attacks).resolve(name)),
                        name + " is not what make_scan_published.py writes now; rerun it and commit its output");
            }
        }
        assertEquals(listing(COMMITTED.resolve("benign-compressed")), listing(dir.resolve("benign-compressed")));
        assertEquals(Files.readString(COMMITTED.resolve("published.tsv")), Files.readString(dir.resolve("published.tsv")));
        // The real files of today's libraries, fresh: they must scan clean too.
        for (String name : listing(dir.resolve("benign"))) {
            assertClean(dir.resolve("benign").resolve(name));
        }
    }

    @Test
    void compressionsPicklejarDoesNotDecompressAreUnreadableNeverClean(@TempDir Path dir) throws IOException {
        byte[][] heads = {
            "BZh91AY&SY".getBytes(UTF_8),
            {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4},
            {0x5d, 0, 0, (byte) 0x80, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff},
            {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0},
        };
        String[] names = {"bz2", "xz", "lzma", "zstd"};
        for (int i = 0; i < heads.length; i++) {
            String name = names[i];
            Path file = Files.write(dir.resolve("model.joblib." + name), heads[i]);
            ScanReport report = SCANNER.scan(dir);
            assertTrue(report.errors().stream().anyMatch(err -> err.path().equals(file.toString())
                    && err.message().startsWith("unreadable: compressed with " + name)), report.errors().toString());
            Files.delete(file);
        }
    }

    /**
     * joblib's and pandas' bz2, xz, lzma and lz4 files, attacks and real ones alike, are unreadable
     * to a scanner given no decompressor (the command gives it some: cli's ScanCompressedTest).
     */
    @TestFactory
    Stream<DynamicTest> withoutADecompressorEveryCompressedFileIsUnreadableNeverClean() throws IOException {
        return Stream.concat(entries("compressed-attack"), entries("compressed-benign"))
                .map(e -> DynamicTest.dynamicTest(e.file(), () -> {
                    Path file = corpus().resolve(e.file());
                    ScanReport report = SCANNER.scan(file);
                    assertEquals(List.of(), report.findings());
                    assertEquals(1, report.errors().size(), report.errors().toString());
                    assertTrue(report.errors().get(0).message().matches("unreadable: compressed with (bz2|xz|lzma|lz4),"
                            + " which picklejar does not decompress .*; not scanned|cannot read: compressed with method"
                            + " (12 \\(bzip2\\)|14 \\(lzma\\)), which picklejar does not decompress"),
                            report.errors().toString());
                }));
    }

    @Test
    void theCorpusHoldsEveryCompressionOfJoblibAndPandasThatCoreDoesNotReadItself() throws IOException {
        for (String suffix : List.of("bz2", "xz", "lzma", "lz4")) {
            assertTrue(entries("compressed-attack").anyMatch(e -> e.file().contains("joblib-dump-" + suffix)), suffix);
            assertTrue(entries("compressed-benign").anyMatch(e -> e.file().endsWith(".joblib." + suffix)), suffix);
        }
        for (String suffix : List.of(".pkl.bz2", ".pkl.xz", "-bz2-member.pkl.zip", "-lzma-member.pkl.zip")) {
            assertTrue(entries("compressed-attack").anyMatch(e -> e.file().endsWith("pandas-to-pickle" + suffix)));
            assertTrue(entries("compressed-benign").anyMatch(e -> e.file().endsWith("pandas-frame" + suffix)));
        }
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> list = Files.list(root)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean debianPythonHas(String modules) {
        if (!Files.isExecutable(Path.of(DEBIAN_PYTHON))) {
            return false;
        }
        try {
            Process probe = new ProcessBuilder(DEBIAN_PYTHON, "-c", "import " + modules).redirectErrorStream(true).start();
            probe.getOutputStream().close();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String python(Path dir, String code) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(DEBIAN_PYTHON, "-c", code).directory(dir.toFile())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String log = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return log + "\n(killed after 2 minutes)";
        }
        return log;
    }
}
