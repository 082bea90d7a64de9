package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner finds what CPython's own unpickling machine meets: every import and call listed in
 * {@code scan/expected.tsv}, at the same byte offset, for each file of {@code scan/hostile/} and
 * {@code scan/benign/}. Hostile files are found dangerous, benign ones safe even for a strict scan.
 * The corpus and how its facts were established are described in
 * {@code src/test/python/make_scan_corpus.py}, which wrote them.
 */
class ScannerTest {
    private static final Path SCRIPT = Path.of("src/test/python/make_scan_corpus.py");
    private static final Path COMMITTED = Path.of("src/test/resources/scan");
    private static final Scanner SCANNER = Scanner.standard();

    /** One line of expected.tsv. */
    record Fact(String kind, String file, String entry, int pickle, long offset, String opcode, String global,
                String verdict) {
        static Fact parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 8) {
                throw new IllegalArgumentException("8 tab-separated columns expected: " + line);
            }
            return new Fact(f[0], f[1], f[2].equals("-") ? null : f[2], Integer.parseInt(f[3]),
                    f[4].equals("-") ? -1 : Long.parseLong(f[4]), f[5], f[6], f[7]);
        }

        /** The finding as the scanner would report it, path aside. */
        String key() {
            return ScannerTest.key(entry, pickle, offset, opcode, global, kind.equals("call"));
        }
    }

    static String key(String entry, int pickle, long offset, String opcode, String global, boolean call) {
        return (entry == null ? "-" : entry) + " #" + pickle + " @" + offset + " " + opcode + " "
                + (call ? "call " : "import ") + global;
    }

    static String key(ScanFinding f) {
        return key(f.entry(), f.pickle(), f.offset(), f.opcode().name(), f.global(), f.call());
    }

    static Path corpus() {
        try {
            return Path.of(ScannerTest.class.getResource("/scan").toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static List<Fact> facts() throws IOException {
        try (InputStream in = ScannerTest.class.getResourceAsStream("/scan/expected.tsv")) {
            assertTrue(in != null, "scan/expected.tsv is missing from the test class path");
            List<Fact> facts = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    facts.add(Fact.parse(line));
                }
            }
            return facts;
        }
    }

    static List<Path> files(String folder) throws IOException {
        try (Stream<Path> list = Files.list(corpus().resolve(folder))) {
            return list.sorted().toList();
        }
    }

    static String relative(Path file) {
        return corpus().relativize(file).toString().replace('\\', '/');
    }

    // ---- the corpus ----

    @TestFactory
    Stream<DynamicTest> everyHostileFileHasADangerousFinding() throws IOException {
        return files("hostile").stream().map(file -> DynamicTest.dynamicTest(relative(file), () -> {
            ScanReport report = SCANNER.scan(file);
            assertTrue(report.dangerous(), () -> relative(file) + ": nothing dangerous among " + report.findings());
            assertEquals(GlobalSafety.DANGEROUS, report.worst());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyBenignFileIsSafeEvenForAStrictScan() throws IOException {
        return files("benign").stream().map(file -> DynamicTest.dynamicTest(relative(file), () -> {
            ScanReport report = SCANNER.scan(file);
            assertEquals(List.of(), report.errors(), relative(file));
            List<ScanFinding> unsafe = report.findings().stream()
                    .filter(f -> f.verdict() != GlobalSafety.SAFE).toList();
            assertEquals(List.of(), unsafe, relative(file) + ": findings that are not safe");
            assertFalse(report.findings().isEmpty(), relative(file) + ": a benign file with no globals proves little");
        }));
    }

    @TestFactory
    Stream<DynamicTest> findsEveryImportAndCallWhereCPythonMeetsThem() throws IOException {
        Map<String, List<Fact>> byFile = facts().stream().filter(f -> !f.kind().equals("complete"))
                .collect(Collectors.groupingBy(Fact::file, LinkedHashMap::new, Collectors.toList()));
        return byFile.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            ScanReport report = SCANNER.scan(corpus().resolve(e.getKey()));
            Map<String, ScanFinding> found = new LinkedHashMap<>();
            for (ScanFinding f : report.findings()) {
                found.put(key(f), f);
            }
            for (Fact fact : e.getValue()) {
                ScanFinding finding = found.get(fact.key());
                if (finding == null) {
                    fail(e.getKey() + ": CPython meets " + fact.key() + ", the scanner reports only:\n  "
                            + String.join("\n  ", found.keySet()));
                }
                if (!fact.verdict().equals("-")) {
                    assertEquals(fact.verdict(), finding.verdict().label(), e.getKey() + ": verdict on " + fact.key());
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> reportsNothingMoreThanCPythonMeetsInWhatItReadsToTheEnd() throws IOException {
        List<Fact> facts = facts();
        return facts.stream().filter(f -> f.kind().equals("complete")).map(done -> {
            String where = done.file() + (done.entry() == null ? "" : "!" + done.entry());
            return DynamicTest.dynamicTest(where, () -> {
                Path file = corpus().resolve(done.file());
                ScanReport report = SCANNER.scan(file);
                Set<String> expected = new TreeSet<>();
                for (Fact f : facts) {
                    if (!f.kind().equals("complete") && f.file().equals(done.file())
                            && java.util.Objects.equals(f.entry(), done.entry())) {
                        expected.add(f.key());
                    }
                }
                Set<String> actual = new TreeSet<>();
                for (ScanFinding f : report.findings()) {
                    if (java.util.Objects.equals(f.entry(), done.entry())) {
                        actual.add(key(f));
                    }
                }
                assertEquals(expected, actual, where);
                assertEquals(done.pickle(), report.pickles().get(ScanReport.location(file.toString(), done.entry())),
                        where + ": pickles read");
                assertEquals(List.of(), report.errors(), where);
            });
        });
    }

    @Test
    void everyHostileFileNamesTheGlobalItMustBeFoundDangerousFor() throws IOException {
        Set<String> named = facts().stream().filter(f -> f.verdict().equals("dangerous")).map(Fact::file)
                .collect(Collectors.toSet());
        for (Path file : files("hostile")) {
            assertTrue(named.contains(relative(file)), relative(file) + " has no expected dangerous finding");
        }
    }

    @Test
    void aDirectoryIsScannedFileByFileInOrder() throws IOException {
        ScanReport report = SCANNER.scan(corpus().resolve("hostile"));
        assertEquals(List.of(), report.errors());
        Set<String> paths = new LinkedHashSet<>();
        report.findings().forEach(f -> paths.add(f.path()));
        List<String> expected = files("hostile").stream().map(Path::toString).toList();
        assertEquals(expected, List.copyOf(paths));
        // READMEs and torch's small metadata members are skipped; torch storages are not even looked at.
        assertTrue(report.skipped().stream().noneMatch(s -> s.contains("/data/")), report.skipped().toString());
        assertTrue(report.skipped().stream().anyMatch(s -> s.endsWith("!README.txt")), report.skipped().toString());
    }

    // ---- behaviours, one at a time ----

    @Test
    void aGlobalIsReportedWithItsOffsetOpcodeAndCall() {
        byte[] pickle = bytes("80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 58 02 00 00 00 69 64 85 52 2e"); // cos\nsystem\n X'id' REDUCE
        ScanReport report = SCANNER.scan(pickle, "mem");
        assertEquals(List.of(
                new ScanFinding("mem", null, 0, 2, Opcode.GLOBAL, GlobalSafety.DANGEROUS, "os.system", false),
                new ScanFinding("mem", null, 0, 21, Opcode.REDUCE, GlobalSafety.DANGEROUS, "os.system", true)),
                report.findings());
        assertEquals("mem 2 GLOBAL dangerous os.system", report.findings().get(0).toString());
        assertEquals("mem 21 REDUCE dangerous os.system(...)", report.findings().get(1).toString());
        assertEquals("{\"path\":\"mem\",\"entry\":null,\"pickle\":0,\"offset\":21,\"opcode\":\"REDUCE\","
                + "\"verdict\":\"dangerous\",\"global\":\"os.system\",\"call\":true}", report.findings().get(1).toJson());
        assertEquals(Map.of("mem", 1), report.pickles());
    }

    @Test
    void safeFindingsCanBeLeftOutOfTheReport() {
        Path file = corpus().resolve("hostile/torch_checkpoint.pt");
        ScanReport all = SCANNER.scan(file);
        ScanReport unsafe = Scanner.builder().keepSafe(false).build().scan(file);
        assertEquals(all.findings().stream().filter(f -> f.verdict() != GlobalSafety.SAFE).toList(), unsafe.findings());
        assertTrue(unsafe.findings().size() < all.findings().size());
        assertEquals(all.pickles(), unsafe.pickles());
    }

    @Test
    void anUnregisteredExtensionCodeIsUnknownAndNamed() {
        byte[] pickle = bytes("80 02 82 07 29 52 2e"); // EXT1 7, () REDUCE
        ScanReport report = SCANNER.scan(pickle, "ext");
        assertEquals(List.of(
                new ScanFinding("ext", null, 0, 2, Opcode.EXT1, GlobalSafety.UNKNOWN, "<extension:7>", false),
                new ScanFinding("ext", null, 0, 5, Opcode.REDUCE, GlobalSafety.UNKNOWN, "<extension:7>", true)),
                report.findings());
        assertEquals(List.of(), report.errors());
    }

    @Test
    void callingWhatACallReturnedIsAtLeastUnknown() {
        // collections.OrderedDict()() : harmless constructor, but nothing plain-data is ever called.
        byte[] pickle = bytes("80 02 63 63 6f 6c 6c 65 63 74 69 6f 6e 73 0a 4f 72 64 65 72 65 64 44 69 63 74 0a"
                + "29 52 29 52 2e");
        ScanFinding last = SCANNER.scan(pickle, "p").findings().get(2);
        assertEquals("collections.OrderedDict(...)", last.global());
        assertEquals(GlobalSafety.UNKNOWN, last.verdict());
    }

    @Test
    void aPersistentIdDoesNotStopTheScanAndCallingItIsUnknown() {
        byte[] pickle = bytes("80 02 58 01 00 00 00 78 51 29 52 2e"); // X'x' BINPERSID () REDUCE
        ScanReport report = SCANNER.scan(pickle, "p");
        assertEquals(List.of(new ScanFinding("p", null, 0, 10, Opcode.REDUCE, GlobalSafety.UNKNOWN,
                "<persistent-id>", true)), report.findings());
        assertEquals(List.of(), report.errors());
    }

    @Test
    void whatWasFoundBeforeAnErrorIsKeptAndTheErrorSaysWhere() {
        byte[] pickle = bytes("80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 58 ff"); // os.system, then truncated
        ScanReport report = SCANNER.scan(pickle, "cut");
        assertEquals(1, report.findings().size());
        assertTrue(report.dangerous());
        assertEquals(1, report.errors().size());
        ScanError error = report.errors().get(0);
        assertEquals(13, error.offset());
        assertTrue(error.message().contains("truncated"), error.message());
        assertEquals(Map.of("cut", 1), report.pickles());
    }

    @Test
    void theTensorBytesOfATorchArchiveAreNeverRead() {
        ScanReport report = SCANNER.scan(corpus().resolve("benign/torch_state_dict.pt"));
        String pt = corpus().resolve("benign/torch_state_dict.pt").toString();
        assertEquals(Map.of(pt + "!archive/data.pkl", 1), report.pickles());
        assertEquals(List.of(pt + "!archive/byteorder", pt + "!archive/version", pt + "!archive/.data/serialization_id"),
                report.skipped(), "the storages under archive/data/ are not even looked at");
        assertTrue(report.findings().stream().allMatch(f -> "archive/data.pkl".equals(f.entry())));
    }

    @Test
    void aLegacyTorchFileIsReadForItsFivePicklesOnly() {
        Path file = corpus().resolve("benign/torch_legacy.pt");
        ScanReport report = SCANNER.scan(file);
        assertEquals(Map.of(file.toString(), 5), report.pickles());
        assertEquals(List.of(), report.errors());
    }

    @Test
    void aZipGivenAsAStreamIsScannedMemberByMember() throws IOException {
        byte[] zip = Files.readAllBytes(corpus().resolve("hostile/torch_checkpoint.txt"));
        ScanReport report = SCANNER.scan(zip, "-");
        assertTrue(report.dangerous());
        assertTrue(report.findings().stream().allMatch(f -> f.path().equals("-") && "archive/data.pkl".equals(f.entry())));
        assertEquals(Map.of("-!archive/data.pkl", 1), report.pickles());
    }

    @Test
    void aZipBombEndsInAnErrorAtTheMemberBound() throws IOException {
        // BINBYTES8 claiming 8 MiB of zeros: a few KiB compressed.
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        member.write(bytes("80 04 8e 00 00 80 00 00 00 00 00"));
        member.write(new byte[8 << 20]);
        member.write('.');
        byte[] zip = zip(Map.of("bomb.pkl", member.toByteArray()));
        assertTrue(zip.length < 64 * 1024);
        Scanner bounded = Scanner.builder().maxEntryBytes(1 << 20).build();
        ScanReport report = bounded.scan(zip, "bomb.zip");
        assertEquals(1, report.errors().size(), report.errors().toString());
        assertTrue(report.errors().get(0).message().contains("maxEntryBytes"), report.errors().toString());
        assertEquals("bomb.pkl", report.errors().get(0).entry());

        ScanReport total = Scanner.builder().maxTotalBytes(4 << 20).build().scan(zip, "bomb.zip");
        assertTrue(total.errors().get(0).message().contains("maxTotalBytes"), total.errors().toString());
        assertEquals(List.of(), SCANNER.scan(zip, "bomb.zip").errors(), "the default bounds read it all");
    }

    @Test
    void decompressorsAreGivenOnlyForTheCompressionsCoreDoesNotReadItself() {
        Scanner.Decompressor identity = in -> in;
        for (String format : Scanner.DECOMPRESSOR_FORMATS) {
            Scanner.builder().decompressor(format, identity);
        }
        IllegalArgumentException gzip = assertThrows(IllegalArgumentException.class,
                () -> Scanner.builder().decompressor("gzip", identity));
        assertEquals("no decompressor is needed or used for \"gzip\": the formats are [bz2, lz4, lzma, xz, zstd]",
                gzip.getMessage());
    }

    @Test
    void aZipInAZipIsOpenedOnlyAsDeepAsAllowed() {
        Path file = corpus().resolve("hostile/zip_in_zip.zip");
        assertTrue(SCANNER.scan(file).dangerous());
        ScanReport flat = Scanner.builder().maxZipDepth(1).build().scan(file);
        assertFalse(flat.dangerous());
        assertTrue(flat.skipped().contains(file + "!inner.zip"), flat.skipped().toString());
    }

    @Test
    void aNamedFileThatIsNotAPickleIsAnError(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        ScanReport report = SCANNER.scan(text);
        assertEquals(1, report.errors().size());
        assertTrue(report.errors().get(0).toString().startsWith(text + ": "), report.errors().toString());
        assertTrue(report.findings().isEmpty());

        Path empty = Files.write(dir.resolve("empty.pkl"), new byte[0]);
        assertEquals(1, SCANNER.scan(empty).errors().size());
        assertEquals(1, SCANNER.scan(dir.resolve("missing.pkl")).errors().size());
    }

    @Test
    void inADirectoryWhatIsNotAPickleIsSkipped(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("README.md"), "# models\n");
        Files.writeString(dir.resolve("notes.txt"), "(draft) see below\n");   // starts like protocol 0
        Files.write(dir.resolve("raw.bin"), bytes("80 02 00 01 02"));           // starts like protocol 2
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/model.dat"), bytes("80 02 7d 71 00 2e"));   // {} at protocol 2
        ScanReport report = SCANNER.scan(dir);
        assertEquals(List.of(), report.errors());
        assertEquals(Set.of(dir.resolve("README.md").toString(), dir.resolve("notes.txt").toString(),
                dir.resolve("raw.bin").toString()), Set.copyOf(report.skipped()));
        assertEquals(Map.of(dir.resolve("sub/model.dat").toString(), 1), report.pickles());

        Files.write(dir.resolve("broken.pkl"), bytes("80 02 7d"));             // a .pkl must be a pickle
        assertEquals(1, SCANNER.scan(dir).errors().size());
    }

    @Test
    void theFuzzFoundZipWithANameThatIsNotUtf8IsReadNotThrown() {
        // A local header alone (no central directory) whose 1-byte name is 0xff, holding the pickle "N."
        // (None): found by fuzzing, it made the JDK's zip reader throw IllegalArgumentException.
        byte[] minimal = bytes("504b03041400000000000000000000000000020000000200000001000000ff4e2e");
        ScanReport report = SCANNER.scan(minimal, "fuzz.zip");
        assertFalse(report.dangerous());
        assertEquals(List.of(), report.errors());
        assertEquals(Map.of("fuzz.zip!\u00ff", 1), report.pickles(), "the name read as Latin-1, the member as a pickle");
    }

    @Test
    void aMemberNamedWithBytesThatAreNotUtf8HidesNothingBesideIt() throws IOException {
        byte[] inner = zipWithRawName(new byte[] {'m', (byte) 0xff, (byte) 0xfe, '.', 'p', 'k', 'l'},
                bytes("80 02 7d 71 00 2e"));
        byte[] evil = bytes("80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 58 02 00 00 00 69 64 85 52 2e");
        byte[] outer = zip(new LinkedHashMap<>(Map.of("evil.pkl", evil, "inner.zip", inner)));
        ScanReport report = SCANNER.scan(outer, "bundle.zip");
        assertTrue(report.dangerous(), report.toString());
        assertEquals(List.of(), report.errors());
        assertTrue(report.pickles().containsKey("bundle.zip!inner.zip!m\u00ff\u00fe.pkl"), report.pickles().toString());
    }

    /** A one-member stored zip whose name is the raw bytes given (no UTF-8 flag). */
    private static byte[] zipWithRawName(byte[] name, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(30 + name.length + data.length + 46 + name.length + 22)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                .putShort((short) name.length).putShort((short) 0).put(name).put(data);
        int central = b.position();
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                .putInt(0).putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0).put(name);
        int size = b.position() - central;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(size).putInt(central).putShort((short) 0);
        return b.array();
    }

    @Test
    void aFrameThatLiesIsDangerousAndWhatItHidesIsReportedWhereTheFileHasIt() {
        Path file = corpus().resolve("published/attacks/cpython-issue-154848-frame-lies.pkl");
        ScanReport report = SCANNER.scan(file);
        assertTrue(report.findings().stream().anyMatch(f -> f.opcode() == Opcode.FRAME
                && f.verdict() == GlobalSafety.DANGEROUS), report.findings().toString());
        // pickle.load(file) drops the frame's last 2 bytes and reads the BINBYTES payload after it,
        // then runs the GLOBAL/REDUCE that pickle.loads(bytes) reads as bytes.
        assertTrue(report.findings().stream().anyMatch(f -> f.offset() == 131078 && f.opcode() == Opcode.GLOBAL
                && f.global().equals("os.system")), report.findings().toString());
        // fickling's straddle variants: a GLOBAL that crosses the frame's end, a frame in a frame.
        byte[] straddle = bytes("80 05 95 07 00 00 00 00 00 00 00 63 6f 73 0a 73 79 73 74 65 6d 0a 2e");
        assertTrue(SCANNER.scan(straddle, "straddle").dangerous());
        byte[] nested = bytes("80 05 95 0c 00 00 00 00 00 00 00 4e 95 02 00 00 00 00 00 00 00 4e 2e");
        assertTrue(SCANNER.scan(nested, "nested").dangerous());
    }

    @Test
    void framesAsCPythonWritesThemAreNotFlagged() {
        // Payloads of 64 KiB and more are written outside frames, between a length field and the next frame.
        List<Object> values = List.of(1L, new byte[100_000], "x".repeat(70_000), 2L);
        for (int protocol = 4; protocol <= 5; protocol++) {
            ScanReport report = SCANNER.scan(Pickle.dumps(values, protocol), "p" + protocol);
            assertEquals(List.of(), report.findings(), "protocol " + protocol);
            assertEquals(List.of(), report.errors());
        }
    }

    @Test
    void namesBuiltOnTheStackByStrCallsAreFollowed() {
        ScanReport report = SCANNER.scan(corpus().resolve("published/attacks/issue-13-str-built-names.pkl"));
        assertTrue(report.findings().stream().anyMatch(f -> f.opcode() == Opcode.STACK_GLOBAL
                && f.global().equals("os.system") && f.verdict() == GlobalSafety.DANGEROUS), report.findings().toString());
    }

    @Test
    void buildOnAClassIsDangerous() {
        ScanReport report = SCANNER.scan(corpus().resolve("published/attacks/pickleball-build-on-class.pkl"));
        assertTrue(report.findings().stream().anyMatch(f -> f.opcode() == Opcode.BUILD
                && f.verdict() == GlobalSafety.DANGEROUS), report.findings().toString());
        assertEquals(List.of(), report.errors());
    }

    @Test
    void aDirectoryIsScannedByContentWhateverTheFirstOpcode(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("frame-first"), Files.readAllBytes(
                corpus().resolve("published/attacks/issue-13-frame-without-proto.pkl")));
        Files.write(dir.resolve("newtrue-first"), Files.readAllBytes(
                corpus().resolve("published/attacks/issue-13-newtrue-first.pkl")));
        ScanReport report = SCANNER.scan(dir);
        assertEquals(Set.of(dir.resolve("frame-first").toString(), dir.resolve("newtrue-first").toString()),
                report.findings().stream().filter(f -> f.verdict() == GlobalSafety.DANGEROUS).map(ScanFinding::path)
                        .collect(Collectors.toSet()));
        assertEquals(2, report.files());
    }

    @Test
    void theLenientReaderGoesOnWhereALoadStops() {
        byte[] extension = bytes("80 02 82 07 2e");
        byte[] stopAboveItems = bytes("80 02 4b 01 28 4b 02 2e");
        byte[] buffer = bytes("80 05 97 2e");
        for (byte[] pickle : List.of(extension, stopAboveItems, buffer)) {
            assertThrows(PickleException.class, () -> Unpickler.standard().loads(pickle));
        }
        Unpickler lenient = Unpickler.builder().lenient(true).build();
        assertEquals(new PyGlobal(PickleReader.UNREGISTERED_EXTENSION, "7"), lenient.loads(extension));
        assertEquals(2, lenient.loads(stopAboveItems));
        assertArrayEquals(new byte[0], (byte[]) lenient.loads(buffer));
        assertThrows(PickleException.class, () -> lenient.loads(bytes("80 02 28 2e")), "nothing above the MARK");
    }

    // ---- the table ----

    @Test
    void theTableJudgesNamesAsDocumented() {
        Map<String, GlobalSafety> cases = new LinkedHashMap<>();
        cases.put("os system", GlobalSafety.DANGEROUS);
        cases.put("os.path join", GlobalSafety.DANGEROUS);
        cases.put("posixpath join", GlobalSafety.UNKNOWN);
        cases.put("pathlib os.system", GlobalSafety.DANGEROUS);
        cases.put("pathlib Path.home.__globals__", GlobalSafety.DANGEROUS);
        cases.put("pathlib PosixPath", GlobalSafety.SAFE);
        cases.put("pathlib Path.write_text", GlobalSafety.DANGEROUS);
        cases.put("random _os.system", GlobalSafety.DANGEROUS);
        cases.put("tempfile _shutil.rmtree", GlobalSafety.DANGEROUS);
        cases.put("posix spawnv", GlobalSafety.DANGEROUS);
        cases.put("torch.utils.bottleneck.__main__ run_cprofile", GlobalSafety.DANGEROUS);
        cases.put("torch._dynamo.guards GuardBuilder.get", GlobalSafety.DANGEROUS);
        cases.put("uuid _get_command_stdout", GlobalSafety.DANGEROUS);
        cases.put("uuid UUID", GlobalSafety.SAFE);
        cases.put("_osx_support _read_output", GlobalSafety.DANGEROUS);
        cases.put("mailcap findmatch", GlobalSafety.DANGEROUS);
        cases.put("_xxsubinterpreters run_string", GlobalSafety.DANGEROUS);
        cases.put("re _compile", GlobalSafety.SAFE);
        cases.put("zoneinfo ZoneInfo._unpickle", GlobalSafety.SAFE);
        cases.put("sklearn.ensemble._forest RandomForestClassifier", GlobalSafety.SAFE);
        cases.put("sklearn.datasets fetch_openml", GlobalSafety.UNKNOWN);
        cases.put("sklearn.datasets._openml OpenMLError", GlobalSafety.UNKNOWN);
        cases.put("sklearn.utils._testing assert_run_python_script", GlobalSafety.DANGEROUS);
        cases.put("torch.nn.modules.linear Linear", GlobalSafety.SAFE);
        cases.put("torch.nn.modules.linear Linear.register_forward_hook", GlobalSafety.UNKNOWN);
        cases.put("pandas.io.pickle read_pickle", GlobalSafety.DANGEROUS);
        cases.put("collections __builtins__", GlobalSafety.DANGEROUS);
        cases.put("builtins object.__subclasses__", GlobalSafety.DANGEROUS);
        cases.put("builtins __import__", GlobalSafety.DANGEROUS);
        cases.put("__builtin__ eval", GlobalSafety.DANGEROUS);
        cases.put("__builtin__ set", GlobalSafety.SAFE);
        cases.put("copy_reg _reconstructor", GlobalSafety.SAFE);
        cases.put("cPickle loads", GlobalSafety.DANGEROUS);
        cases.put("commands getoutput", GlobalSafety.DANGEROUS);
        cases.put("__main__ Config", GlobalSafety.UNKNOWN);
        cases.put("mymodel Outer.Inner", GlobalSafety.UNKNOWN);
        cases.put("builtins print", GlobalSafety.UNKNOWN);
        cases.put("builtins ValueError", GlobalSafety.UNKNOWN);
        cases.put("datetime datetime", GlobalSafety.SAFE);
        cases.put("datetime datetime.now", GlobalSafety.UNKNOWN);
        cases.put("numpy load", GlobalSafety.DANGEROUS);
        cases.put("numpy.testing._private.utils runstring", GlobalSafety.DANGEROUS);
        cases.put("torch jit.load", GlobalSafety.DANGEROUS);
        cases.put("torch.serialization _get_layout", GlobalSafety.SAFE);
        cases.put("torch.serialization load", GlobalSafety.DANGEROUS);
        cases.put("copyreg add_extension", GlobalSafety.DANGEROUS);
        cases.put("operator itemgetter", GlobalSafety.UNKNOWN);
        cases.put("operator methodcaller", GlobalSafety.DANGEROUS);
        cases.put("asyncio.subprocess create_subprocess_exec", GlobalSafety.DANGEROUS);
        cases.put("osmosis system", GlobalSafety.DANGEROUS);
        cases.put("osmosis Thing", GlobalSafety.UNKNOWN);
        cases.put(PickleReader.UNREGISTERED_EXTENSION + " 7", GlobalSafety.UNKNOWN);
        for (Map.Entry<String, GlobalSafety> c : cases.entrySet()) {
            String[] parts = c.getKey().split(" ");
            assertEquals(c.getValue(), GlobalSafety.of(parts[0], parts[1]), c.getKey());
        }
    }

    @Test
    void everySafeGlobalIsJudgedSafe() {
        for (String qualified : GlobalSafety.SAFE_GLOBALS) {
            int dot = qualified.lastIndexOf('.');
            assertEquals(GlobalSafety.SAFE, GlobalSafety.of(qualified.substring(0, dot), qualified.substring(dot + 1)),
                    qualified);
        }
    }

    @Test
    void aFindingIsValidJsonWhateverItsName() {
        ScanFinding f = new ScanFinding("dir/a \"b\".pkl", "x\\y", 1, 3, Opcode.GLOBAL, GlobalSafety.UNKNOWN,
                "m\u0001.n\ud800", false);
        assertEquals("{\"path\":\"dir/a \\\"b\\\".pkl\",\"entry\":\"x\\\\y\",\"pickle\":1,\"offset\":3,"
                + "\"opcode\":\"GLOBAL\",\"verdict\":\"unknown\",\"global\":\"m\\u0001.n\\ud800\",\"call\":false}",
                f.toJson());
        assertNull(new ScanFinding("p", null, 0, 0, Opcode.GLOBAL, GlobalSafety.SAFE, "a.b", false).entry());
    }

    @Test
    void aHostileNameCannotForgeALineOrAColumn() {
        byte[] pickle = bytes("80 04 8c 02 6f 73 8c 1f 73 79 73 74 65 6d 0a 78 20 30 20 47 4c 4f 42 41 4c 20 73 61 66 65 20"
                + "62 75 69 6c 74 69 6e 73 93 2e"); // 'os' + 'system\nx 0 GLOBAL safe builtins' STACK_GLOBAL
        ScanFinding f = SCANNER.scan(pickle, "mem").findings().get(0);
        assertEquals("os.system\nx 0 GLOBAL safe builtins", f.global());
        assertEquals(GlobalSafety.DANGEROUS, f.verdict());
        assertEquals("mem 39 STACK_GLOBAL dangerous os.system\\nx\\x200\\x20GLOBAL\\x20safe\\x20builtins", f.toString());
    }

    // ---- the corpus is what the script writes ----

    @Test
    void committedCorpusIsWhatTheScriptWritesToday(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(SCRIPT) && Files.isDirectory(COMMITTED),
                "runs from the core module's directory, where the generator lives");
        assumeTrue(Python.is311WithNumpy(), "needs python3 (3.11) with numpy on the PATH");
        Process process = new ProcessBuilder("python3", SCRIPT.toString(), "--out", dir.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String log = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("make_scan_corpus.py did not finish in 2 minutes:\n" + log);
        }
        assertEquals(0, process.exitValue(), () -> "make_scan_corpus.py failed:\n" + log);
        assertEquals(listing(COMMITTED), listing(dir), "the files of the corpus");
        for (String name : listing(COMMITTED)) {
            assertArrayEquals(Files.readAllBytes(COMMITTED.resolve(name)), Files.readAllBytes(dir.resolve(name)),
                    name + " is not what make_scan_corpus.py writes now; rerun it and commit its output");
        }
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> !name.startsWith("published/")) // make_scan_published.py writes those
                    .sorted().toList();
        }
    }

    // ---- helpers ----

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(m.getKey()));
                zip.write(m.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
