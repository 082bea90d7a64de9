package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The default limits bound what one pickle may make the heap hold: a load that would not fit ends in
 * a PickleException, never an OutOfMemoryError. Run in a JVM of its own with a small heap.
 */
class BoundedMemoryTest {
    /** 10**8 APPENDs of None onto one list: 200 MB of pickle, 10**8 references once loaded. */
    static byte[] manyAppends(int n) {
        byte[] data = new byte[3 + 2 * n + 1];
        data[0] = (byte) 0x80;
        data[1] = 2;
        data[2] = ']';
        for (int i = 0; i < n; i++) {
            data[3 + 2 * i] = 'N';
            data[4 + 2 * i] = 'a';
        }
        data[data.length - 1] = '.';
        return data;
    }

    /** Loads manyAppends(10**8) and prints what came of it (run with -Xmx512m by the test). */
    public static void main(String[] args) {
        byte[] data = manyAppends(100_000_000);
        try {
            Object value = Pickle.loads(data);
            System.out.println("loaded " + ((List<?>) value).size());
        } catch (Throwable e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Test
    void aHundredMillionAppendsAtHalfAGigabyteOfHeapIsAPickleException() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath, BoundedMemoryTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        long limit = 512L * 1024 * 1024 / 32;
        assertTrue(out.matches("PickleException: pickle holds more than the limit of \\d+ values \\(Limits.maxItems; "
                + "the default is what the heap can hold, Runtime.maxMemory\\(\\) / 32\\) \\(at byte \\d+, opcode NONE\\)\n"),
                out);
        long said = Long.parseLong(out.replaceAll("^\\D*(\\d+) values.*\\s*$", "$1"));
        assertTrue(said <= limit && said > limit / 2, out);
    }

    @Test
    void maxItemsIsALimitLikeTheOthers() {
        byte[] data = manyAppends(1000);
        Unpickler small = Unpickler.builder().limits(Limits.defaults().withMaxItems(1000)).build();
        PickleException e = assertThrows(PickleException.class, () -> small.loads(data));
        assertEquals(2 + 1 + 2 * 999, e.offset());
        assertEquals(1000, ((List<?>) Unpickler.builder().limits(Limits.defaults().withMaxItems(1001)).build()
                .loads(data)).size());
        assertEquals(Long.MAX_VALUE, Limits.none().maxItems());
        assertEquals(Runtime.getRuntime().maxMemory() / 32, Limits.defaults().maxItems());
    }
}
