package dev.picklejar.cli;

import dev.picklejar.cli.CommandLine.Run;
import static dev.picklejar.cli.CommandLine.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code picklejar dis FILE} prints what CPython's pickletools.dis prints for every pickle of FILE,
 * offsets counting from the start of the file: what python3 prints for
 * {@code while f.peek(1): pickletools.dis(f)} over the same file. The live tests skip without python3.
 */
class DisCommandTest {
    /** Pickles of several protocols, back to back, and the listing python3 prints for the file. */
    private static final String PYTHON = """
            import io, pickle, pickletools, sys
            values = [{'name': 'Alice', 'age': 25}, [1, 2.5, ' 한국어', b'\\x00\\xff', (1,), None, True, 2 ** 70],
                      ('nested', ['x'] * 3, {'k': {'j': []}}), 'it\\'s', -1.5e-300]
            data = b''.join(pickle.dumps(v, p) for p in range(6) for v in values)
            if len(sys.argv) > 2:
                data = data[:int(sys.argv[2])]
            with open(sys.argv[1], 'wb') as f:
                f.write(data)
            out = io.StringIO()
            try:
                with open(sys.argv[1], 'rb') as f:
                    while f.peek(1):
                        pickletools.dis(f, out)
            except Exception as e:
                out.write('\\n!%s: %s' % (type(e).__name__, e))
            sys.stdout.buffer.write(out.getvalue().encode('utf-8'))
            """;

    @Test
    void listsEveryPickleOfAFileAsPythonDoes(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("many.pickle");
        String expected = python(file);
        assertTrue(expected.endsWith("highest protocol among opcodes = 4\n") && !expected.contains("\n!"), expected);
        Run run = run(null, "dis", file.toString());
        assertEquals(Run.of(0, expected, ""), run);
    }

    @Test
    void aTruncatedFileEndsWithTheListingSoFarAndExit2(@TempDir Path dir) throws Exception {
        assumeTrue(python3(), "needs python3 on the PATH");
        Path file = dir.resolve("cut.pickle");
        String expected = python(file, 700);
        int error = expected.lastIndexOf("\n!");
        assertTrue(error >= 0, () -> "python3 should have failed on the truncated file:\n" + expected);
        Run run = run(null, "dis", file.toString());
        assertEquals(2, run.exit());
        assertEquals(expected.substring(0, error), run.out());
        // Cut inside BINUNICODE's argument: "ValueError: expected 1 bytes in a unicodestring4, but only 0 remain".
        String reason = expected.substring(error + 2);
        assertTrue(reason.startsWith("ValueError: "), reason);
        assertTrue(run.err().startsWith("picklejar: " + file + ": " + reason.substring("ValueError: ".length()) + " (at byte "),
                run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void readsStandardInputForADash() {
        // pickle.dumps({'a': 1}, 2) twice: CPython lists the second from offset 17.
        byte[] twice = HexFormat.of().parseHex("80027d710058010000006171014b01732e80027d710058010000006171014b01732e");
        Run run = run(new ByteArrayInputStream(twice), "dis", "-");
        assertEquals(Run.of(0, """
                    0: \\x80 PROTO      2
                    2: }    EMPTY_DICT
                    3: q    BINPUT     0
                    5: X    BINUNICODE 'a'
                   11: q    BINPUT     1
                   13: K    BININT1    1
                   15: s    SETITEM
                   16: .    STOP
                highest protocol among opcodes = 2
                   17: \\x80 PROTO      2
                   19: }    EMPTY_DICT
                   20: q    BINPUT     0
                   22: X    BINUNICODE 'a'
                   28: q    BINPUT     1
                   30: K    BININT1    1
                   32: s    SETITEM
                   33: .    STOP
                highest protocol among opcodes = 2
                """, ""), run);
    }

    @Test
    void aRefusedPickleSaysWhyOnOneLineAndExits2() {
        // Two ints, then STOP: CPython prints the listing, then raises ValueError: stack not empty after STOP: [int]
        byte[] pickle = HexFormat.of().parseHex("4b014b022e");
        Run run = run(new ByteArrayInputStream(pickle), "dis", "-");
        assertEquals(Run.of(2, """
                    0: K    BININT1    1
                    2: K    BININT1    2
                    4: .    STOP
                highest protocol among opcodes = 1
                """, "picklejar: -: stack not empty after STOP: [int] (at byte 4, opcode STOP)\n"), run);
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run run = run(new ByteArrayInputStream(new byte[] {'K'}), "dis", "--verbose", "-");
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("picklejar: -: not enough data in stream to read uint1 (at byte 0, opcode BININT1)\n"),
                run.err());
        assertTrue(run.err().contains("at dev.picklejar.Disassembler"), run.err());
    }

    @Test
    void aMissingFileIsExit2(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pickle");
        Run run = run(null, "dis", missing.toString());
        assertEquals(2, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("picklejar: " + missing + ": cannot open: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void helpSaysWhatItPrints() {
        Run run = run(null, "dis", "--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("pickletools.dis") && run.out().contains("--verbose"), run.out());
    }

    // ---------------------------------------------------------------------------------------

    /** Has python3 write the pickles to file (cut to the first {@code cut} bytes) and returns what it lists. */
    private static String python(Path file, int... cut) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", PYTHON, file.toString()));
        Arrays.stream(cut).forEach(n -> command.add(Integer.toString(n)));
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
            Process probe = new ProcessBuilder("python3", "-c", "import pickletools").redirectErrorStream(true).start();
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
