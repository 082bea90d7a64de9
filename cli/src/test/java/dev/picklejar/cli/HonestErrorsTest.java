package dev.picklejar.cli;

import static dev.picklejar.cli.CommandLine.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.picklejar.cli.CommandLine.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that is not (only) pickles: {@code show} and {@code dis} exit 2 with one line on standard
 * error that names the file, the byte offset and what was wrong, after printing what CPython prints
 * (repeated {@code pickle.load} for show, {@code pickletools.dis} for dis) before it raises.
 */
class HonestErrorsTest {
    /** pickle.dumps(1, 4) by CPython 3.11. */
    private static final byte[] ONE = HexFormat.of().parseHex("80044b012e");

    @Test
    void anEmptyFileIsAnErrorAsEOFErrorIsInPython(@TempDir Path dir) throws IOException {
        Path empty = Files.write(dir.resolve("empty.pickle"), new byte[0]);
        assertEquals(Run.of(2, "", "picklejar: " + empty + ": empty, no pickle in it (Python's pickle.load raises "
                + "EOFError: Ran out of input)\n"), run(null, "show", empty.toString()));
        assertEquals(Run.of(2, "", "picklejar: " + empty + ": empty, no pickle in it (pickletools: pickle exhausted "
                + "before seeing STOP, at byte 0)\n"), run(null, "dis", empty.toString()));
    }

    @Test
    void aTextFileIsNotAPickle(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello world\nsecond line\n");
        Run show = run(null, "show", text.toString());
        assertEquals(Run.of(2, "", "picklejar: " + text + ": not a pickle: it looks like text, starting "
                + "b'hello world\\nsecond line\\n'; read as a pickle, Memo value not found at index 101 (at byte 0, "
                + "opcode BINGET)\n"), show);
        Run dis = run(null, "dis", text.toString());
        // pickletools prints the line of the opcode it then refuses.
        assertEquals(Run.of(2, "    0: h    BINGET     101\n", "picklejar: " + text + ": not a pickle: it looks like "
                + "text, starting b'hello world\\nsecond line\\n'; read as a pickle, memo key 101 has never been stored "
                + "into (at byte 0, opcode BINGET)\n"), dis);
    }

    @Test
    void zipGzipNumpyAndJsonAreNamed(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(ONE);
        }
        // show reads a torch checkpoint or .npz whole (a zip), so only dis names what it is.
        assertNamed(dir, "model.pt", zip.toByteArray(), new String[] {"dis"}, "a zip archive (PyTorch checkpoints and numpy .npz files are "
                + "zip archives: picklejar scan reads the pickles inside)");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(ONE);
        }
        assertNamed(dir, "data.pkl.gz", gz.toByteArray(), "gzip-compressed data (decompress it first, e.g. "
                + "gunzip -c FILE | picklejar show -)");
        assertNamed(dir, "data.json", "{\"name\": \"Alice\"}\n".getBytes(UTF_8),
                "JSON text (picklejar convert --from json reads JSON Lines)");
        assertNamed(dir, "data.pkl.bz2", HexFormat.of().parseHex("425a683931415926535900"), "bzip2-compressed data");
        assertNamed(dir, "data.pkl.xz", HexFormat.of().parseHex("fd377a585a000004e6d6b446"), "xz-compressed data");
    }

    @Test
    void aNumpyNpyFileIsNamed(@TempDir Path dir) throws Exception {
        assumeTrue(python("import numpy"), "needs python3 with numpy");
        Path npy = dir.resolve("a.npy");
        assertTrue(python("import numpy, sys; numpy.save(sys.argv[1], numpy.arange(3))", npy.toString()));
        // show reads a .npy file whole, so only dis names what it is.
        assertNamed(dir, "a.npy", Files.readAllBytes(npy), new String[] {"dis"}, "a numpy .npy array (numpy.load reads it;");
    }

    private static void assertNamed(Path dir, String name, byte[] content, String kind) throws IOException {
        assertNamed(dir, name, content, new String[] {"show", "dis"}, kind);
    }

    private static void assertNamed(Path dir, String name, byte[] content, String[] commands, String kind)
            throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        for (String command : commands) {
            Run run = run(null, command, file.toString());
            assertEquals(2, run.exit(), run.toString());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().startsWith("picklejar: " + file + ": not a pickle: it looks like " + kind), run.err());
            assertTrue(run.err().contains("; read as a pickle, ") && run.err().contains("(at byte 0"), run.err());
        }
    }

    @Test
    void bytesAfterTheLastPickleArePrintedAfterItsValueAndNamed(@TempDir Path dir) throws Exception {
        // Python's repeated pickle.load: 1, then ValueError: invalid literal for int() with base 10: 'arbage\n'
        Path file = Files.write(dir.resolve("junk.pickle"), concat(ONE, "garbage\n".getBytes(UTF_8)));
        String leftOver = "picklejar: " + file + ": 8 bytes (b'garbage\\n') after the STOP at byte 4 do not form a pickle: ";
        assertEquals(Run.of(2, "1\n", leftOver + "invalid literal for int() with base 0: 'arbage' (at byte 5, opcode GET)\n"),
                run(null, "show", file.toString()));
        // python3 -m pickletools lists the first pickle and stops; the left-over bytes are not listed.
        assertEquals(Run.of(2, """
                    0: \\x80 PROTO      4
                    2: K    BININT1    1
                    4: .    STOP
                highest protocol among opcodes = 2
                """, leftOver + "invalid literal for int() with base 10: b'arbage' (at byte 5, opcode GET)\n"),
                run(null, "dis", file.toString()));
        if (python("import pickle")) {
            assertTrue(python("""
                    import pickle, sys
                    f = open(sys.argv[1], 'rb')
                    assert pickle.load(f) == 1
                    try:
                        pickle.load(f)
                    except ValueError as e:
                        assert str(e) == "invalid literal for int() with base 10: 'arbage\\\\n'", str(e)
                    else:
                        raise AssertionError('loaded the garbage')
                    """, file.toString()), "python3 reads this file as the test says");
        }
    }

    @Test
    void aFewNulBytesAfterAPickleAreNamed(@TempDir Path dir) throws IOException {
        // Zero padding (a block device, a preallocated file): 0x00 is no opcode.
        Path file = Files.write(dir.resolve("padded.pickle"), concat(ONE, new byte[3]));
        String leftOver = "picklejar: " + file + ": 3 bytes (b'\\x00\\x00\\x00') after the STOP at byte 4 do not form a pickle: ";
        // CPython: _pickle.UnpicklingError: invalid load key, '\x00'.; pickletools: opcode b'\x00' unknown
        assertEquals(Run.of(2, "1\n", leftOver + "invalid load key, '\\x00' (at byte 5)\n"), run(null, "show", file.toString()));
        assertEquals(Run.of(2, """
                    0: \\x80 PROTO      4
                    2: K    BININT1    1
                    4: .    STOP
                highest protocol among opcodes = 2
                """, leftOver + "opcode b'\\x00' unknown (at byte 5)\n"), run(null, "dis", file.toString()));
    }

    @Test
    void showAndDisTakeSeveralFiles(@TempDir Path dir) throws IOException {
        Path a = Files.write(dir.resolve("a.pickle"), ONE);
        Path b = Files.write(dir.resolve("b.pickle"), concat(ONE, ONE));
        assertEquals(Run.of(0, "1\n1\n1\n", ""), run(null, "show", a.toString(), b.toString()));
        Run dis = run(null, "dis", a.toString(), b.toString());
        assertEquals(0, dis.exit(), dis.err());
        assertTrue(dis.out().startsWith("==> " + a + " <==\n    0: \\x80 PROTO      4\n"), dis.out());
        assertTrue(dis.out().contains("==> " + b + " <==\n    0: \\x80 PROTO      4\n"), dis.out());
        assertTrue(dis.out().contains("\n    5: \\x80 PROTO      4\n"), dis.out());
    }

    @Test
    void versionIsPrintedByTheCommandAndEverySubcommand() {
        for (String[] args : new String[][] {{"-V"}, {"--version"}, {"show", "-V"}, {"dis", "--version"},
            {"convert", "-V"}, {"scan", "-V"}, {"serve", "-V"}, {"send", "-V"}, {"fetch", "-V"}, {"demo", "-V"}}) {
            Run run = run(null, args);
            assertEquals(0, run.exit(), String.join(" ", args));
            assertTrue(run.out().matches("picklejar \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), String.join(" ", args) + ": " + run.out());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static boolean python(String code, String... args) {
        try {
            String[] command = new String[args.length + 3];
            command[0] = "python3";
            command[1] = "-c";
            command[2] = code;
            System.arraycopy(args, 0, command, 3, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            boolean ok = p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
            if (!ok && !out.contains("ModuleNotFoundError") && !code.startsWith("import ")) {
                System.err.println(out);
            }
            return ok;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
