package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that would take more memory or output than any machine has: the command says so in one
 * line and exits 2, quickly, and never prints a stack trace.
 */
class ResourceLimitsTest {
    /**
     * A list holding one list twice, 60 levels deep, through the memo: BINPUT 0, POP, then per level
     * MARK, BINGET 0, BINGET 0, LIST, BINPUT 0, POP; then BINGET 0, STOP. 2**60 leaves once expanded.
     */
    static byte[] dagThroughMemo() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2, 'K', 1, 'q', 0, '0'});
        for (int i = 0; i < 60; i++) {
            b.writeBytes(new byte[] {'(', 'h', 0, 'h', 0, 'l', 'q', 0, '0'});
        }
        b.writeBytes(new byte[] {'h', 0, '.'});
        return b.toByteArray();
    }

    /** The same through DUP: 60 MARKs, 1, then 60 times DUP and LIST (each makes [v, v] of the v on top). */
    static byte[] dagThroughDup() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2});
        b.writeBytes("(".repeat(60).getBytes(UTF_8));
        b.writeBytes(new byte[] {'K', 1});
        b.writeBytes("2l".repeat(60).getBytes(UTF_8));
        b.write('.');
        return b.toByteArray();
    }

    @Test
    void showRefusesAnExponentialDagInOneLine() {
        for (byte[] dag : List.of(dagThroughMemo(), dagThroughDup())) {
            CommandLine.Run r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> CommandLine.run(new ByteArrayInputStream(dag), "show", "-"));
            assertEquals(2, r.exit());
            assertEquals("picklejar: -: the pickle at byte 0: its repr is longer than " + (100L * dag.length + 1_000_000)
                    + " characters (shared values repeat in a repr, as many times as they are reached)\n", r.err());
        }
    }

    @Test
    void convertToJsonRefusesAnExponentialDagInOneLine() {
        for (byte[] dag : List.of(dagThroughMemo(), dagThroughDup())) {
            CommandLine.Run r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> CommandLine.run(new ByteArrayInputStream(dag), "convert", "--to", "json", "-", "-"));
            assertEquals(2, r.exit());
            assertEquals("picklejar: <stdin>: pickle 1 (at byte 0): its JSON form has more than "
                    + (10L * dag.length + 1_000_000) + " values: values it shares (through the memo or DUP) are "
                    + "written out in full wherever they are referenced\n", r.err());
            assertTrue(r.bytes().length < 64 << 20, "wrote " + r.bytes().length + " bytes");
        }
    }

    /** A list of 64 bytes objects of 1 MiB each: 64 MiB that a 32 MiB heap cannot hold. */
    @Test
    void aPickleLargerThanTheHeapIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.pickle");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x80, 4, ']', '('});
            byte[] payload = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(new byte[] {'B', 0, 0, 0x10, 0});
                out.write(payload);
            }
            out.write(new byte[] {'e', '.'});
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String command : List.of("show", "scan", "dis")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
                    "-cp", classpath, "dev.picklejar.cli.Main", command, file.toString()).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            if (command.equals("dis")) {
                // pickletools.dis reads what it lists and keeps nothing: a 1 MiB argument at a time.
                assertEquals(0, p.exitValue(), err);
                continue;
            }
            assertEquals(2, p.exitValue(), command + ": " + err);
            assertEquals(1, err.lines().count(), command + ": " + err);
            assertTrue(err.startsWith("picklejar: ") && err.contains("out of memory"), command + ": " + err);
            assertEquals(0, out.length, command);
        }
    }
}
