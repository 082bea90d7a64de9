package dev.picklejar.cli;

import dev.picklejar.Pickle;
import dev.picklejar.fetch.Batch;
import dev.picklejar.fetch.FetchResult;
import dev.picklejar.fetch.Fetcher;
import dev.picklejar.fetch.ProgressListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code picklejar fetch}: downloads pages concurrently and writes their results as one pickled dict. */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Download every URL concurrently and write a pickled dict keyed by URL (in the order given) whose "
                + "values are dicts: status (int or None), text (str or None), bytes (bytes when the body is not "
                + "text), error (str or None), content_type, final_url, elapsed (seconds), attempts.",
            "A failing URL is recorded with its error, never fatal to the batch. A progress bar is drawn on "
                + "stderr when run in a terminal."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:every URL was downloaded (status below 400)",
            "1:one or more URLs failed (their 'error' is set: HTTP status 400 or more, no response, time-out...)",
            "2:bad usage, unreadable --urls file or unwritable output",
            "130:interrupted (Ctrl-C; 143 for SIGTERM): what was fetched is written, the rest marked 'cancelled'"})
final class FetchCommand implements Callable<Integer> {
    /**
     * Reactor Netty's and Netty's loggers, held so their level stays set (JUL keeps loggers weakly):
     * every failing URL is reported once, by the command, not again as a warning with a stack trace.
     */
    private static final List<Logger> NETWORK_LOGGERS = List.of(Logger.getLogger("reactor"), Logger.getLogger("io.netty"));

    @Spec
    CommandSpec spec;

    @Option(names = "--concurrency", defaultValue = "20", paramLabel = "N",
            description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--per-host", paramLabel = "N",
            description = "Requests in flight to one host (default: the --concurrency value).")
    Integer perHost;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Most time one URL may take, counted from its first request written to the connection to "
                + "the last byte of its answer, retries and redirects included; connecting first is bounded by "
                + "--connect-timeout instead (default: ${DEFAULT-VALUE}).")
    double timeout;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Most time to wait for each TCP connection, not counted in --timeout for a URL's first "
                + "connection (default: ${DEFAULT-VALUE}).")
    double connectTimeout;

    @Option(names = "--retries", defaultValue = "2", paramLabel = "N",
            description = "Retries after a connection error, 5xx or 429, with back-off (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--max-size", defaultValue = "16777216", paramLabel = "BYTES",
            description = "Largest body kept; a larger one is an error (default: ${DEFAULT-VALUE}).")
    long maxSize;

    @Option(names = {"-o", "--output"}, defaultValue = "fetch.pickle", paramLabel = "FILE",
            description = "Where to write the pickle; - for standard output (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--urls", paramLabel = "FILE",
            description = "Read the URLs from FILE, one per line (blank lines and # comments skipped); - for standard input.")
    String urlsFile;

    @Parameters(paramLabel = "URL", arity = "0..*", description = "The URLs to download (or --urls FILE).")
    List<String> urls = new ArrayList<>();

    @Override
    @SuppressWarnings("try") // the Signals resource is held, not used: closing it gives the signals back
    public Integer call() throws IOException {
        List<String> targets;
        try {
            targets = targets();
        } catch (UnreadableInput e) {
            System.err.println("picklejar: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        Fetcher.Builder options = options();
        Path out = output.equals("-") ? null : Path.of(output);
        if (out != null) {
            Path dir = out.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                System.err.println("picklejar: cannot write " + output + ": no writable directory " + dir);
                return Main.EXIT_BAD_INPUT;
            }
        }

        quietNetworkLogs();
        long start = System.nanoTime();
        Map<String, FetchResult> results;
        ProgressBar bar = System.console() != null ? new ProgressBar(System.err) : null;
        // Ctrl-C (or SIGTERM) cancels what is still running and writes what was fetched: the pages
        // already downloaded are kept, the rest say 'cancelled'; then the exit code is the signal's.
        AtomicReference<Batch> running = new AtomicReference<>();
        AtomicInteger stoppedBy = new AtomicInteger();
        try (Signals signals = Signals.onStop(code -> {
                stoppedBy.compareAndSet(0, code);
                Batch b = running.get();
                if (b != null) {
                    b.cancel();
                }
            });
             Fetcher fetcher = options.build()) {
            Batch batch = fetcher.fetchAll(targets, bar);
            running.set(batch);
            if (stoppedBy.get() != 0) {
                batch.cancel();
            }
            results = batch.join();
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        byte[] pickle = Pickle.dumps(FetchResult.toPython(results));
        try {
            write(pickle, out);
        } catch (IOException e) {
            System.err.println("picklejar: cannot write " + output + ": " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }

        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int failed = 0;
        for (FetchResult r : results.values()) {
            if (!r.ok()) {
                failed++;
                err.println("picklejar: " + r.url() + ": " + r.error());
            }
        }
        err.printf(Locale.ROOT, "picklejar: fetched %d URL%s in %.2f s: %d downloaded, %d failed; wrote %s%n",
                results.size(), results.size() == 1 ? "" : "s", seconds, results.size() - failed, failed,
                out == null ? "standard output" : output);
        if (stoppedBy.get() != 0) {
            err.println("picklejar: interrupted: the URLs not yet fetched are marked 'cancelled'");
            return stoppedBy.get();
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * Downloads the URLs concurrently with the command's defaults and returns every result, in the
     * order given (a URL given twice is fetched once). Starts no server; for callers such as
     * {@code demo}, which can pickle the answer with {@code Pickle.dumps(FetchResult.toPython(results))}.
     */
    static Map<String, FetchResult> download(List<String> urls, Duration timeout) {
        quietNetworkLogs();
        try (Fetcher fetcher = Fetcher.builder().timeout(timeout).build()) {
            return fetcher.fetchAll(urls).join();
        }
    }

    /**
     * Sends Reactor's log to java.util.logging (it prints to the console without SLF4J) and keeps
     * only severe records of both libraries. Must run before Reactor first logs.
     */
    static void quietNetworkLogs() {
        if (System.getProperty("reactor.logging.fallback") == null) {
            System.setProperty("reactor.logging.fallback", "JDK");
        }
        for (Logger logger : NETWORK_LOGGERS) {
            logger.setLevel(Level.SEVERE);
        }
    }

    private List<String> targets() throws UnreadableInput {
        if (urlsFile != null && !urls.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give URLs or --urls FILE, not both");
        }
        if (urlsFile == null) {
            if (urls.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no URL given (give URLs or --urls FILE)");
            }
            return urls;
        }
        List<String> list = new ArrayList<>();
        byte[] bytes;
        if (urlsFile.equals("-")) {
            try {
                bytes = System.in.readAllBytes();
            } catch (IOException e) {
                throw new UnreadableInput("cannot read URLs from standard input: " + e.getMessage());
            }
        } else {
            try (InputStream in = Files.newInputStream(Path.of(urlsFile))) {
                bytes = in.readAllBytes();
            } catch (NoSuchFileException e) {
                throw new UnreadableInput("cannot read --urls " + urlsFile + ": no such file");
            } catch (IOException e) {
                throw new UnreadableInput("cannot read --urls " + urlsFile + ": " + e.getMessage());
            }
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            String url = line.strip();
            if (!url.isEmpty() && !url.startsWith("#")) {
                list.add(url);
            }
        }
        if (list.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no URL in " + urlsFile);
        }
        return list;
    }

    private Fetcher.Builder options() {
        try {
            Fetcher.Builder b = Fetcher.builder()
                    .concurrency(concurrency)
                    .timeout(seconds(timeout, "--timeout"))
                    .connectTimeout(seconds(connectTimeout, "--connect-timeout"))
                    .retries(retries)
                    .maxBodySize(maxSize);
            if (perHost != null) {
                b.perHostConcurrency(perHost);
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static Duration seconds(double s, String option) {
        if (!(s > 0) || s > 1e9) {
            throw new IllegalArgumentException(option + " must be a positive number of seconds, not " + s);
        }
        return Duration.ofNanos(Math.max(1_000_000L, Math.round(s * 1e9)));
    }

    private static void write(byte[] pickle, Path out) throws IOException {
        if (out == null) {
            OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
            stdout.write(pickle);
            stdout.flush();
            return;
        }
        // Written beside the target then moved, so a reader never sees half a pickle.
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".fetch-", ".tmp");
        try {
            Files.write(tmp, pickle);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A list of URLs that cannot be read: one line on stderr and exit 2, not a usage message. */
    private static final class UnreadableInput extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableInput(String message) {
            super(message);
        }
    }

    /** A one-line progress bar redrawn on a terminal, at most every 100 ms. */
    static final class ProgressBar implements ProgressListener {
        private static final int WIDTH = 30;
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long lastDraw;
        private int failed;
        private boolean drawn;

        ProgressBar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void onResult(FetchResult result, int done, int total) {
            if (!result.ok()) {
                failed++;
            }
            long now = System.nanoTime();
            if (done == total || now - lastDraw > 100_000_000L) {
                lastDraw = now;
                err.print(line(done, total, failed, (now - start) / 1e9));
                err.flush();
                drawn = true;
            }
        }

        void finish() {
            if (drawn) {
                err.println();
            }
        }

        static String line(int done, int total, int failed, double seconds) {
            int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
            return String.format(Locale.ROOT, "\r[%s%s] %d/%d  %d failed  %.1f s ", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), done, total, failed, seconds);
        }
    }
}
