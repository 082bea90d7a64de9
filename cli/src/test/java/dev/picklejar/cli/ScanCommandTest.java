package dev.picklejar.cli;

import dev.picklejar.cli.CommandLine.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar scan} as scripts use it: a line per finding that is not safe, JSON lines with
 * {@code --json}, exit 1 for anything dangerous (with {@code --strict}, anything not safe), 2 for
 * input that is not pickles, 0 otherwise. Runs {@link Main#run} in-process.
 */
class ScanCommandTest {
    /** The scanner's corpus, written by core/src/test/python/make_scan_corpus.py. */
    private static final Path CORPUS = Path.of("../core/src/test/resources/scan");
    private static final Pattern JSON_LINE = Pattern.compile("\\{\"path\":\"(?:[^\"\\\\]|\\\\.)*\","
            + "\"entry\":(?:null|\"(?:[^\"\\\\]|\\\\.)*\"),\"pickle\":\\d+,\"offset\":(\\d+),\"opcode\":\"([A-Z0-9_]+)\","
            + "\"verdict\":\"(safe|unknown|dangerous)\",\"global\":\"((?:[^\"\\\\]|\\\\.)*)\",\"call\":(true|false)}");

    /** protocol 2: os.system('id') */
    private static final byte[] OS_SYSTEM = bytes("80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 58 02 00 00 00 69 64 85 52 2e");
    /** protocol 2: __main__.Config() by NEWOBJ, an unknown class */
    private static final byte[] MAIN_CONFIG = bytes("80 02 63 5f 5f 6d 61 69 6e 5f 5f 0a 43 6f 6e 66 69 67 0a 29 81 2e");
    /** protocol 2: {'a': 1} */
    private static final byte[] PLAIN = bytes("80 02 7d 58 01 00 00 00 61 4b 01 73 2e");

    static Run scan(String... args) {
        return CommandLine.run(null, CommandLine.command("scan", args));
    }

    @Test
    void theHostileCorpusExitsOneWithALinePerFinding() {
        assumeTrue(Files.isDirectory(CORPUS.resolve("hostile")), "runs from the cli module's directory");
        Run run = scan(CORPUS.resolve("hostile").toString());
        assertEquals(1, run.exit(), run.err());
        assertEquals("", run.err());
        String torch = CORPUS.resolve("hostile/torch_checkpoint.bin") + "!archive/data.pkl";
        assertTrue(run.lines().contains(torch + " 176 GLOBAL dangerous os.system"), run.out());
        assertTrue(run.lines().contains(torch + " 231 REDUCE dangerous os.system(...)"), run.out());
        assertTrue(summary(run).matches("scanned 41 files, \\d+ pickles: \\d+ dangerous, \\d+ unknown, 0 unreadable"),
                summary(run));
        for (String line : findings(run)) {
            assertTrue(line.matches("\\S+ \\d+ [A-Z0-9_]+ (dangerous|unknown) \\S+"), line);
        }
    }

    @Test
    void theBenignCorpusExitsZeroAndPrintsNothingEvenWhenStrict() {
        assumeTrue(Files.isDirectory(CORPUS.resolve("benign")), "runs from the cli module's directory");
        Run run = scan(CORPUS.resolve("benign").toString());
        assertEquals(Run.of(0, "scanned 11 files, 27 pickles: 0 dangerous, 0 unknown, 0 unreadable\n", ""), run);
        assertEquals(run, scan("--strict", CORPUS.resolve("benign").toString()));
        Run verbose = scan("--verbose", CORPUS.resolve("benign").toString());
        assertEquals(0, verbose.exit());
        assertTrue(findings(verbose).stream().allMatch(l -> l.contains(" safe ")), verbose.out());
        assertTrue(verbose.err().contains("torch_legacy.pt: 5 pickles"), verbose.err());
    }

    @Test
    void dangerIsFoundInFilesDirectoriesAndArchives(@TempDir Path dir) throws IOException {
        Path evil = Files.write(dir.resolve("evil.pkl"), OS_SYSTEM);
        Run run = scan(evil.toString());
        assertEquals(Run.of(1, evil + " 2 GLOBAL dangerous os.system\n" + evil + " 21 REDUCE dangerous os.system(...)\n"
                + "scanned 1 file, 1 pickle: 2 dangerous, 0 unknown, 0 unreadable\n", ""), run);
        Files.write(dir.resolve("plain.pkl"), PLAIN);
        assertEquals(1, scan(dir.toString()).exit());
        assertEquals(0, scan(dir.resolve("plain.pkl").toString()).exit());
    }

    @Test
    void jsonGivesOneObjectPerFindingAndLine(@TempDir Path dir) throws IOException {
        Path evil = Files.write(dir.resolve("evil.pkl"), OS_SYSTEM);
        Run run = scan("--json", "--verbose", evil.toString());
        assertEquals(1, run.exit());
        assertEquals(2, run.lines().size(), run.out());
        Matcher first = JSON_LINE.matcher(run.lines().get(0));
        assertTrue(first.matches(), run.lines().get(0));
        assertEquals(List.of("2", "GLOBAL", "dangerous", "os.system", "false"),
                List.of(first.group(1), first.group(2), first.group(3), first.group(4), first.group(5)));
        Matcher second = JSON_LINE.matcher(run.lines().get(1));
        assertTrue(second.matches(), run.lines().get(1));
        assertEquals("true", second.group(5));
        assertTrue(run.lines().get(0).contains("\"entry\":null"), run.out());
    }

    @Test
    void jsonNamesTheArchiveMember() {
        assumeTrue(Files.isDirectory(CORPUS.resolve("hostile")), "runs from the cli module's directory");
        Run run = scan("--json", CORPUS.resolve("hostile/zip_in_zip.zip").toString());
        assertEquals(1, run.exit());
        for (String line : run.lines()) {
            assertTrue(JSON_LINE.matcher(line).matches(), line);
            assertTrue(line.contains("\"entry\":\"inner.zip!evil.pkl\""), line);
        }
    }

    @Test
    void strictRefusesTheUnknownAsWell(@TempDir Path dir) throws IOException {
        Path config = Files.write(dir.resolve("config.pkl"), MAIN_CONFIG);
        Run lax = scan(config.toString());
        assertEquals(0, lax.exit());
        assertEquals(config + " 2 GLOBAL unknown __main__.Config\n" + config + " 20 NEWOBJ unknown __main__.Config(...)\n"
                + "scanned 1 file, 1 pickle: 0 dangerous, 2 unknown, 0 unreadable\n", lax.out());
        assertEquals(1, scan("--strict", config.toString()).exit());
        assertEquals(0, scan("--strict", Files.write(dir.resolve("plain.pkl"), PLAIN).toString()).exit());
    }

    @Test
    void aFileThatIsNotAPickleExitsTwoWithOneLineOnStandardError(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "just text\n");
        Run run = scan(text.toString());
        assertEquals(2, run.exit());
        assertEquals("scanned 1 file, 1 pickle: 0 dangerous, 0 unknown, 1 unreadable\n", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("picklejar: " + text + ": "), run.err());

        Run missing = scan(dir.resolve("missing.pkl").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void whatWasFoundBeforeAnErrorIsStillReportedAndDangerWins(@TempDir Path dir) throws IOException {
        byte[] cut = new byte[OS_SYSTEM.length - 3];
        System.arraycopy(OS_SYSTEM, 0, cut, 0, cut.length);
        Path file = Files.write(dir.resolve("cut.pkl"), cut);
        Run run = scan(file.toString());
        assertEquals(1, run.exit());
        assertEquals(file + " 2 GLOBAL dangerous os.system\n"
                + "scanned 1 file, 1 pickle: 1 dangerous, 0 unknown, 1 unreadable\n", run.out());
        assertTrue(run.err().contains("truncated"), run.err());

        Path text = Files.writeString(dir.resolve("notes.txt"), "just text\n");
        assertEquals(2, scan(Files.write(dir.resolve("plain.pkl"), PLAIN).toString(), text.toString()).exit());
    }

    @Test
    void sarifIsOneLogThatValidatesAgainstTheSarif210Schema(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("evil.pkl"), OS_SYSTEM);
        Files.write(dir.resolve("config.pkl"), MAIN_CONFIG);
        Files.write(dir.resolve("plain.pkl"), PLAIN);
        Files.write(dir.resolve("broken \"name\".pkl"), bytes("80 02 7d"));
        Run run = scan("--format", "sarif", dir.toString());
        assertEquals(1, run.exit(), run.err());
        assertEquals(1, run.lines().size(), "one JSON document, no summary line");
        Schema schema;
        try (InputStream in = ScanCommandTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
        assertEquals(List.of(), schema.validate(run.out(), InputFormat.JSON));
        String log = run.out();
        assertTrue(log.contains("\"ruleId\":\"PJ001\""), log);
        assertTrue(log.contains("\"ruleId\":\"PJ002\""), log);
        assertTrue(log.contains("\"ruleId\":\"PJ003\""), log);
        assertTrue(log.contains("\"region\":{\"byteOffset\":21,\"byteLength\":1}"), log);
        assertTrue(log.contains("broken%20%22name%22.pkl"), log);
        assertTrue(log.contains("\"message\":{\"text\":\"REDUCE calls os.system(...) (dangerous)\"}"), log);
    }

    @Test
    void sarifNamesTheMemberOfAnArchive() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS.resolve("hostile")), "runs from the cli module's directory");
        Run run = scan("--format", "sarif", "--strict", CORPUS.resolve("hostile/torch_checkpoint.pt").toString());
        assertEquals(1, run.exit());
        Schema schema;
        try (InputStream in = ScanCommandTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
        assertEquals(List.of(), schema.validate(run.out(), InputFormat.JSON));
        assertTrue(run.out().contains("in archive/data.pkl at byte 231"), run.out());
        assertFalse(run.out().contains("\"region\""), "offsets in a member are not bytes of the archive");
    }

    /** The lines that are findings: all but the summary at the end of text output. */
    private static List<String> findings(Run run) {
        List<String> lines = run.lines();
        return lines.subList(0, Math.max(0, lines.size() - 1));
    }

    private static String summary(Run run) {
        List<String> lines = run.lines();
        return lines.get(lines.size() - 1);
    }

    @Test
    void aPathIsRequired() {
        Run run = scan();
        assertEquals(2, run.exit());
        assertFalse(run.err().isEmpty());
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
