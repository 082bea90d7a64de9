package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --shared-memo}: show, dis, convert and scan read a file written by one Python Pickler's
 * repeated dump() (its pickles share one memo) as one Unpickler's repeated load() reads it, and
 * as pickletools.dis lists it with one memo dict. The files and the expected output come from python3.
 */
class SharedMemoCommandsTest {
    /** One Pickler, several dumps that refer back to earlier ones; then the reprs of one Unpickler's loads. */
    private static final String WRITE = String.join("\n",
            "import collections, datetime, fractions, io, pickle, pickletools, sys, zoneinfo",
            "protocol = int(sys.argv[2])",
            "shared = {'k': 'v'}",
            "values = ['a', shared, ('t', shared), [shared, fractions.Fraction(1, 3)], collections.OrderedDict(a=shared),",
            "          datetime.datetime(2024, 7, 1, tzinfo=zoneinfo.ZoneInfo('Europe/Paris'))]",
            "with open(sys.argv[1], 'wb') as f:",
            "    p = pickle.Pickler(f, protocol)",
            "    for v in values:",
            "        p.dump(v)",
            "data = open(sys.argv[1], 'rb').read()",
            "f = io.BytesIO(data)",
            "u = pickle.Unpickler(f)",
            "while f.tell() < len(data):",
            "    print(repr(u.load()))",
            "f = io.BytesIO(data)",
            "memo = {}",
            "while f.tell() < len(data):",
            "    pickletools.dis(f, memo=memo)");

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void showDisConvertAndScanReadOnePicklersDumps(int protocol, @TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("dumps.pickle");
        String python = python(WRITE, file.toString(), Integer.toString(protocol));
        int listing = python.indexOf("    0: ");
        List<String> reprs = List.of(python.substring(0, listing).split("\n"));

        CommandLine.Run show = CommandLine.run(null, "show", "--shared-memo", file.toString());
        assertEquals(0, show.exit(), show.err());
        assertEquals(reprs, show.lines());

        CommandLine.Run dis = CommandLine.run(null, "dis", "--shared-memo", file.toString());
        assertEquals(0, dis.exit(), dis.err());
        assertEquals(python.substring(listing), dis.out());

        Path copy = dir.resolve("copy.pickle");
        CommandLine.Run convert = CommandLine.run(null, "convert", "--shared-memo", file.toString(), copy.toString());
        assertEquals(0, convert.exit(), convert.err());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(copy), "convert gives the very same bytes back");

        // Every pickle read, none unreadable (the verdicts on zoneinfo's getattr are the scanner's business).
        CommandLine.Run scan = CommandLine.run(null, "scan", "--shared-memo", "-v", file.toString());
        assertTrue(scan.exit() != 2 && scan.err().contains(": 6 pickles") && !scan.err().contains("picklejar: " + file),
                scan.out() + scan.err());
    }

    @Test
    void withoutTheOptionTheErrorSaysWhatToTry(@TempDir Path dir) throws IOException {
        // pickletools' _memo_test: x = [1, 2, 3]; p = pickle.Pickler(f, 2); p.dump(x); p.dump(x)
        Path file = dir.resolve("memo-test.pickle");
        Files.write(file, HexFormat.of().parseHex("80025d7100284b014b024b03652e800268002e"));
        CommandLine.Run show = CommandLine.run(null, "show", file.toString());
        assertEquals(2, show.exit());
        assertEquals(List.of("[1, 2, 3]"), show.lines());
        assertTrue(show.err().contains("try --shared-memo"), show.err());
        CommandLine.Run dis = CommandLine.run(null, "dis", file.toString());
        assertEquals(2, dis.exit());
        assertTrue(dis.err().contains("memo key 0 has never been stored into") && dis.err().contains("try --shared-memo"),
                dis.err());
        CommandLine.Run scan = CommandLine.run(null, "scan", file.toString());
        assertEquals(2, scan.exit());
        assertTrue(scan.err().contains("pickle 1: Memo value not found at index 0") && scan.err().contains("try --shared-memo"),
                scan.err());
        CommandLine.Run shared = CommandLine.run(null, "show", "--shared-memo", file.toString());
        assertEquals(List.of("[1, 2, 3]", "[1, 2, 3]"), shared.lines());
    }

    private static String python(String code, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", code));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("python3 did not finish in a minute");
        }
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private static boolean python3() {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import pickletools, zoneinfo").redirectErrorStream(true).start();
            probe.getOutputStream().close();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(1, TimeUnit.MINUTES) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
