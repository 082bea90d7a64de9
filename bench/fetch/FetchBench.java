import dev.picklejar.fetch.FetchResult;
import dev.picklejar.fetch.Fetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * picklejar-fetch timed the way seed_fetch.py times the Python example: the same URLs, the same
 * concurrency, one fetcher for every round. Rounds are run unmeasured for WARMUP_SECONDS first (the
 * JIT needs some hundred thousand requests to compile Reactor Netty's hot paths), then the measured
 * ones. Prints the pages per second of each measured round, one number a line.
 *
 * <pre>java -cp CLASSPATH FetchBench.java URLS_FILE CONCURRENCY WARMUP_SECONDS ROUNDS</pre>
 */
public final class FetchBench {
    public static void main(String[] args) throws Exception {
        List<String> urls = Files.readAllLines(Path.of(args[0])).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        int concurrency = Integer.parseInt(args[1]);
        long warmupEnd = System.nanoTime() + (long) (Double.parseDouble(args[2]) * 1e9);
        int rounds = Integer.parseInt(args[3]);
        try (Fetcher fetcher = Fetcher.builder().concurrency(concurrency).retries(0).build()) {
            for (int measured = 0; measured < rounds; ) {
                long start = System.nanoTime();
                boolean warmingUp = start < warmupEnd;
                Map<String, FetchResult> pages = fetcher.fetchAll(urls).join();
                double seconds = (System.nanoTime() - start) / 1e9;
                long bad = pages.values().stream().filter(r -> r.status() == null || r.status() != 200).count();
                if (bad > 0) {
                    FetchResult first = pages.values().stream().filter(r -> !r.ok()).findFirst().orElseThrow();
                    throw new IllegalStateException(bad + " of " + urls.size() + " pages did not answer 200, such as " + first);
                }
                if (!warmingUp) {
                    System.out.printf("%.0f%n", urls.size() / seconds);
                    measured++;
                }
            }
        }
    }
}
