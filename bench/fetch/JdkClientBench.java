import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The JDK's own java.net.http.HttpClient on the same job, for comparison only (why picklejar-fetch
 * is built on Reactor Netty instead): sendAsync for every URL, at most CONCURRENCY in flight (a
 * semaphore), bodies decoded as strings, warmed up like FetchBench. Prints pages per second of each
 * measured round.
 *
 * <pre>java JdkClientBench.java URLS_FILE CONCURRENCY WARMUP_SECONDS ROUNDS</pre>
 */
public final class JdkClientBench {
    public static void main(String[] args) throws Exception {
        List<String> urls = Files.readAllLines(Path.of(args[0])).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        int concurrency = Integer.parseInt(args[1]);
        long warmupEnd = System.nanoTime() + (long) (Double.parseDouble(args[2]) * 1e9);
        int rounds = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int measured = 0; measured < rounds; ) {
            long start = System.nanoTime();
            boolean warmingUp = start < warmupEnd;
            Semaphore slots = new Semaphore(concurrency);
            List<CompletableFuture<HttpResponse<String>>> pages = new ArrayList<>(urls.size());
            for (String url : urls) {
                slots.acquire();
                pages.add(client.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> slots.release()));
            }
            for (CompletableFuture<HttpResponse<String>> page : pages) {
                if (page.join().statusCode() != 200) {
                    throw new IllegalStateException("a page did not answer 200: " + page.join().uri());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!warmingUp) {
                System.out.printf("%.0f%n", urls.size() / seconds);
                measured++;
            }
        }
    }
}
