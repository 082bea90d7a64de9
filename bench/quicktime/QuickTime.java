import dev.picklejar.Pickle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A rough timer, not a benchmark: for each pickle file, the best of 20 loads and of 20 dumps at the
 * file's protocol after 10 warm-up runs each, and whether the dumps are the file's bytes again.
 * The measured comparison with CPython and Pyrolite is bench/run.sh.
 */
public class QuickTime {
    public static void main(String[] args) throws Exception {
        for (String file : args) {
            byte[] data = Files.readAllBytes(Path.of(file));
            int protocol = data[0] == (byte) 0x80 ? data[1] : 0;
            Object value = null;
            long load = Long.MAX_VALUE;
            for (int i = 0; i < 30; i++) {
                long t = System.nanoTime();
                value = Pickle.loads(data);
                load = i >= 10 ? Math.min(load, System.nanoTime() - t) : load;
            }
            byte[] out = null;
            long dump = Long.MAX_VALUE;
            for (int i = 0; i < 30; i++) {
                long t = System.nanoTime();
                out = Pickle.dumps(value, protocol);
                dump = i >= 10 ? Math.min(dump, System.nanoTime() - t) : dump;
            }
            System.out.printf("%s: loads %.1f ms, dumps %.1f ms (protocol %d), same bytes: %s%n",
                    Path.of(file).getFileName(), load / 1e6, dump / 1e6, protocol, Arrays.equals(out, data));
        }
    }
}
