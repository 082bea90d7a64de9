package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
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
 * The disassembler prints what CPython 3.11's {@code pickletools.dis} prints, character for
 * character, and fails where it raises, after the same partial text. The expected listings of
 * {@code vectors/dis.tsv} were written by {@code src/test/python/make_dis_vectors.py} (its header
 * describes them) for every pickle of {@code reader.tsv} and for hand-made pickles at the edges of
 * pickletools; the live tests check them against {@code python3} and add random pickles.
 */
class DisassemblerTest {
    private static final String RESOURCE = "/vectors/dis.tsv";
    private static final Path SCRIPT = Path.of("src/test/python/make_dis_vectors.py");
    private static final Path COMMITTED = Path.of("src/test/resources/vectors/dis.tsv");
    private static final Path RANDOM_GRAPHS = Path.of("src/test/python/random_graphs.py");
    private static final long RANDOM_SEED = 20240611L;

    /** One line of dis.tsv: the pickle is "=" for the reader vector of the same name and protocol. */
    record Vector(String name, String protocol, String pickle, Listing expected) {
        String displayName() {
            return name + " [" + protocol + "]";
        }
    }

    /** What dis printed, and "ok" or "!Class: message" for how it ended. */
    record Listing(String outcome, String text) {
    }

    // ---------------------------------------------------------------------------------------
    // Specifications, with text CPython printed

    @Test
    void listsOnePickleAsPickletoolsDoes() throws IOException {
        StringBuilder out = new StringBuilder();
        Disassembler.dis(new ByteArrayInputStream(hex("80025d7100284b0158010000006171014b02857102652e")), out);
        assertEquals("""
                    0: \\x80 PROTO      2
                    2: ]    EMPTY_LIST
                    3: q    BINPUT     0
                    5: (    MARK
                    6: K        BININT1    1
                    8: X        BINUNICODE 'a'
                   14: q        BINPUT     1
                   16: K        BININT1    2
                   18: \\x85     TUPLE1
                   19: q        BINPUT     2
                   21: e        APPENDS    (MARK at 5)
                   22: .    STOP
                highest protocol among opcodes = 2
                """, out.toString());
    }

    /** CPython: {@code with open(f, 'rb') as fh: while fh.peek(1): pickletools.dis(fh)}. */
    @Test
    void offsetsContinueFromPickleToPickleAsInALoopOverAFile() throws IOException {
        byte[] three = hex("286c70300a49310a6156610a70310a612849320a7470320a612e80025d7100284b0158010000006171014b0285"
                + "7102652e8005950f000000000000005d94284b018c0161944b028594652e");
        StringBuilder out = new StringBuilder();
        assertEquals(3, Disassembler.disAll(new ByteArrayInputStream(three), out));
        assertEquals("""
                    0: (    MARK
                    1: l        LIST       (MARK at 0)
                    2: p    PUT        0
                    5: I    INT        1
                    8: a    APPEND
                    9: V    UNICODE    'a'
                   12: p    PUT        1
                   15: a    APPEND
                   16: (    MARK
                   17: I        INT        2
                   20: t        TUPLE      (MARK at 16)
                   21: p    PUT        2
                   24: a    APPEND
                   25: .    STOP
                highest protocol among opcodes = 0
                   26: \\x80 PROTO      2
                   28: ]    EMPTY_LIST
                   29: q    BINPUT     0
                   31: (    MARK
                   32: K        BININT1    1
                   34: X        BINUNICODE 'a'
                   40: q        BINPUT     1
                   42: K        BININT1    2
                   44: \\x85     TUPLE1
                   45: q        BINPUT     2
                   47: e        APPENDS    (MARK at 31)
                   48: .    STOP
                highest protocol among opcodes = 2
                   49: \\x80 PROTO      5
                   51: \\x95 FRAME      15
                   60: ]    EMPTY_LIST
                   61: \\x94 MEMOIZE    (as 0)
                   62: (    MARK
                   63: K        BININT1    1
                   65: \\x8c     SHORT_BINUNICODE 'a'
                   68: \\x94     MEMOIZE    (as 1)
                   69: K        BININT1    2
                   71: \\x85     TUPLE1
                   72: \\x94     MEMOIZE    (as 2)
                   73: e        APPENDS    (MARK at 62)
                   74: .    STOP
                highest protocol among opcodes = 4
                """, out.toString());
    }

    @Test
    void aTruncatedPickleAfterAGoodOneFailsAfterTheListingSoFar() {
        byte[] pickles = hex("80027d710058010000006171014b01732e8004950f000000000000005d94288c03ed959c94");
        StringBuilder out = new StringBuilder();
        Disassembler.DisassemblyException e = assertThrows(Disassembler.DisassemblyException.class,
                () -> Disassembler.disAll(new ByteArrayInputStream(pickles), out));
        assertEquals("ValueError", e.pythonType());
        assertEquals("pickle exhausted before seeing STOP", e.pythonMessage());
        assertEquals(37, e.offset());
        assertEquals("""
                    0: \\x80 PROTO      2
                    2: }    EMPTY_DICT
                    3: q    BINPUT     0
                    5: X    BINUNICODE 'a'
                   11: q    BINPUT     1
                   13: K    BININT1    1
                   15: s    SETITEM
                   16: .    STOP
                highest protocol among opcodes = 2
                   17: \\x80 PROTO      4
                   19: \\x95 FRAME      15
                   28: ]    EMPTY_LIST
                   29: \\x94 MEMOIZE    (as 0)
                   30: (    MARK
                   31: \\x8c     SHORT_BINUNICODE '한'
                   36: \\x94     MEMOIZE    (as 1)
                """, out.toString());
    }

    @Test
    void anEmptyStreamHoldsNoPickleToList() throws IOException {
        StringBuilder out = new StringBuilder();
        assertEquals(0, Disassembler.disAll(new ByteArrayInputStream(new byte[0]), out));
        assertEquals("", out.toString());
    }

    @Test
    void aLengthFieldBeyondTheInputAllocatesNothingLikeIt() {
        // BINBYTES8 claiming 2**62 bytes, then two: CPython reads what there is and says so.
        Listing listing = listing(hex("8e0000000000000040" + "6162"));
        assertEquals(new Listing("!ValueError: expected 4611686018427387904 bytes in a bytes8, but only 2 remain", ""),
                listing);
    }

    @Test
    void listsAStreamThatArrivesAByteAtATime() throws IOException {
        byte[] pickle = hex("80049513000000000000005d94288c03ed959c944b018c0161946802652e");
        StringBuilder out = new StringBuilder();
        Disassembler.dis(new Trickle(new ByteArrayInputStream(pickle), 1), out);
        assertEquals("""
                    0: \\x80 PROTO      4
                    2: \\x95 FRAME      19
                   11: ]    EMPTY_LIST
                   12: \\x94 MEMOIZE    (as 0)
                   13: (    MARK
                   14: \\x8c     SHORT_BINUNICODE '한'
                   19: \\x94     MEMOIZE    (as 1)
                   20: K        BININT1    1
                   22: \\x8c     SHORT_BINUNICODE 'a'
                   25: \\x94     MEMOIZE    (as 2)
                   26: h        BINGET     2
                   28: e        APPENDS    (MARK at 13)
                   29: .    STOP
                highest protocol among opcodes = 4
                """, out.toString());
    }

    @Test
    void manyPicklesAreListedWithoutHoldingTheStream() throws IOException {
        // 200 000 pickles (1.2 MB) read from a stream made on the fly; the last offset is counted from the start.
        byte[] one = hex("80024b012e");
        InputStream many = new SequenceInputStream(new Enumeration<InputStream>() {
            private int left = 200_000;

            @Override
            public boolean hasMoreElements() {
                return left > 0;
            }

            @Override
            public InputStream nextElement() {
                left--;
                return new ByteArrayInputStream(one);
            }
        });
        LastLines out = new LastLines();
        assertEquals(200_000, Disassembler.disAll(many, out));
        assertEquals(800_000, out.count);
        assertEquals(List.of("999997: K    BININT1    1", "999999: .    STOP", "highest protocol among opcodes = 2"),
                List.of(out.lines));
    }

    // ---------------------------------------------------------------------------------------
    // The vectors

    @TestFactory
    Stream<DynamicTest> everyVectorListsAsPickletoolsDoes() throws IOException {
        Map<String, byte[]> pickles = readerPickles();
        List<Vector> vectors = readVectors();
        List<String> missing = new ArrayList<>(pickles.keySet());
        vectors.forEach(v -> missing.remove(v.name() + "\t" + v.protocol()));
        assertTrue(missing.isEmpty(), () -> "reader vectors without a listing in dis.tsv: " + missing);
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.displayName(), () -> {
            byte[] pickle = v.pickle().equals("=") ? pickles.get(v.name() + "\t" + v.protocol()) : hex(v.pickle());
            assertTrue(pickle != null, () -> v.displayName() + " is not in reader.tsv");
            assertSameListing(v.displayName(), v.expected(), listing(pickle));
            // The same pickle read in pieces of 1 to 7 bytes: arguments and lines cross every chunk boundary.
            assertSameListing(v.displayName() + " (in small pieces)", v.expected(), listing(new Trickle(new ByteArrayInputStream(pickle), 7)));
        }));
    }

    @Test
    void committedVectorsAreWhatCPythonPrintsToday(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(SCRIPT) && Files.isRegularFile(COMMITTED),
                "runs from the core module's directory, where the generator lives");
        assumeTrue(Python.is311(), "needs python3 (3.11) on the PATH");
        Python.assertScriptRewrites(SCRIPT, COMMITTED, dir);
    }

    /** random_graphs.py's pickles (200 graphs at protocols 0 to 5), listed by pickletools.dis in one python3 process. */
    @Test
    void randomPicklesListAsPickletoolsListsThem(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(RANDOM_GRAPHS), "runs from the core module's directory");
        assumeTrue(Python.is311(), "needs python3 (3.11) on the PATH");
        String graphs = runPython(null, RANDOM_GRAPHS.toString(), "--seed", Long.toString(RANDOM_SEED), "--count", "200");
        List<byte[]> pickles = new ArrayList<>();
        StringBuilder hexLines = new StringBuilder();
        for (String line : graphs.split("\n")) {
            if (!line.isEmpty()) {
                String hex = line.split("\t", 4)[2];
                pickles.add(hex(hex));
                hexLines.append(hex).append('\n');
            }
        }
        Path input = dir.resolve("pickles.hex");
        Files.writeString(input, hexLines, UTF_8);
        String[] results = runPython(input, SCRIPT.toString(), "--batch").split("\n");
        assertEquals(pickles.size(), results.length, "one result line per pickle");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < pickles.size() && failures.size() < 10; i++) {
            String[] columns = results[i].split("\t", 2);
            Listing expected = new Listing(unescape(columns[0]), unescape(columns[1]));
            try {
                assertSameListing("pickle " + i, expected, listing(pickles.get(i)));
            } catch (AssertionError e) {
                failures.add(e.getMessage() + "\n    pickle: " + HexFormat.of().formatHex(pickles.get(i)));
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + pickles.size()
                + " random pickles (seed " + RANDOM_SEED + ") differ:\n" + String.join("\n", failures));
    }

    // ---------------------------------------------------------------------------------------
    // Helpers

    static Listing listing(byte[] pickle) {
        return listing(new ByteArrayInputStream(pickle));
    }

    static Listing listing(InputStream pickle) {
        StringBuilder out = new StringBuilder();
        try {
            Disassembler.dis(pickle, out);
            return new Listing("ok", out.toString());
        } catch (Disassembler.DisassemblyException e) {
            return new Listing("!" + e.pythonType() + ": " + e.pythonMessage(), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** assertEquals, with a message that points at the first line that differs in listings of 100 000 lines. */
    private static void assertSameListing(String what, Listing expected, Listing actual) {
        assertEquals(expected.outcome(), actual.outcome(), () -> what + ": how dis ended");
        if (expected.text().equals(actual.text())) {
            return;
        }
        String[] a = expected.text().split("\n", -1);
        String[] b = actual.text().split("\n", -1);
        int i = 0;
        while (i < a.length && i < b.length && a[i].equals(b[i])) {
            i++;
        }
        fail(what + ": listing differs at line " + (i + 1) + "\n  expected: " + clip(i < a.length ? a[i] : "<end>")
                + "\n  actual:   " + clip(i < b.length ? b[i] : "<end>"));
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    static List<Vector> readVectors() throws IOException {
        try (InputStream in = DisassemblerTest.class.getResourceAsStream(RESOURCE)) {
            assertTrue(in != null, RESOURCE + " is missing from the test class path");
            List<Vector> vectors = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                assertEquals(5, f.length, () -> "5 tab-separated columns expected: " + clip(line));
                vectors.add(new Vector(f[0], f[1], f[2], new Listing(unescape(f[3]), unescape(f[4]))));
            }
            return vectors;
        }
    }

    /** The pickle of each reader vector, by name and protocol (the encoding column does not matter here). */
    private static Map<String, byte[]> readerPickles() throws IOException {
        Map<String, byte[]> pickles = new LinkedHashMap<>();
        // dis.tsv lists reader.tsv's pickles (stdlib.tsv's opcodes are all among them).
        for (ReaderVectorsTest.Vector v : ReaderVectorsTest.readVectors(List.of("/vectors/reader.tsv"))) {
            pickles.putIfAbsent(v.name() + "\t" + v.protocol(), v.pickle());
        }
        return pickles;
    }

    /** Undoes make_dis_vectors.py's escape(): \\\\, \\t, \\n and \\r. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            out.append(e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e);
        }
        return out.toString();
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Runs python3 with the arguments (standard input from a file, or none) and returns its standard output. */
    private static String runPython(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Path errors = Files.createTempFile("python3", ".err");
        try {
            Process process = builder.redirectError(errors.toFile()).start();
            if (stdin == null) {
                process.getOutputStream().close();
            }
            String out = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(command + " did not finish in 2 minutes");
            }
            String err = Files.readString(errors, UTF_8);
            assertEquals(0, process.exitValue(), () -> command + " failed:\n" + err);
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** A stream that hands out at most {@code most} bytes per read, cycling through 1..most. */
    private static final class Trickle extends FilterInputStream {
        private final int most;
        private int next;

        Trickle(InputStream in, int most) {
            super(in);
            this.most = most;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            next = next % most + 1;
            return super.read(b, off, Math.min(len, next));
        }
    }

    /** Counts lines and keeps the last three, so a long listing is not held in the test. */
    private static final class LastLines implements Appendable {
        final String[] lines = {"", "", ""};
        final StringBuilder current = new StringBuilder();
        long count;

        @Override
        public Appendable append(CharSequence csq) {
            return append(csq, 0, csq.length());
        }

        @Override
        public Appendable append(CharSequence csq, int start, int end) {
            for (int i = start; i < end; i++) {
                append(csq.charAt(i));
            }
            return this;
        }

        @Override
        public Appendable append(char c) {
            if (c == '\n') {
                System.arraycopy(lines, 1, lines, 0, 2);
                lines[2] = current.toString();
                current.setLength(0);
                count++;
            } else {
                current.append(c);
            }
            return this;
        }
    }

}
