import dev.picklejar.Pickle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A rough timer, not a benchmark: for each pickle file, loads and dumps at the file's protocol
 * repeated for about 3 seconds each after a warm-up, printing the best run and the mean (the mean
 * includes the garbage collector's pauses, as JMH's average time does), and whether the dumps are
 * the file's bytes again. The measured comparison with CPython and Pyrolite is bench/run.sh.
 */
public class QuickTime {
    private static final long RUN_NANOS = Long.getLong("quicktime.seconds", 3) * 1_000_000_000L;

    public static void main(String[] args) throws Exception {
        for (String file : args) {
            byte[] data = Files.readAllBytes(Path.of(file));
            int protocol = data[0] == (byte) 0x80 ? data[1] : 0;
            Object[] value = {null};
            byte[][] out = {null};
            String loads = time(() -> value[0] = Pickle.loads(data));
            String dumps = time(() -> out[0] = Pickle.dumps(value[0], protocol));
            System.out.printf("%s: loads %s; dumps %s (protocol %d); same bytes: %s%n",
                    Path.of(file).getFileName(), loads, dumps, protocol, Arrays.equals(out[0], data));
        }
    }

    interface Run {
        void run() throws Exception;
    }

    private static String time(Run run) throws Exception {
        for (long end = System.nanoTime() + RUN_NANOS / 2; System.nanoTime() < end; ) {
            run.run();
        }
        long best = Long.MAX_VALUE;
        long start = System.nanoTime();
        int n = 0;
        long now = start;
        while (n < 5 || now - start < RUN_NANOS) {
            long t = now;
            run.run();
            now = System.nanoTime();
            best = Math.min(best, now - t);
            n++;
        }
        return String.format("best %.1f ms, mean %.1f ms of %d", best / 1e6, (now - start) / 1e6 / n, n);
    }
}
