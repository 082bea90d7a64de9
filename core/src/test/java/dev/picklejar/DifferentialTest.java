package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A live differential test against CPython: {@code src/test/python/random_graphs.py} generates random
 * object graphs, pickles each at protocols 0 to 5 and prints the pickle with the {@code repr} CPython
 * gives after loading it; every pickle must load here to an object whose {@link Repr} is the same.
 * The same pickles, put back to back, must also come out one by one from a {@link PickleStream} and
 * from repeated {@link Pickle#load(InputStream)} calls.
 *
 * <p>Skipped when {@code python3} is not on the PATH. The fixed seed always runs; set the system
 * property {@code picklejar.seed} (for example {@code -Dpicklejar.seed=12345}) to add another, and
 * {@code picklejar.count} to change the number of graphs per seed (300).
 */
class DifferentialTest {
    private static final long FIXED_SEED = 20240611L;
    private static final int DEFAULT_COUNT = 300;
    private static final int MAX_REPORTED = 20;
    private static final String SCRIPT = "src/test/python/random_graphs.py";

    /** The generator's output per seed, shared by the tests of this class. */
    private static final Map<Long, List<Case>> CASES = new ConcurrentHashMap<>();

    /** One line of the generator's output. */
    record Case(int graph, int protocol, byte[] pickle, String expected) {
    }

    static LongStream seeds() {
        String extra = System.getProperty("picklejar.seed");
        if (extra == null || extra.isBlank()) {
            return LongStream.of(FIXED_SEED);
        }
        long seed = Long.parseLong(extra.strip());
        return seed == FIXED_SEED ? LongStream.of(FIXED_SEED) : LongStream.of(FIXED_SEED, seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void loadsGivesCPythonsRepr(long seed) {
        List<Case> cases = cases(seed);
        List<String> failures = new ArrayList<>();
        StringBuilder full = new StringBuilder();
        for (Case c : cases) {
            String actual = reprOrError(() -> Pickle.loads(c.pickle()));
            if (!actual.equals(c.expected())) {
                failures.add(describe(seed, c, actual));
                full.append(c.graph()).append('\t').append(c.protocol()).append('\t')
                        .append(HexFormat.of().formatHex(c.pickle())).append('\t').append(c.expected())
                        .append('\t').append(actual).append('\n');
            }
        }
        if (!failures.isEmpty()) {
            writeReport(seed, full.toString());
        }
        report(failures, cases.size() + " pickles of seed " + seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void streamsGiveTheSameSequence(long seed) throws IOException {
        List<Case> cases = cases(seed);
        List<String> failures = new ArrayList<>();
        for (int protocol = 0; protocol <= Pickle.HIGHEST_PROTOCOL; protocol++) {
            // What each pickle gives alone; a pickle that does not load alone is left out of the
            // stream (the loads test reports it), since nothing could be read after it.
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            List<Long> ends = new ArrayList<>();
            for (Case c : cases) {
                if (c.protocol() != protocol) {
                    continue;
                }
                String alone = reprOrError(() -> Pickle.loads(c.pickle()));
                if (!alone.startsWith("!")) {
                    all.write(c.pickle());
                    expected.add(alone);
                    ends.add((long) all.size());
                }
            }
            byte[] bytes = all.toByteArray();
            String label = "seed " + seed + " protocol " + protocol;

            try (PickleStream stream = Unpickler.standard().open(new ByteArrayInputStream(bytes))) {
                compare(label + " PickleStream", expected, readAll(stream, ends), failures);
            }
            try (PickleStream stream = Unpickler.standard().open(new Trickle(bytes, seed))) {
                compare(label + " PickleStream over short reads", expected, readAll(stream, ends), failures);
            }
            compare(label + " Pickle.load(BufferedInputStream)", expected,
                    loadRepeatedly(new BufferedInputStream(new ByteArrayInputStream(bytes)), expected.size()),
                    failures);
            compare(label + " Pickle.load(InputStream without mark)", expected,
                    loadRepeatedly(new Trickle(bytes, seed), expected.size()), failures);
        }
        report(failures, "streams of seed " + seed);
    }

    /**
     * The writer: every graph, loaded from CPython's pickle at one protocol and written at each
     * protocol, gives CPython's own bytes for that protocol; and CPython loads what picklejar wrote
     * to the value it started from (checked in one python3 run over all of them).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void dumpsGivesCPythonsBytesAndCPythonLoadsThem(long seed) throws Exception {
        Map<Integer, Case[]> byGraph = new java.util.TreeMap<>();
        for (Case c : cases(seed)) {
            byGraph.computeIfAbsent(c.graph(), g -> new Case[Pickle.HIGHEST_PROTOCOL + 1])[c.protocol()] = c;
        }
        List<String> failures = new ArrayList<>();
        StringBuilder written = new StringBuilder();
        List<String> expectedReprs = new ArrayList<>();
        int compared = 0;
        for (Case[] versions : byGraph.values()) {
            for (Case from : versions) {
                Object value;
                try {
                    value = Pickle.loads(from.pickle());
                } catch (PickleException e) {
                    continue; // reported by loadsGivesCPythonsRepr
                }
                for (Case to : versions) {
                    byte[] ours;
                    try {
                        ours = Pickle.dumps(value, to.protocol());
                    } catch (RuntimeException e) {
                        failures.add("graph " + from.graph() + " from protocol " + from.protocol() + " to "
                                + to.protocol() + ": " + e);
                        continue;
                    }
                    compared++;
                    if (!sourceLostInformation(from, to)) {
                        List<String> differences = new ArrayList<>();
                        WriterVectorsTest.compare("seed " + seed + " graph " + from.graph() + " from protocol "
                                + from.protocol() + " written at " + to.protocol(), to.pickle(), ours, differences);
                        failures.addAll(differences);
                    }
                    if (from.protocol() == Pickle.HIGHEST_PROTOCOL) {
                        written.append(HexFormat.of().formatHex(ours)).append('\n');
                        expectedReprs.add(to.expected());
                    }
                }
            }
        }
        List<String> cpython = loadInCPython(written.toString());
        for (int i = 0; i < expectedReprs.size(); i++) {
            if (!expectedReprs.get(i).equals(cpython.get(i))) {
                failures.add("CPython loads picklejar's pickle #" + i + " as " + abbreviate(cpython.get(i), -1)
                        + ", not " + abbreviate(expectedReprs.get(i), -1));
            }
        }
        assertTrue(compared > 1000, "compared only " + compared);
        report(failures, compared + " pickles written from seed " + seed);
    }

    /**
     * Below protocol 4 CPython does not write a datetime's fold, protocol 0 no nan sign, and java.time keeps one ZoneOffset
     * per offset where CPython may hold several equal timezone objects: a pickle at a lower protocol
     * cannot give back the fold, and equal timezones share one memo entry when written again.
     */
    private static boolean sourceLostInformation(Case from, Case to) {
        boolean fold = from.expected().contains("fold=1") || to.expected().contains("fold=1");
        boolean timezone = to.expected().contains("datetime.timezone(");
        // Protocol 0 writes floats as text: a nan's sign and payload do not survive it.
        boolean nan = from.protocol() == 0 && to.protocol() > 0 && to.expected().contains("nan");
        return (fold && from.protocol() < 4 && to.protocol() >= 4) || timezone || nan;
    }

    /** repr(pickle.loads(...)) in one python3 process for each hex line. */
    private static List<String> loadInCPython(String hexLines) throws IOException, InterruptedException {
        Path input = Files.createTempFile("picklejar-written", ".hex");
        Path output = Files.createTempFile("picklejar-written", ".out");
        try {
            Files.writeString(input, hexLines);
            ProcessBuilder pb = new ProcessBuilder("python3", "-c",
                    "import pickle,sys\n"
                            + "for line in open(sys.argv[1]):\n"
                            + "    try: print(repr(pickle.loads(bytes.fromhex(line.strip()))))\n"
                            + "    except Exception as e: print('!' + type(e).__name__)\n",
                    input.toString());
            pb.environment().put("PYTHONIOENCODING", "utf-8");
            pb.environment().put("PYTHONHASHSEED", "0"); // set order in the reprs, as the generator had it
            pb.redirectOutput(output.toFile());
            pb.redirectErrorStream(false);
            Process process = pb.start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("python3 did not load picklejar's pickles in 300 s");
            }
            return List.of(Files.readString(output, StandardCharsets.UTF_8).split("\n", -1));
        } finally {
            deleteQuietly(input);
            deleteQuietly(output);
        }
    }

    // ---- reading ----------------------------------------------------------------------------------

    /** Reads the stream to its end; after each pickle, its offset must be where the pickle ends. */
    private static List<String> readAll(PickleStream stream, List<Long> ends) {
        List<String> reprs = new ArrayList<>();
        try {
            while (stream.hasNext()) {
                String r = reprOrError(stream::next);
                int i = reprs.size();
                if (!r.startsWith("!") && i < ends.size() && stream.offset() != ends.get(i)) {
                    r = "!offset() is " + stream.offset() + " after the pickle that ends at " + ends.get(i) + ": " + r;
                }
                reprs.add(r);
                if (r.startsWith("!")) {
                    break; // the stream's position is unknown after a failure
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            reprs.add("!hasNext threw " + e);
        }
        return reprs;
    }

    /** Calls Pickle.load count times, then checks that exactly the end of the input is left. */
    private static List<String> loadRepeatedly(InputStream in, int count) {
        List<String> reprs = new ArrayList<>();
        try (in) {
            for (int i = 0; i < count; i++) {
                String r = reprOrError(() -> Pickle.load(in));
                reprs.add(r);
                if (r.startsWith("!")) {
                    return reprs;
                }
            }
            int next = in.read();
            if (next != -1) {
                reprs.add("!input left after the last pickle, starting with byte " + next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reprs;
    }

    private interface Load {
        Object get();
    }

    /** The repr of what load gives, or "!" and the exception it throws. */
    private static String reprOrError(Load load) {
        Object value;
        try {
            value = load.get();
        } catch (RuntimeException | StackOverflowError e) {
            return "!" + e;
        }
        try {
            return Repr.of(value);
        } catch (RuntimeException | StackOverflowError e) {
            return "!Repr.of threw " + e;
        }
    }

    /** An input stream without mark/reset that hands out at most a few bytes per read. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;
        private long state;

        Trickle(byte[] data, long seed) {
            this.data = data;
            this.state = seed * 0x9E3779B97F4A7C15L + 1;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            state = state * 6364136223846793005L + 1442695040888963407L;
            int n = Math.min(Math.min(len, data.length - pos), 1 + (int) ((state >>> 33) % 7));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    // ---- reporting --------------------------------------------------------------------------------

    private static void compare(String label, List<String> expected, List<String> actual, List<String> failures) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                failures.add(label + ", pickle #" + i + " of the stream:\n  loads gave " + abbreviate(expected.get(i), -1)
                        + "\n  stream gave " + abbreviate(actual.get(i), -1));
                return;
            }
        }
        if (expected.size() != actual.size()) {
            failures.add(label + ": " + expected.size() + " pickles, but the stream gave " + actual.size()
                    + (actual.size() > n ? ", the next being " + abbreviate(actual.get(n), -1) : ""));
        }
    }

    private static String describe(long seed, Case c, String actual) {
        int at = firstDifference(c.expected(), actual);
        return "seed " + seed + " graph " + c.graph() + " protocol " + c.protocol() + " (" + c.pickle().length
                + "-byte pickle), first difference at char " + at + ":\n  CPython: " + abbreviate(c.expected(), at)
                + "\n  Java:    " + abbreviate(actual, at)
                + (c.pickle().length <= 300 ? "\n  pickle:  " + HexFormat.of().formatHex(c.pickle()) : "");
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    /** The string, or for a long one its start and the part around the given index. */
    private static String abbreviate(String s, int around) {
        if (s.length() <= 600) {
            return s;
        }
        if (around < 0 || around < 300) {
            return s.substring(0, 500) + "… (" + s.length() + " chars)";
        }
        int from = Math.max(0, around - 150);
        int to = Math.min(s.length(), around + 250);
        return s.substring(0, 150) + " … [" + from + "..] " + s.substring(from, to) + " … (" + s.length() + " chars)";
    }

    /**
     * Every failure in full, one a line (graph, protocol, pickle hex, CPython's repr, Java's repr or
     * "!" and the exception), in target/differential-failures-SEED.tsv for a closer look.
     */
    private static void writeReport(long seed, String lines) {
        try {
            Path dir = Path.of(System.getProperty("basedir", "."), "target");
            if (Files.isDirectory(dir)) {
                Path file = dir.resolve("differential-failures-" + seed + ".tsv");
                Files.writeString(file, lines, StandardCharsets.UTF_8);
                System.err.println("DifferentialTest: all failures of seed " + seed + " are in " + file);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("DifferentialTest: could not write the failure report: " + e);
        }
    }

    private static void report(List<String> failures, String what) {
        if (failures.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        message.append(failures.size()).append(" failure(s) in ").append(what)
                .append(" (expected reprs from CPython ").append(pythonVersion()).append(')');
        if (failures.size() > MAX_REPORTED) {
            message.append(", the first ").append(MAX_REPORTED);
        }
        message.append(':');
        for (String f : failures.subList(0, Math.min(MAX_REPORTED, failures.size()))) {
            message.append("\n\n").append(f);
        }
        fail(message.toString());
    }

    // ---- running CPython --------------------------------------------------------------------------

    private static List<Case> cases(long seed) {
        return CASES.computeIfAbsent(seed, DifferentialTest::generate);
    }

    private static List<Case> generate(long seed) {
        assumeTrue(pythonVersion() != null, "python3 (3.8 or later) is not on the PATH");
        Path script = findScript();
        int count = Integer.getInteger("picklejar.count", DEFAULT_COUNT);
        Path output = null;
        Path errors = null;
        try {
            // Output to files, not pipes: nothing can block, and the time-out below always holds.
            output = Files.createTempFile("random_graphs", ".out");
            errors = Files.createTempFile("random_graphs", ".err");
            ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), "--seed", Long.toString(seed),
                    "--count", Integer.toString(count));
            pb.environment().put("PYTHONHASHSEED", "0");
            pb.environment().put("PYTHONIOENCODING", "utf-8");
            pb.redirectOutput(output.toFile());
            pb.redirectError(errors.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")));
            Process process = pb.start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("random_graphs.py did not finish in 300 s");
            }
            int exit = process.exitValue();
            if (exit != 0) {
                fail("random_graphs.py exited with " + exit + ":\n" + Files.readString(errors));
            }
            List<Case> cases = parse(Files.readString(output, StandardCharsets.UTF_8));
            assertEquals(count * (Pickle.HIGHEST_PROTOCOL + 1), cases.size(), "lines printed by random_graphs.py");
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(output);
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private static List<Case> parse(String output) {
        List<Case> cases = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        int start = 0;
        while (start < output.length()) {
            int end = output.indexOf('\n', start); // only \n: a repr may hold other line breaks' escapes
            if (end < 0) {
                end = output.length();
            }
            String line = output.substring(start, end);
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", 4);
            assertEquals(4, f.length, () -> "malformed line from random_graphs.py: " + abbreviate(line, -1));
            cases.add(new Case(Integer.parseInt(f[0]), Integer.parseInt(f[1]), hex.parseHex(f[2]), f[3]));
        }
        return cases;
    }

    /** The script, whether the tests run from the module directory (as surefire does) or above it. */
    private static Path findScript() {
        List<Path> candidates = new ArrayList<>();
        String basedir = System.getProperty("basedir");
        if (basedir != null) {
            candidates.add(Path.of(basedir, SCRIPT));
        }
        Path here = Path.of("").toAbsolutePath();
        candidates.add(here.resolve(SCRIPT));
        candidates.add(here.resolve("core").resolve(SCRIPT));
        for (Path dir = here.getParent(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("core").resolve(SCRIPT));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        fail("random_graphs.py not found; looked at " + candidates);
        return null;
    }

    /** The version of python3 on the PATH (such as "3.11.7"), or null if there is none, or none of 3.8 or later. */
    private static synchronized String pythonVersion() {
        if (pythonVersion == null) {
            pythonVersion = "";
            try {
                Process p = new ProcessBuilder("python3", "-c",
                        "import sys, platform; print(platform.python_version()); sys.exit(sys.version_info < (3, 8))")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                } else if (p.exitValue() == 0) {
                    pythonVersion = out;
                }
            } catch (IOException e) {
                // no python3
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return pythonVersion.isEmpty() ? null : pythonVersion;
    }

    private static String pythonVersion;

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
