package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar show FILE} prints, one line per pickle, what Python's repr() prints for
 * {@code pickle.load} of each pickle in FILE: python3 writes the file and the expected lines.
 */
class ShowCommandTest {
    /** Writes pickles of every protocol to argv[1] and prints repr() of each, as repeated pickle.load gives them. */
    private static final String PYTHON = """
            import collections, datetime, decimal, pickle, sys, uuid
            values = [{'name': 'Alice', 'age': 25}, [1, 2.5, float('nan'), '한국어 \\ud800', b'\\x00\\xff', (1,), {1, 2}, None],
                      frozenset({3}), bytearray(b'x'), complex(1, -2), 2 ** 100, -0.0,
                      datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.timezone.utc), datetime.date(2026, 1, 2),
                      datetime.timedelta(days=-1, seconds=5), decimal.Decimal('1.10'), decimal.Decimal('-Infinity'),
                      uuid.UUID(int=7), collections.OrderedDict(a=1), collections.Counter('abca'), range(3)]
            with open(sys.argv[1], 'wb') as f:
                for p in range(6):
                    for v in values:
                        pickle.dump(v, f, p)
            with open(sys.argv[1], 'rb') as f:
                while f.peek(1):
                    sys.stdout.buffer.write((repr(pickle.load(f)) + '\\n').encode('utf-8'))
            """;

    @Test
    void printsWhatPythonsReprPrintsForEveryPickle(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("values.pickle");
        Process p = new ProcessBuilder("python3", "-c", PYTHON, file.toString()).start();
        String expected = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, "python3 failed");
        assertEquals(6 * 16, expected.lines().count());
        assertEquals(CommandLine.Run.of(0, expected, ""), CommandLine.run(null, "show", file.toString()));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(CommandLine.Run.of(0, expected, ""), CommandLine.run(new ByteArrayInputStream(bytes), "show", "-"));
    }

    @Test
    void python2StringsFollowTheEncodingOption() {
        // Python 2.7: cPickle.dumps(['caf\xe9'], 2) == '\x80\x02]q\x00U\x04caf\xe9q\x01a.'
        byte[] py2 = HexFormat.of().parseHex("80025d710055046361 66e97101612e".replace(" ", ""));
        // pickle.loads(data, encoding='latin1') -> ['café']; encoding='bytes' -> [b'caf\xe9']; ASCII raises.
        assertEquals("['café']\n", CommandLine.run(new ByteArrayInputStream(py2), "show", "--encoding", "latin1", "-").out());
        assertEquals("[b'caf\\xe9']\n", CommandLine.run(new ByteArrayInputStream(py2), "show", "--encoding", "bytes", "-").out());
        CommandLine.Run ascii = CommandLine.run(new ByteArrayInputStream(py2), "show", "-");
        assertEquals(2, ascii.exit());
        assertTrue(ascii.err().startsWith("picklejar: -: ") && ascii.err().contains("at byte 5, opcode SHORT_BINSTRING"),
                ascii.err());
    }

    @Test
    void aBrokenSecondPickleKeepsTheFirstLineAndExits2() {
        // pickle.dumps(1, 2) + the first 3 bytes of pickle.dumps('abc', 2)
        byte[] data = HexFormat.of().parseHex("80024b012e" + "800258");
        CommandLine.Run run = CommandLine.run(new ByteArrayInputStream(data), "show", "-");
        assertEquals(2, run.exit());
        assertEquals("1\n", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("truncated") && run.err().contains("at byte 7"), run.err());
    }

    @Test
    void badUsageIsOneLineAndExit2() {
        CommandLine.Run run = CommandLine.run(null, "show", "--no-such-option", "x");
        assertEquals(2, run.exit());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("show --help"), run.err());
        assertEquals(0, CommandLine.run(null, "show", "--help").exit());
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import pickle").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
