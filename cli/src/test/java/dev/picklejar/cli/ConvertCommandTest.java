package dev.picklejar.cli;

import dev.picklejar.cli.CommandLine.Run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.Pickle;
import dev.picklejar.PickleStream;
import dev.picklejar.Pickler;
import dev.picklejar.PyTuple;
import dev.picklejar.Repr;
import dev.picklejar.Unpickler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar convert}, run in-process. Expected bytes and JSON come from CPython: the script
 * {@code src/test/python/convert_expectations.py} writes them at test time (those tests are skipped
 * without {@code python3}); the rest need no Python.
 */
class ConvertCommandTest {
    private static final Path SCRIPT = Path.of("src/test/python/convert_expectations.py");

    @TempDir
    static Path expected;
    private static boolean python;

    @TempDir
    Path dir;

    @BeforeAll
    static void cpythonWritesTheExpectations() throws IOException, InterruptedException {
        python = python("make", expected.toString()) == 0;
    }

    // ---- re-encoding pickles ----

    @Test
    void everyCPythonPickleIsReencodedAtItsOwnProtocolToTheSameBytes() throws IOException {
        assumeTrue(python, "python3 is not on the PATH");
        Path out = dir.resolve("own.out");
        Run r = convert(null, expected("own.pickle"), out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertBytes(expected("own.pickle"), out);
    }

    @Test
    void standardInputToStandardOutputGivesTheSameBytes() throws IOException {
        assumeTrue(python, "python3 is not on the PATH");
        byte[] own = Files.readAllBytes(Path.of(expected("own.pickle")));
        Run r = convert(own, "-", "-");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(own, r.bytes());
    }

    @Test
    void protocolOptionGivesWhatPickleDumpsGivesAtThatProtocol() throws IOException {
        assumeTrue(python, "python3 is not on the PATH");
        for (int p = 0; p <= 5; p++) {
            Path out = dir.resolve("cross." + p);
            Run r = convert(null, "--protocol", Integer.toString(p), expected("cross.pickle"), out.toString());
            assertEquals(0, r.exit(), r.err());
            assertBytes(expected("cross." + p + ".pickle"), out);
        }
    }

    @Test
    void protocolsZeroAndOneAreToldApartByTheirOpcodes() throws IOException {
        Path in = dir.resolve("old.pickle");
        Files.write(in, concat(Pickle.dumps(List.of(1, "a"), 0), Pickle.dumps(List.of(1, "a"), 1),
                Pickle.dumps(PyTuple.of(), 0), Pickle.dumps(PyTuple.of(), 1)));
        Run r = convert(null, "--verbose", in.toString(), dir.resolve("old.out").toString());
        assertEquals(0, r.exit(), r.err());
        assertBytes(in.toString(), dir.resolve("old.out"));
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).contains("protocol 0) -> protocol 0"), lines.get(0));
        assertTrue(lines.get(1).contains("protocol 1) -> protocol 1"), lines.get(1));
        assertTrue(lines.get(2).contains("protocol 0) -> protocol 0"), lines.get(2));
        assertTrue(lines.get(3).contains("protocol 1) -> protocol 1"), lines.get(3));
        assertEquals("converted 4 pickles from " + in + " to " + dir.resolve("old.out"), lines.get(4));
    }

    @Test
    void persistentIdsAreKept() throws IOException {
        Pickler pickler = Pickler.builder().protocol(2)
                .persistentId(v -> v instanceof String s && s.startsWith("row:") ? s : null).build();
        byte[] pickle = pickler.dumps(List.of("row:1", "plain"));
        Path in = dir.resolve("persistent.pickle");
        Files.write(in, pickle);
        Run same = convert(null, in.toString(), dir.resolve("same.pickle").toString());
        assertEquals(0, same.exit(), same.err());
        assertBytes(in.toString(), dir.resolve("same.pickle"));
        Run json = convert(null, "--to", "json", in.toString(), "-");
        assertEquals("[{\"$persistent\": \"row:1\"}, \"plain\"]\n", json.out());
        Run back = convert(json.bytes(), "--from", "json", "--protocol", "2", "-", "-");
        assertArrayEquals(pickle, back.bytes());
    }

    // ---- JSON Lines ----

    @Test
    void picklesBecomeTheJsonLinesTheMappingSpecifies() throws IOException, InterruptedException {
        assumeTrue(python, "python3 is not on the PATH");
        Path out = dir.resolve("out.jsonl");
        Run r = convert(null, expected("json.pickle"), out.toString());
        assertEquals(0, r.exit(), r.err());
        assertBytes(expected("json.jsonl"), out);
        // CPython's json.loads reads every line back, and the mapping gives the very values pickled.
        assertEquals(0, python("check", out.toString(), expected("json.pickle")));
    }

    @Test
    void jsonComesBackAsTheValuesThePicklesHeld() throws IOException {
        assumeTrue(python, "python3 is not on the PATH");
        Path json = dir.resolve("values.jsonl");
        assertEquals(0, convert(null, expected("json.pickle"), json.toString()).exit());
        Path back = dir.resolve("back.pickle");
        Run r = convert(null, json.toString(), back.toString());
        assertEquals(0, r.exit(), r.err());
        // At protocol 5 both ways: pickles of protocols 0 and 1 write plain instances another way.
        Path direct = dir.resolve("direct.pickle");
        assertEquals(0, convert(null, "--protocol", "5", expected("json.pickle"), direct.toString()).exit());
        List<String> want = reprs(direct);
        assertEquals(712, want.size());
        assertEquals(want, reprs(back));
    }

    @Test
    void jsonLinesArePickledAsPickleDumpsOfJsonLoads() throws IOException {
        assumeTrue(python, "python3 is not on the PATH");
        for (int p = 0; p <= 5; p++) {
            Path out = dir.resolve("plain." + p);
            Run r = convert(null, "--protocol", Integer.toString(p), expected("plain.jsonl"), out.toString());
            assertEquals(0, r.exit(), r.err());
            assertBytes(expected("plain." + p + ".pickle"), out);
        }
        Run r = convert(null, "--from", "json", expected("plain.jsonl"), dir.resolve("plain").toString());
        assertEquals(0, r.exit(), r.err());
        assertBytes(expected("plain.5.pickle"), dir.resolve("plain"));
    }

    @Test
    void valuesJsonCannotHoldAreTaggedAndComeBack() {
        Map<Object, Object> dollar = new LinkedHashMap<>();
        dollar.put("$tuple", 1);
        Map<Object, Object> intKeys = new LinkedHashMap<>();
        intKeys.put(1, "one");
        List<Object> values = Arrays.asList(dollar, intKeys, (1L << 53) - 1, 1L << 53,
                BigInteger.TWO.pow(70).negate(), Double.NaN, -0.0, 1e16, "a\ud800b\udc00 \u2028 \"\\\n\u0001",
                new byte[] {0, (byte) 0xff}, PyTuple.of(1, PyTuple.EMPTY));
        byte[] pickles = concat(values.stream().map(v -> Pickle.dumps(v, 4)).toArray(byte[][]::new));
        Run json = convert(pickles, "--to", "json", "-", "-");
        assertEquals(0, json.exit(), json.err());
        assertEquals(String.join("\n",
                "{\"$$\": {\"$tuple\": 1}}",
                "{\"$dict\": [[1, \"one\"]]}",
                "9007199254740991",
                "{\"$int\": \"9007199254740992\"}",
                "{\"$int\": \"-1180591620717411303424\"}",
                "{\"$float\": \"nan\"}",
                "-0.0",
                "1e+16",
                "\"a\\ud800b\\udc00 \u2028 \\\"\\\\\\n\\u0001\"",
                "{\"$bytes\": \"AP8=\"}",
                "{\"$tuple\": [1, {\"$tuple\": []}]}") + "\n", json.out());
        Run back = convert(json.bytes(), "--from", "json", "--protocol", "4", "-", "-");
        assertEquals(0, back.exit(), back.err());
        assertArrayEquals(pickles, back.bytes());
    }

    @Test
    void jsonToJsonRewritesInTheCanonicalSpelling() {
        byte[] in = "  {\"a\" :[1,2.50,1E2, \"\\u00e9\\/\"]}\r\n\n[ ]\n".getBytes(StandardCharsets.UTF_8);
        Run r = convert(in, "--from", "json", "--to", "json", "-", "-");
        assertEquals(0, r.exit(), r.err());
        assertEquals("{\"a\": [1, 2.5, 100.0, \"é/\"]}\n[]\n", r.out());
    }

    @Test
    void aValueThatContainsItselfIsRefusedSayingWhere() {
        List<Object> inner = new ArrayList<>();
        Map<Object, Object> outer = new LinkedHashMap<>();
        outer.put("items", List.of(0, inner));
        inner.add(outer);
        byte[] pickles = concat(Pickle.dumps(1), Pickle.dumps(List.of(outer)));
        Run r = convert(pickles, "--to", "json", "-", "-");
        assertEquals(2, r.exit());
        assertEquals("1\n", r.out());
        assertEquals("picklejar: <stdin>: pickle 2 (at byte 5): the value at [0]['items'][1][0] contains itself, "
                + "and JSON has no references\n", r.err());
    }

    // ---- errors ----

    @Test
    void badJsonNamesLineAndColumnAndExits2() throws IOException {
        Path in = dir.resolve("bad.jsonl");
        Files.writeString(in, "[1]\n[1, 2\n");
        Path out = dir.resolve("out.pickle");
        Run r = convert(null, in.toString(), out.toString());
        assertEquals(2, r.exit());
        assertEquals("picklejar: " + in + ":2:6: expected ',' or ']' after an array item, found the end of the line\n", r.err());
        assertFalse(Files.exists(out), "a failed conversion leaves no OUT");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "and no temporary file");
        }
    }

    @Test
    void jsonErrorsSayWhatWasExpected() {
        assertJsonError("{\"a\": NaN}\n", "<stdin>:1:7: NaN and Infinity are not JSON; write {\"$float\": \"nan\"}, "
                + "{\"$float\": \"inf\"} or {\"$float\": \"-inf\"}");
        assertJsonError("1\n2 3\n", "<stdin>:2:3: expected the end of the line after a JSON value, found '3'");
        assertJsonError("[01]", "<stdin>:1:3: a number may not start with 0 (leading zeros are not JSON)");
        assertJsonError("\"é\u0001\"", "<stdin>:1:3: a control character (U+0001) inside a string; write it as an escape");
        assertJsonError("[\"a\n\"]", "<stdin>:1:4: the line ends inside a string (a JSON Lines value is one line)");
        assertJsonError("[{\"$tupel\": []}]", "<stdin>:1:2: unknown tag '$tupel': an object whose only key starts "
                + "with '$' is a tagged value; write a dict like that as {\"$$\": {...}}");
        assertJsonError("{\"$set\": [[1]]}", "<stdin>:1:1: a $set item must be hashable, and a list is not");
        assertJsonError("{\"$bytes\": 1}", "<stdin>:1:1: $bytes needs a base64 string, found an int");
        assertJsonError("{\"$object\": {\"callable\": null}}", "<stdin>:1:1: $object needs \"callable\" and \"construction\"");
        byte[] badUtf8 = {'"', 'a', (byte) 0xc3, '(', '"'};
        Run r = convert(badUtf8, "--from", "json", "-", "-");
        assertEquals("picklejar: <stdin>:1:3: invalid UTF-8 sequence\n", r.err());
    }

    @Test
    void aValueTheProtocolCannotHoldExits2() {
        byte[] json = "{\"$global\": [\"módulo\", \"f\"]}\n".getBytes(StandardCharsets.UTF_8);
        Run r = convert(json, "--from", "json", "--protocol", "2", "-", "-");
        assertEquals(2, r.exit());
        assertEquals("picklejar: <stdin>:1: cannot pickle at protocol 2: can't pickle global identifier 'módulo.f' "
                + "using pickle protocol 2: it is not ASCII\n", r.err());
        assertEquals(0, convert(json, "--from", "json", "--protocol", "3", "-", "-").exit());
    }

    @Test
    void deepJsonIsReadWithoutRecursion() {
        int depth = 50_000;
        String json = "[".repeat(depth) + "]".repeat(depth) + "\n";
        Run r = convert(json.getBytes(StandardCharsets.US_ASCII), "--from", "json", "--to", "json", "-", "-");
        assertEquals(0, r.exit(), r.err());
        assertEquals(json, r.out());
        String tooDeep = "[".repeat(JsonLines.Reader.MAX_DEPTH + 1);
        Run refused = convert(tooDeep.getBytes(StandardCharsets.US_ASCII), "--from", "json", "-", "-");
        assertEquals(2, refused.exit());
        assertEquals("picklejar: <stdin>:1:" + (JsonLines.Reader.MAX_DEPTH + 1)
                + ": arrays and objects nest deeper than 100000 levels\n", refused.err());
    }

    @Test
    void anUnreadablePickleExits2WithOneLine() {
        byte[] pickles = concat(Pickle.dumps("ok"), new byte[] {(byte) 0x80, 5, 'X', 9, 0, 0, 0, 'a'});
        Run r = convert(pickles, "-", "-");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("picklejar: <stdin>: pickle 2: "), r.err());
        assertTrue(r.err().contains("BINUNICODE"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void usageErrorsExit2() throws IOException {
        Path in = dir.resolve("in.pickle");
        Files.write(in, Pickle.dumps(1));
        assertEquals("picklejar: --protocol must be 0 to 5, not 6\n",
                convert(null, "--protocol", "6", in.toString(), "-").err());
        assertEquals("picklejar: --protocol applies to pickle output, and OUT is JSON\n",
                convert(null, "--protocol", "2", in.toString(), "out.json").err());
        assertEquals("picklejar: --from must be pickle or json, not 'xml'\n",
                convert(null, "--from", "xml", in.toString(), "-").err());
        assertEquals("picklejar: " + dir.resolve("missing") + ": no such file\n",
                convert(null, dir.resolve("missing").toString(), "-").err());
        assertEquals("picklejar: unknown encoding: klingon\n",
                convert(null, "--encoding", "klingon", in.toString(), "-").err());
        assertEquals(2, convert(null, "--protocol", "6", in.toString(), "-").exit());
    }

    @Test
    void aFailedConversionLeavesOutAsItWas() throws IOException {
        Path in = dir.resolve("in.pickle");
        Files.write(in, concat(Pickle.dumps(1), new byte[] {'X'}));
        Path out = dir.resolve("out.pickle");
        Files.writeString(out, "before");
        assertEquals(2, convert(null, in.toString(), out.toString()).exit());
        assertEquals("before", Files.readString(out));
    }

    @Test
    void outMayBeIn() throws IOException {
        Path file = dir.resolve("data.pickle");
        Files.write(file, Pickle.dumps(List.of(1, 2), 2));
        assertEquals(0, convert(null, "--protocol", "0", file.toString(), file.toString()).exit());
        assertArrayEquals(Pickle.dumps(List.of(1, 2), 0), Files.readAllBytes(file));
    }

    @Test
    void formatsFollowTheExtensions() throws IOException {
        Path in = dir.resolve("in.pickle");
        Files.write(in, concat(Pickle.dumps(PyTuple.of(1, "a"), 3), Pickle.dumps(null, 3)));
        Path json = dir.resolve("out.jsonl");
        assertEquals(0, convert(null, in.toString(), json.toString()).exit());
        assertEquals("{\"$tuple\": [1, \"a\"]}\nnull\n", Files.readString(json));
        Path back = dir.resolve("back.pickle");
        assertEquals(0, convert(null, "--protocol", "3", json.toString(), back.toString()).exit());
        assertBytes(in.toString(), back);
        assertEquals(0, convert(new byte[0], "-", "-").exit(), "no pickles at all is no error");
    }

    // ---- streaming ----

    @Test
    void aHundredThousandPicklesStream() throws IOException {
        int n = 100_000;
        byte[][] pickles = new byte[n][];
        for (int i = 0; i < n; i++) {
            pickles[i] = Pickle.dumps(Arrays.asList(i, "item " + i, i % 7 == 0 ? null : i * 0.5), i % 6);
        }
        Path in = dir.resolve("many.pickle");
        Files.write(in, concat(pickles));
        long start = System.nanoTime();
        Path same = dir.resolve("many.out");
        assertEquals(0, convert(null, in.toString(), same.toString()).exit());
        assertBytes(in.toString(), same);
        Path json = dir.resolve("many.jsonl");
        assertEquals(0, convert(null, in.toString(), json.toString()).exit());
        try (Stream<String> lines = Files.lines(json)) {
            assertEquals(n, lines.count());
        }
        Path back = dir.resolve("many.back");
        assertEquals(0, convert(null, "--protocol", "2", json.toString(), back.toString()).exit());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("convert: 100 000 pickles re-encoded, to JSON and back in " + ms + " ms");
        try (PickleStream s = Unpickler.standard().open(Files.newInputStream(back))) {
            int i = 0;
            while (s.hasNext()) {
                assertEquals(Repr.of(Pickle.loads(pickles[i])), Repr.of(s.next()));
                i++;
            }
            assertEquals(n, i);
        }
    }

    // ---- helpers ----

    /** Runs {@code picklejar convert ARGS} in this JVM with the given standard input. */
    private static Run convert(byte[] stdin, String... args) {
        return CommandLine.run(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin),
                CommandLine.command("convert", args));
    }

    private static void assertJsonError(String json, String message) {
        Run r = convert(json.getBytes(StandardCharsets.UTF_8), "--from", "json", "-", "-");
        assertEquals(2, r.exit());
        assertEquals("picklejar: " + message + "\n", r.err());
    }

    private static String expected(String name) {
        return expected.resolve(name).toString();
    }

    private static void assertBytes(String want, Path got) throws IOException {
        byte[] a = Files.readAllBytes(Path.of(want));
        byte[] b = Files.readAllBytes(got);
        int at = Arrays.mismatch(a, b);
        assertEquals(-1, at, got + " differs from " + want + " at byte " + at + " (lengths " + a.length + ", " + b.length + ")");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    private static List<String> reprs(Path file) throws IOException {
        List<String> reprs = new ArrayList<>();
        try (PickleStream s = Unpickler.standard().open(Files.newInputStream(file))) {
            while (s.hasNext()) {
                reprs.add(Repr.of(s.next()));
            }
        }
        return reprs;
    }

    /** Runs the expectations script; its exit code, or -1 when python3 is missing. */
    private static int python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return -1;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 " + String.join(" ", args) + " took over 300 s");
        }
        if (p.exitValue() != 0 && !args[0].equals("make")) {
            System.err.println(output);
        } else if (p.exitValue() != 0) {
            throw new AssertionError("python3 could not write the expectations:\n" + output);
        }
        return p.exitValue();
    }
}
