package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.ScanReport;
import dev.picklejar.Scanner;
import dev.picklejar.cli.CommandLine.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * {@code picklejar scan} on joblib's and pandas' bz2, xz, lzma and lz4 files, read through the
 * decompressors the command gives the scanner ({@link Decompressors}), alone or as the members of
 * pandas' {@code .pkl.zip}: the attacks and real files
 * of core's published corpus (written by real joblib and pandas, see
 * core/src/test/python/make_scan_published.py), streams cut short or corrupt, and bombs.
 */
class ScanCompressedTest {
    private static final Path PUBLISHED = Path.of("../core/src/test/resources/scan/published");
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";

    static Run scan(String... args) {
        return CommandLine.run(null, CommandLine.command("scan", args));
    }

    private static List<Path> files(String dir) throws IOException {
        assumeTrue(Files.isDirectory(PUBLISHED.resolve(dir)), "runs from the cli module's directory");
        try (Stream<Path> list = Files.list(PUBLISHED.resolve(dir))) {
            return list.sorted().toList();
        }
    }

    @Test
    void everyCompressedAttackOfJoblibAndPandasIsFoundDangerous() throws IOException {
        List<Path> attacks = files("attacks-compressed");
        assertEquals(11, attacks.size(), attacks.toString());
        for (Path attack : attacks) {
            Run run = scan(attack.toString());
            assertEquals(1, run.exit(), attack + ": " + run);
            assertEquals("", run.err());
            assertTrue(run.lines().stream().anyMatch(l -> l.matches(Pattern.quote(attack.toString())
                    + "(!data\\.pkl)? \\d+ REDUCE dangerous (os|posix)\\.system\\(\\.\\.\\.\\)")), run.out());
        }
    }

    @Test
    void everyCompressedRealFileIsCleanEvenWhenStrict() throws IOException {
        List<Path> benign = files("benign-compressed");
        String dir = PUBLISHED.resolve("benign-compressed").toString();
        Run clean = Run.of(0, "scanned 8 files, 8 pickles: 0 dangerous, 0 unknown, 0 unreadable\n", "");
        assertEquals(8, benign.size());
        assertEquals(clean, scan(dir));
        assertEquals(clean, scan("--strict", dir));
    }

    @Test
    void aCompressedStreamCutShortIsUnreadableNamingTheFileAndTheCompression(@TempDir Path dir) throws IOException {
        for (String format : List.of("bz2", "xz", "lzma", "lz4")) {
            byte[] whole = Files.readAllBytes(PUBLISHED.resolve("attacks-compressed/joblib-dump-" + format + ".joblib"));
            Path cut = Files.write(dir.resolve("cut.joblib." + format), Arrays.copyOf(whole, whole.length / 2));
            Run run = scan(cut.toString());
            assertEquals(2, run.exit(), run.toString());
            // Whatever came out before the cut (lz4 gives a few bytes) is read: a pickle begun, or none.
            assertTrue(run.out().matches("scanned 1 file, (0 pickles|1 pickle): 0 dangerous, 0 unknown, 1 unreadable\n"),
                    run.out());
            assertTrue(run.err().startsWith("picklejar: " + cut + ": ")
                    && run.err().contains("unreadable: the " + format + " stream "), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
        }
    }

    @Test
    void whatADecompressedStreamGaveBeforeItFailedIsStillScanned(@TempDir Path dir) throws IOException {
        // joblib.dump(os.system(...)) with xz: the pickle ends before the stream's index, cut off here.
        byte[] whole = Files.readAllBytes(PUBLISHED.resolve("attacks-compressed/joblib-dump-xz.joblib"));
        Path cut = Files.write(dir.resolve("cut.joblib"), Arrays.copyOf(whole, whole.length - 12));
        Run run = scan(cut.toString());
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.lines().contains(cut + " 65 REDUCE dangerous posix.system(...)"), run.out());
        assertTrue(run.err().contains(cut + ": pickle 1: unreadable: the xz stream is corrupt or cut short after 68"
                + " decompressed bytes: unexpected end of input"), run.err());
        assertTrue(run.out().endsWith("2 dangerous, 0 unknown, 1 unreadable\n"), run.out());
    }

    /** joblib.dump([os.system(...), 256 KiB of random bytes]) in each compression, cut at 3/4 and corrupted at 1/2. */
    @Test
    void largeJoblibFilesCutOrCorruptStillReportTheAttackBeforeTheFailure(@TempDir Path dir) throws Exception {
        assumeTrue(debianPythonHas("joblib, lz4"), DEBIAN_PYTHON + " with joblib and lz4 is needed (tools/setup-test-deps.sh)");
        String script = String.join("\n",
                "import os, sys, random, joblib",
                "class SystemCall:",
                "    def __reduce__(self):",
                "        return (os.system, ('echo ran > picklejar-proof.txt',))",
                "data = random.Random(0).randbytes(256 << 10)",
                "for method in ('bz2', 'xz', 'lzma', 'lz4'):",
                "    p = os.path.join(sys.argv[1], 'whole.' + method)",
                "    joblib.dump([SystemCall(), data], p, compress=(method, 1))",
                "    b = open(p, 'rb').read()",
                "    os.remove(p)",
                "    open(os.path.join(sys.argv[1], 'cut.joblib.' + method), 'wb').write(b[:len(b) * 3 // 4])",
                "    bad = bytearray(b)",
                "    bad[len(b) // 2] ^= 0xff",
                "    open(os.path.join(sys.argv[1], 'corrupt.joblib.' + method), 'wb').write(bytes(bad))",
                "");
        Process python = new ProcessBuilder(DEBIAN_PYTHON, "-c", script, dir.toString()).redirectErrorStream(true).start();
        python.getOutputStream().close();
        String log = new String(python.getInputStream().readAllBytes(), UTF_8);
        assertTrue(python.waitFor(2, TimeUnit.MINUTES) && python.exitValue() == 0, log);
        // lz4 frames as joblib writes them carry no checksum: a flipped byte is not seen, as lz4 itself does not.
        for (String name : List.of("cut.joblib.bz2", "cut.joblib.xz", "cut.joblib.lzma", "cut.joblib.lz4",
                "corrupt.joblib.bz2", "corrupt.joblib.xz", "corrupt.joblib.lzma")) {
            Path file = dir.resolve(name);
            String format = name.substring(name.lastIndexOf('.') + 1);
            Run run = scan(file.toString());
            assertEquals(1, run.exit(), name + ": " + run);
            assertTrue(run.lines().contains(file + " 68 REDUCE dangerous posix.system(...)"), name + ": " + run.out());
            assertTrue(run.err().startsWith("picklejar: " + file + ": read failed: unreadable: the " + format
                    + " stream is corrupt or cut short after "), name + ": " + run.err());
            assertTrue(run.out().endsWith("2 dangerous, 0 unknown, 1 unreadable\n"), run.out());
        }
    }

    /** BINBYTES8 claiming 8 MiB of zeros, compressed each way to a few KiB. */
    @Test
    void aBombInAnyCompressionEndsInAnErrorAtTheBounds() throws IOException {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(HexFormat.of().parseHex("80048e0000800000000000"));
        pickle.write(new byte[8 << 20]);
        pickle.write('.');
        Scanner entryBound = Decompressors.register(Scanner.builder()).maxEntryBytes(1 << 20).build();
        Scanner totalBound = Decompressors.register(Scanner.builder()).maxTotalBytes(4 << 20).build();
        Scanner unbounded = Decompressors.register(Scanner.builder()).build();
        for (Map.Entry<String, byte[]> bomb : Map.of(
                "bz2", compress(pickle.toByteArray(), BZip2CompressorOutputStream::new),
                "xz", compress(pickle.toByteArray(), out -> new XZOutputStream(out, new LZMA2Options())),
                "lzma", compress(pickle.toByteArray(), out -> new LZMAOutputStream(out, new LZMA2Options(), -1)),
                "lz4", compress(pickle.toByteArray(), FramedLZ4CompressorOutputStream::new)).entrySet()) {
            String name = "bomb.joblib." + bomb.getKey();
            assertTrue(bomb.getValue().length < 64 * 1024, name + ": " + bomb.getValue().length + " bytes");
            ScanReport entry = entryBound.scan(bomb.getValue(), name);
            assertEquals(1, entry.errors().size(), name + ": " + entry.errors());
            assertTrue(entry.errors().get(0).message().contains("maxEntryBytes"), entry.errors().toString());
            ScanReport total = totalBound.scan(bomb.getValue(), name);
            assertTrue(total.errors().get(0).message().contains("maxTotalBytes"), total.errors().toString());
            assertEquals(List.of(), unbounded.scan(bomb.getValue(), name).errors(), name + ": the default bounds read it all");
        }
    }

    @Test
    void anLzmaHeaderAskingForAGibibyteOfDictionaryIsUnreadableNotAnOutOfMemoryError(@TempDir Path dir) throws IOException {
        // props 0x5d, dictionary 2^30 bytes, size unknown: a 13-byte header and nothing else.
        Path file = Files.write(dir.resolve("huge.pkl.lzma"), HexFormat.of().parseHex("5d00000040ffffffffffffffff"));
        Run run = scan(file.toString());
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("picklejar: " + file + ": unreadable: the lzma stream cannot be read from its"
                + " start: "), run.err());
        assertTrue(run.err().contains("limit was " + Decompressors.MEMORY_LIMIT_KIB + " KiB"), run.err());
    }

    @Test
    void zstdStaysUnreadable(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("model.joblib.zst"), HexFormat.of().parseHex("28b52ffd0000"));
        Run run = scan(file.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("picklejar: " + file + ": unreadable: compressed with zstd, which picklejar"
                + " does not decompress"), run.err());
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Compressor compressor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
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
}
