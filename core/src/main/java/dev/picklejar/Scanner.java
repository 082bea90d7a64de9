package dev.picklejar;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Finds the code-execution tricks hidden in pickles without running them: reads every pickle in
 * a file, a directory (recursively, files scanned in parallel) or an archive with the reader's own
 * machine, stack and memo included, and reports every global imported and every call made, with a
 * {@link GlobalSafety} verdict and the byte offset. Immutable and thread-safe.
 *
 * <pre>{@code
 * ScanReport report = Scanner.standard().scan(Path.of("model.pt"));
 * if (report.dangerous()) report.findings().forEach(System.out::println);
 * }</pre>
 *
 * <p>What is read, by content whatever the name, as the loaders read it:
 * <ul>
 *   <li>pickles, one after another (a file starting with any opcode; in a directory or archive a
 *       file that only looks like a pickle and fails before importing anything is skipped: with
 *       nothing imported it cannot run anything);</li>
 *   <li>zip archives (PyTorch checkpoints, {@code .npz}, pandas' {@code .pkl.zip}), every member as
 *       the central directory and as the local headers list it, zips inside zips; the tensor bytes
 *       under a torch archive's {@code data/} are never read;</li>
 *   <li>legacy torch files (a magic-number pickle, then four more, then raw tensor bytes) and the
 *       older torch tar format ({@code sys_info}, {@code pickle}, {@code storages}, {@code tensors});</li>
 *   <li>{@code .npy} files (the pickle after the header of an object array);</li>
 *   <li>joblib files, whose pickles hold raw array bytes after each {@code NumpyArrayWrapper},
 *       skipped as joblib reads them (or scanned, for an object array's nested pickle);</li>
 *   <li>gzip and zlib streams (joblib's and pandas' compressions);</li>
 *   <li>bz2, xz, lzma (the raw {@code .lzma} format), zstd and lz4 streams, and zip members compressed
 *       with bzip2, lzma or xz (pandas' {@code .pkl.zip} may hold them), by a {@link Decompressor}
 *       the caller supplies for each through {@link Builder#decompressor(String, Decompressor)}: core has
 *       no dependencies, so without one such a file is reported unreadable, never clean. The
 *       {@code picklejar} command supplies bz2 and lz4 (Apache Commons Compress), xz and lzma
 *       (XZ for Java); zstd stays unreadable there (its decoders need native code).</li>
 * </ul>
 *
 * <p>A FRAME that lies about its length is reported dangerous wherever it is: {@code pickle.load(file)}
 * and {@code pickle.loads(bytes)} read such a pickle differently. The opcodes the lie hides from the
 * scanner's own reading (which is {@code loads}') are named too, by a second reading of the pickle's
 * bytes as {@code load(file)} consumes them, for a pickle that lies within the first 1 MiB of its
 * file or member. The bound exists because the scanner streams: it never holds a file or member
 * (a joblib pickle carries its arrays inline, a pickle may be gigabytes; a compressed or nested
 * stream cannot be read again), so it keeps only the first 1 MiB of what it reads for such second
 * readings. Past it, the lie itself is still reported dangerous, so such a file is never clean.
 *
 * <p>Bounds: each pickle by the {@link Limits}; each decompressed member or compressed file by
 * {@link Builder#maxEntryBytes(long)} and all of one scan together by {@link Builder#maxTotalBytes(long)}
 * (so a zip bomb, or a bomb in any of the compressions, ends in an error); archives and compressed
 * streams inside archives by {@link Builder#maxZipDepth(int)}.
 */
public final class Scanner {
    private static final Scanner STANDARD = builder().build();
    /** The first pickle of a legacy (non-zip) torch.save file. */
    private static final BigInteger TORCH_LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    /** Magic number, protocol version, system info, the object, the storage keys; raw bytes follow. */
    private static final int TORCH_LEGACY_PICKLES = 5;
    /** Marks the inert objects that persistent ids load as (compared by identity). */
    private static final PyGlobal PERSISTENT = new PyGlobal("<persistent-id>", "persistent_load");
    /** The module of the global a STACK_GLOBAL with names computed beyond recognition stands for. */
    static final String COMPUTED = "<computed name>";
    /** Calls on the results of calls are followed this far back to the global that started them. */
    private static final int MAX_CALL_CHAIN = 1000;
    private static final Set<String> PICKLE_SUFFIXES = Set.of(".pkl", ".pickle", ".pck", ".pcl", ".joblib");
    private static final Set<String> GETATTR = Set.of("builtins.getattr", "__builtin__.getattr");
    private static final Set<String> NUMPY_ARRAY_WRAPPERS = Set.of("joblib.numpy_pickle.NumpyArrayWrapper",
            "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper");
    private static final Pattern NPY_OBJECT = Pattern.compile("'[|<>=]?O\\d*'");

    private final Limits limits;
    private final long maxEntryBytes;
    private final long maxTotalBytes;
    private final int maxZipDepth;
    private final boolean keepSafe;
    private final int threads;
    private final boolean sharedMemo;
    private final Map<String, Decompressor> decompressors;

    private Scanner(Builder b) {
        this.limits = b.limits;
        this.maxEntryBytes = b.maxEntryBytes;
        this.maxTotalBytes = b.maxTotalBytes;
        this.maxZipDepth = b.maxZipDepth;
        this.keepSafe = b.keepSafe;
        this.threads = b.threads;
        this.sharedMemo = b.sharedMemo;
        this.decompressors = Map.copyOf(b.decompressors);
    }

    /** {@return a scanner with the default bounds} */
    public static Scanner standard() {
        return STANDARD;
    }

    /** {@return a builder with the defaults listed on its methods} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scans a file, or every file below a directory; failures are in the report, never thrown.
     * @param path a file or a directory
     * @return what was found
     */
    public ScanReport scan(Path path) {
        AtomicLong budget = new AtomicLong(maxTotalBytes);
        if (Files.isDirectory(path)) {
            return directory(path, budget);
        }
        Run run = new Run(budget);
        run.path(path);
        return run.report();
    }

    /**
     * Scans a stream of pickles or any format the scanner reads, named {@code name} in the report.
     * The stream is read to the end of what is scanned, not closed.
     * @param in the stream
     * @param name how the report names it
     * @return what was found
     */
    public ScanReport scan(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        Run run = new Run(new AtomicLong(maxTotalBytes));
        run.guard(name, null, () -> run.stream(in, name));
        return run.report();
    }

    /**
     * Scans bytes held in memory, named {@code name} in the report.
     * @param data the bytes
     * @param name how the report names them
     * @return what was found
     */
    public ScanReport scan(byte[] data, String name) {
        Run run = new Run(new AtomicLong(maxTotalBytes));
        run.files++;
        run.guard(name, null, () -> run.source(ScanSource.of(data), name, null, true, 0));
        return run.report();
    }

    /**
     * Decompresses a stream in one of the formats the scanner recognises but does not read itself,
     * registered with {@link Builder#decompressor(String, Decompressor)}. For example, with XZ for
     * Java: {@code builder.decompressor("xz", in -> new XZInputStream(in, 256 << 10))}.
     *
     * <p>The scanner counts the decompressed bytes against {@link Builder#maxEntryBytes(long)} and
     * {@link Builder#maxTotalBytes(long)} and stops reading at either bound, so a decompressor need
     * not bound its output; it should bound the memory it allocates for what a header asks (a
     * dictionary size). Whatever it throws, when opening or reading, makes the file unreadable
     * (with the findings made before the failure still reported), never clean. A directory scan
     * calls it from several threads at once, once per compressed file or member.
     */
    @FunctionalInterface
    public interface Decompressor {
        /**
         * The decompressed bytes of {@code compressed}, which starts at the format's first byte.
         * The scanner closes the stream returned; closing it may close {@code compressed}.
         *
         * @param compressed the compressed bytes, from the format's first byte; not null
         * @return the decompressed bytes, read to the end by the scanner
         * @throws IOException when the stream cannot be opened (a bad header, say); the scanner
         *     reports the file unreadable with the message
         */
        InputStream open(InputStream compressed) throws IOException;
    }

    /** The formats a {@link Decompressor} can be registered for, by the names the scanner reports them. */
    public static final Set<String> DECOMPRESSOR_FORMATS = Set.of("bz2", "xz", "lzma", "zstd", "lz4");

    /** Options for a {@link Scanner}. */
    public static final class Builder {
        private Limits limits = Limits.defaults();
        private long maxEntryBytes = 4L << 30;
        private long maxTotalBytes = 64L << 30;
        private int maxZipDepth = 3;
        private boolean keepSafe = true;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean sharedMemo;
        private final Map<String, Decompressor> decompressors = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Reads files and members compressed in {@code format} ({@code "bz2"}, {@code "xz"},
         * {@code "lzma"} for the raw {@code .lzma} format, {@code "zstd"} or {@code "lz4"} for the
         * lz4 frame format: see {@link #DECOMPRESSOR_FORMATS}) through {@code decompressor}, which
         * replaces any registered before for that format. gzip and zlib are always read. Without a
         * decompressor for its format, a compressed file is reported unreadable.
         *
         * @param format the format's name, one of {@link #DECOMPRESSOR_FORMATS}
         * @param decompressor opens a stream of that format; not null
         * @return this builder
         * @throws IllegalArgumentException when {@code format} is none of those
         */
        public Builder decompressor(String format, Decompressor decompressor) {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(decompressor, "decompressor");
            if (!DECOMPRESSOR_FORMATS.contains(format)) {
                throw new IllegalArgumentException("no decompressor is needed or used for \"" + format
                        + "\": the formats are " + new java.util.TreeSet<>(DECOMPRESSOR_FORMATS));
            }
            decompressors.put(format, decompressor);
            return this;
        }

        /**
         * Read the pickles of each file with one memo, as one CPython Unpickler's repeated load()
         * reads what one Pickler's repeated dump() wrote (see {@link Unpickler.Builder#sharedMemo}).
         * @param sharedMemo true to keep one memo across the pickles of a file
         * @return this builder
         */
        public Builder sharedMemo(boolean sharedMemo) {
            this.sharedMemo = sharedMemo;
            return this;
        }

        /**
         * The bounds on each pickle (default {@link Limits#defaults()}).
         * @param limits the bounds; not null
         * @return this builder
         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Most decompressed bytes read from one archive member or compressed file (default 4 GiB).
         * @param maxEntryBytes the most bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxEntryBytes} is less than 1
         */
        public Builder maxEntryBytes(long maxEntryBytes) {
            if (maxEntryBytes < 1) {
                throw new IllegalArgumentException("maxEntryBytes must be positive");
            }
            this.maxEntryBytes = maxEntryBytes;
            return this;
        }

        /**
         * Most decompressed bytes read from all archive members of one scan (default 64 GiB).
         * @param maxTotalBytes the most bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxTotalBytes} is less than 1
         */
        public Builder maxTotalBytes(long maxTotalBytes) {
            if (maxTotalBytes < 1) {
                throw new IllegalArgumentException("maxTotalBytes must be positive");
            }
            this.maxTotalBytes = maxTotalBytes;
            return this;
        }

        /**
         * How deeply archives inside archives are opened (default 3; 1 opens none inside another).
         * @param maxZipDepth how many levels of archives are opened, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxZipDepth} is less than 1
         */
        public Builder maxZipDepth(int maxZipDepth) {
            if (maxZipDepth < 1) {
                throw new IllegalArgumentException("maxZipDepth must be at least 1");
            }
            this.maxZipDepth = maxZipDepth;
            return this;
        }

        /**
         * Whether findings judged safe are kept in the report (default true). A pickle of many
         * standard values (a list of a million datetimes) makes a finding per value; a scan that
         * only needs the verdict can leave them out.
         * @param keepSafe false to leave safe findings out
         * @return this builder
         */
        public Builder keepSafe(boolean keepSafe) {
            this.keepSafe = keepSafe;
            return this;
        }

        /**
         * How many files of a directory are scanned at once (default: the number of cores).
         * @param threads how many files at once, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code threads} is less than 1
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /** {@return a scanner with these options} */
        public Scanner build() {
            return new Scanner(this);
        }
    }

    /** What the first bytes of a file or member say it is. */
    private enum Content {
        ZIP, NPY, GZIP, ZLIB, TAR, PICKLE, MAYBE_PICKLE, OTHER,
        BZ2("bz2"), XZ("xz"), LZMA("lzma"), ZSTD("zstd"), LZ4("lz4");

        /** The compression picklejar recognises but does not decompress. */
        final String unsupported;

        Content() {
            this(null);
        }

        Content(String unsupported) {
            this.unsupported = unsupported;
        }

        static final int HEAD = 512;

        static Content of(byte[] h) {
            int n = h.length;
            if (n >= 4 && h[0] == 'P' && h[1] == 'K' && (h[2] == 3 && h[3] == 4 || h[2] == 5 && h[3] == 6)) {
                return ZIP;
            }
            if (n >= 6 && (h[0] & 0xff) == 0x93 && h[1] == 'N' && h[2] == 'U' && h[3] == 'M' && h[4] == 'P'
                    && h[5] == 'Y') {
                return NPY;
            }
            if (n >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            if (n >= 2 && h[0] == 0x78 && ((h[0] & 0xff) << 8 | (h[1] & 0xff)) % 31 == 0) {
                return ZLIB;
            }
            if (n >= 2 && h[0] == 'Z' && h[1] == 'F') {
                return ZLIB; // joblib before 0.10: "ZF", a 16-byte length field, then zlib
            }
            if (n >= 4 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' && h[3] >= '1' && h[3] <= '9') {
                return BZ2;
            }
            if (n >= 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z' && h[5] == 0) {
                return XZ;
            }
            if (n >= 3 && h[0] == 0x5d && h[1] == 0 && h[2] == 0) {
                return LZMA;
            }
            if (n >= 4 && h[0] == 0x28 && (h[1] & 0xff) == 0xb5 && h[2] == 0x2f && (h[3] & 0xff) == 0xfd) {
                return ZSTD;
            }
            if (n >= 4 && h[0] == 0x04 && h[1] == 0x22 && h[2] == 0x4d && h[3] == 0x18) {
                return LZ4;
            }
            if (n >= 262 && h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r') {
                return TAR;
            }
            if (n >= 2 && (h[0] & 0xff) == Opcode.PROTO.code() && h[1] >= 0 && h[1] <= Pickle.HIGHEST_PROTOCOL) {
                return PICKLE;
            }
            if (n >= 1 && Opcode.forCode(h[0] & 0xff) != null) {
                return MAYBE_PICKLE;
            }
            return OTHER;
        }
    }

    /** Whether a read failure is an error (the input was meant as pickles) or a sign of other content. */
    private enum Mode {
        /** Named directly, by a pickle suffix, or in a format that holds pickles: any failure is an error. */
        REQUIRED,
        /** Found by its content: a failure before any finding means it is not a pickle. */
        SNIFFED
    }

    private ScanReport directory(Path root, AtomicLong budget) {
        Run listing = new Run(budget);
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    listing.errors.add(new ScanError(file.toString(), null, -1, -1, "cannot read: " + describe(e)));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            listing.errors.add(new ScanError(root.toString(), null, -1, -1, "cannot list: " + describe(e)));
        }
        Collections.sort(files);
        List<Run> runs = new ArrayList<>();
        if (threads == 1 || files.size() < 2) {
            for (Path file : files) {
                Run run = new Run(budget);
                run.guard(file.toString(), null, () -> run.file(file, false));
                runs.add(run);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()), r -> {
                Thread t = new Thread(r, "picklejar-scan");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Run>> futures = new ArrayList<>();
                for (Path file : files) {
                    futures.add(pool.submit(() -> {
                        Run run = new Run(budget);
                        run.guard(file.toString(), null, () -> run.file(file, false));
                        return run;
                    }));
                }
                for (Future<Run> f : futures) {
                    runs.add(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listing.errors.add(new ScanError(root.toString(), null, -1, -1, "interrupted"));
            } catch (ExecutionException e) {
                listing.errors.add(new ScanError(root.toString(), null, -1, -1, "scan failed: " + describe(e.getCause())));
            } finally {
                pool.shutdownNow();
            }
        }
        for (Run run : runs) {
            listing.findings.addAll(run.findings);
            listing.errors.addAll(run.errors);
            run.pickles.forEach((k, v) -> listing.pickles.merge(k, v, Integer::sum));
            listing.skipped.addAll(run.skipped);
            listing.files += run.files;
        }
        return listing.report();
    }

    /** Work that may fail: what the scanner can say, a stream or a parser can still throw. */
    private interface Step {
        void run() throws IOException;
    }

    /** The scan of one file (or stream): what it found so far, and the bytes it may still decompress. */
    private final class Run {
        private final List<ScanFinding> findings = new ArrayList<>();
        private final List<ScanError> errors = new ArrayList<>();
        private final Map<String, Integer> pickles = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();
        private final AtomicLong budget;
        /** Findings made so far, kept or not. */
        private long seen;
        private int files;

        Run(AtomicLong budget) {
            this.budget = budget;
        }

        private void add(ScanFinding finding) {
            seen++;
            if (keepSafe || finding.verdict() != GlobalSafety.SAFE) {
                findings.add(finding);
            }
        }

        ScanReport report() {
            return new ScanReport(findings, errors, pickles, skipped, files);
        }

        /** Runs a step; whatever it throws becomes an error of {@code path!entry}, never the caller's. */
        void guard(String path, String entry, Step step) {
            try {
                step.run();
            } catch (IOException | UncheckedIOException e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                errors.add(new ScanError(path, entry, -1, -1, cannotRead(cause)));
            } catch (PickleException e) {
                errors.add(new ScanError(path, entry, -1, e.offset(), e.getMessage()));
            } catch (RuntimeException | StackOverflowError e) {
                errors.add(new ScanError(path, entry, -1, -1, "cannot read: " + describe(e)));
            }
        }

        void path(Path path) {
            String name = path.toString();
            if (Files.isRegularFile(path)) {
                guard(name, null, () -> file(path, true));
            } else if (!Files.exists(path)) {
                errors.add(new ScanError(name, null, -1, -1, "no such file or directory"));
            } else {
                errors.add(new ScanError(name, null, -1, -1, "not a regular file or directory"));
            }
        }

        void file(Path file, boolean named) throws IOException {
            files++;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                source(ScanSource.of(channel), file.toString(), null, named, 0);
            }
        }

        void stream(InputStream in, String name) throws IOException {
            files++;
            BufferedInputStream buffered = new BufferedInputStream(new Unclosable(in), 1 << 16);
            Content content = Content.of(peek(buffered));
            if (content == Content.ZIP) {
                // A zip's directory is at its end: read it whole, within the member bound.
                source(ScanSource.of(readBounded(buffered, name, null)), name, null, true, 0);
            } else {
                stream(buffered, name, null, true, 0);
            }
        }

        /** Random-access bytes: a zip is read through its directory, anything else as a stream. */
        void source(ScanSource source, String path, String entry, boolean required, int depth) throws IOException {
            Content content = Content.of(source.readAt(0, Content.HEAD));
            if (content == Content.ZIP) {
                zip(source, path, entry, depth);
            } else {
                try (InputStream in = source.open(0, source.size())) {
                    stream(new BufferedInputStream(in, 1 << 16), path, entry, required, depth);
                }
            }
        }

        /** A buffered stream whose format is told by its first bytes. */
        void stream(BufferedInputStream in, String path, String entry, boolean required, int depth) throws IOException {
            String location = ScanReport.location(path, entry);
            Content content = Content.of(peek(in));
            if (content.unsupported != null) {
                Decompressor decompressor = decompressors.get(content.unsupported);
                if (decompressor == null) {
                    errors.add(new ScanError(path, entry, -1, -1, "unreadable: compressed with " + content.unsupported
                            + ", which picklejar does not decompress (core has no dependencies; no decompressor"
                            + " was given for it); not scanned"));
                } else if (depth + 1 >= maxZipDepth && depth > 0) {
                    skipped.add(location);
                } else {
                    decompressed(decompressor, content.unsupported, in, path, entry, depth);
                }
                return;
            }
            switch (content) {
                case ZIP -> {
                    if (depth + 1 >= maxZipDepth && depth > 0) {
                        skipped.add(location);
                        return;
                    }
                    source(ScanSource.of(readBounded(in, path, entry)), path, entry, required, depth + 1);
                }
                case GZIP, ZLIB -> {
                    if (depth + 1 >= maxZipDepth && depth > 0) {
                        skipped.add(location);
                        return;
                    }
                    InputStream raw = content == Content.GZIP ? new GZIPInputStream(in, 1 << 16) : zlib(in);
                    Bounded bounded = new Bounded(raw);
                    // A compressed file holds what its loader (joblib, pandas) unpickles: required.
                    stream(new BufferedInputStream(bounded, 1 << 16), path, entry, true, depth + 1);
                }
                case NPY -> npy(in, path, entry);
                case TAR -> tar(in, path, entry, depth);
                case PICKLE, MAYBE_PICKLE -> {
                    boolean must = required || hasPickleSuffix(entry != null ? entry : path);
                    pickles(in, path, entry, must ? Mode.REQUIRED : Mode.SNIFFED, 0);
                }
                default -> {
                    boolean must = required || hasPickleSuffix(entry != null ? entry : path);
                    if (must) {
                        errors.add(new ScanError(path, entry, -1, 0, "neither a pickle nor a format that holds"
                                + " pickles (it starts with " + hexHead(peek(in)) + ")"));
                    } else {
                        skipped.add(location);
                    }
                }
            }
        }

        /** A stream in a format a caller's decompressor reads: what it holds, loaders unpickle. */
        private void decompressed(Decompressor decompressor, String format, BufferedInputStream in, String path,
                String entry, int depth) throws IOException {
            InputStream raw;
            try {
                raw = decompressor.open(new Unclosable(in));
                Objects.requireNonNull(raw, "the " + format + " decompressor returned null");
            } catch (IOException | RuntimeException e) {
                // A decoder may read its first block on opening: a cut or corrupt start shows here.
                errors.add(new ScanError(path, entry, -1, 0, "unreadable: the " + format + " stream cannot be read"
                        + " from its start: " + describe(e)));
                return;
            }
            try (Decompressed decompressed = new Decompressed(raw, format)) {
                stream(new BufferedInputStream(new Bounded(decompressed), 1 << 16), path, entry, true, depth + 1);
            }
        }

        /** A zip read through its central directory and its local headers, member by member. */
        private void zip(ScanSource zip, String path, String prefix, int depth) throws IOException {
            List<ZipMembers.Member> members;
            try {
                members = ZipMembers.list(zip);
            } catch (IOException | RuntimeException e) {
                errors.add(new ScanError(path, prefix, -1, -1, "not a readable zip archive: " + describe(e)));
                return;
            }
            Set<String> torchRoots = new HashSet<>();
            for (ZipMembers.Member m : members) {
                addTorchRoot(m.name(), torchRoots);
                if (m.localName() != null) {
                    addTorchRoot(m.localName(), torchRoots);
                }
            }
            for (ZipMembers.Member m : members) {
                String entry = prefix == null ? m.name() : prefix + "!" + m.name();
                boolean storage = isTorchStorage(m.name(), torchRoots)
                        && (m.localName() == null || isTorchStorage(m.localName(), torchRoots));
                if (m.isDirectory() || storage && m.error() == null) {
                    continue;
                }
                if (m.error() != null) {
                    errors.add(new ScanError(path, entry, -1, -1, "unreadable member: " + m.error()));
                    continue;
                }
                if (budget.get() <= 0) {
                    errors.add(new ScanError(path, entry, -1, -1, budgetMessage()));
                    return;
                }
                guard(path, entry, () -> {
                    if (m.method() == 0) {
                        ScanSource stored = zip.slice(m.dataOffset(), m.compressedSize());
                        Content inner = Content.of(stored.readAt(0, Content.HEAD));
                        if (inner == Content.ZIP) {
                            if (depth + 1 >= maxZipDepth) {
                                skipped.add(ScanReport.location(path, entry));
                            } else {
                                zip(stored, path, entry, depth + 1);
                            }
                            return;
                        }
                    }
                    try (InputStream in = openMember(zip, m)) {
                        Bounded bounded = new Bounded(in);
                        BufferedInputStream buffered = new BufferedInputStream(bounded, 1 << 16);
                        if (Content.of(peek(buffered)) == Content.ZIP && depth + 1 >= maxZipDepth) {
                            skipped.add(ScanReport.location(path, entry));
                            return;
                        }
                        stream(buffered, path, entry, false, depth);
                    }
                });
            }
        }

        /**
         * A member's bytes: stored and deflated ones as ZipMembers reads them; bzip2, lzma and xz
         * ones (Python's zipfile writes the first two) through the caller's decompressors.
         */
        private InputStream openMember(ScanSource zip, ZipMembers.Member m) throws IOException {
            String format = switch (m.method()) {
                case 12 -> "bz2";
                case 14 -> "lzma";
                case 95 -> "xz";
                default -> null;
            };
            Decompressor decompressor = format == null || m.error() != null ? null : decompressors.get(format);
            if (decompressor == null) {
                return ZipMembers.open(zip, m);
            }
            InputStream raw = zip.open(m.dataOffset(), m.compressedSize());
            try {
                InputStream out = decompressor.open(m.method() == 14 ? lzmaAlone(raw) : raw);
                return new Decompressed(Objects.requireNonNull(out, "the " + format + " decompressor returned null"),
                        format);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw new IOException("unreadable: the " + format + " stream cannot be read from its start: "
                        + describe(e), e);
            }
        }

        /** numpy's .npy: a header, then, for an array of objects, the pickle np.load unpickles. */
        private void npy(BufferedInputStream in, String path, String entry) throws IOException {
            byte[] magic = in.readNBytes(8);
            int major = magic.length == 8 ? magic[6] & 0xff : -1;
            int headerLength;
            if (major == 1) {
                byte[] n = in.readNBytes(2);
                headerLength = n.length == 2 ? (n[0] & 0xff) | (n[1] & 0xff) << 8 : -1;
            } else if (major == 2 || major == 3) {
                byte[] n = in.readNBytes(4);
                headerLength = n.length == 4 ? (n[0] & 0xff) | (n[1] & 0xff) << 8 | (n[2] & 0xff) << 16
                        | (n[3] & 0x7f) << 24 : -1;
            } else {
                errors.add(new ScanError(path, entry, -1, 6, "unreadable .npy: format version " + major));
                return;
            }
            byte[] header = headerLength < 0 ? new byte[0] : in.readNBytes(Math.min(headerLength, 1 << 20));
            if (headerLength < 0 || header.length < headerLength) {
                errors.add(new ScanError(path, entry, -1, 8, "unreadable .npy: the header is cut short"));
                return;
            }
            String text = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1);
            int descr = text.indexOf("'descr'");
            int shape = text.indexOf("'shape'");
            int fortran = text.indexOf("'fortran_order'");
            if (descr < 0 || shape < 0 || fortran < 0) {
                errors.add(new ScanError(path, entry, -1, 8, "unreadable .npy: the header names no descr, shape"
                        + " and fortran_order"));
                return;
            }
            if (NPY_OBJECT.matcher(text).find()) {
                long start = magic.length + (major == 1 ? 2 : 4) + headerLength;
                pickles(in, path, entry, Mode.REQUIRED, start);
            } else {
                // Plain numbers: np.load reads them as bytes and unpickles nothing.
                pickles.merge(ScanReport.location(path, entry), 0, Integer::sum);
            }
        }

        /** A tar archive, member by member; torch's first format keeps raw tensor bytes between pickles. */
        private void tar(BufferedInputStream in, String path, String prefix, int depth) throws IOException {
            String longName = null;
            String paxName = null;
            long paxSize = -1;
            while (true) {
                byte[] h = in.readNBytes(512);
                if (h.length < 512 || allZero(h)) {
                    return;
                }
                String name = paxName != null ? paxName : longName != null ? longName : tarName(h);
                long size = paxSize >= 0 ? paxSize : octal(h, 124, 12);
                char type = (char) h[156];
                paxName = null;
                longName = null;
                paxSize = -1;
                if (size < 0) {
                    errors.add(new ScanError(path, prefix, -1, -1, "unreadable tar: member " + name + " has no size"));
                    return;
                }
                long padded = (size + 511) / 512 * 512;
                String entry = prefix == null ? name : prefix + "!" + name;
                if (type == 'x' || type == 'L') {
                    byte[] meta = in.readNBytes((int) Math.min(size, 1 << 20));
                    in.skipNBytes(padded - meta.length);
                    if (type == 'L') {
                        longName = new String(meta, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "");
                    } else {
                        for (String record : new String(meta, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                            int eq = record.indexOf('=');
                            int sp = record.indexOf(' ');
                            if (eq > sp && sp >= 0) {
                                String key = record.substring(sp + 1, eq);
                                String value = record.substring(eq + 1);
                                if (key.equals("path")) {
                                    paxName = value;
                                } else if (key.equals("size")) {
                                    paxSize = Long.parseLong(value.trim());
                                }
                            }
                        }
                    }
                    continue;
                }
                if (type != '0' && type != 0 && type != '7') {
                    in.skipNBytes(padded);
                    continue;
                }
                InputStream member = new BoundedLength(in, size);
                BufferedInputStream buffered = new BufferedInputStream(member, 1 << 16);
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (base.equals("storages") || base.equals("tensors")) {
                    guard(path, entry, () -> torchTarMember(buffered, path, entry, base.equals("storages")));
                } else {
                    guard(path, entry, () -> stream(buffered, path, entry, base.equals("pickle")
                            || base.equals("sys_info"), depth + 1));
                }
                member.skipNBytes(Math.max(0, ((BoundedLength) member).left()));
                in.skipNBytes(padded - size);
            }
        }

        /**
         * torch's tar format: {@code storages} is a count, then per storage a pickle and its raw
         * bytes (an 8-byte element count, then the elements), then a pickle of views;
         * {@code tensors} is a count, then per tensor a pickle and its fixed-size metadata.
         */
        private void torchTarMember(BufferedInputStream in, String path, String entry, boolean storages)
                throws IOException {
            Observer observer = new Observer(path, entry, 0);
            Unpickler unpickler = unpickler(observer);
            String location = ScanReport.location(path, entry);
            int count = 0;
            Object n = unpickler.load(in);
            count++;
            if (!(n instanceof Integer total) || total < 0) {
                throw new IOException("the count of " + (storages ? "storages" : "tensors") + " is not an int");
            }
            for (int i = 0; i < total; i++) {
                observer.pickle = count;
                Object args = unpickler.load(in);
                count++;
                if (storages) {
                    int size = args instanceof PyTuple t && t.size() >= 3 && t.get(2) instanceof PyGlobal g
                            ? torchElementSize(g) : -1;
                    if (size < 0) {
                        throw new IOException("storage " + i + " has no known storage type: " + args);
                    }
                    long elements = readLongLittleEndian(in);
                    skipExactly(in, Math.multiplyExact(elements, size));
                } else {
                    long ndim = readIntLittleEndian(in);
                    skipExactly(in, 4 + 16 * Math.max(0, ndim) + 8);
                }
            }
            if (storages) {
                observer.pickle = count;
                unpickler.load(in);
                count++;
            }
            pickles.merge(location, count, Integer::sum);
        }

        private Unpickler unpickler(Observer observer) {
            return Unpickler.builder()
                    .encoding("latin1")
                    .limits(limits)
                    .persistentLoad(pid -> PyObject.reduce(PERSISTENT, PyTuple.of(pid)))
                    .lenient(true)
                    .sharedMemo(sharedMemo)
                    .observer(observer)
                    .build();
        }

        /** Reads the pickles of one file or member one after another, reporting what they import and call. */
        private void pickles(InputStream in, String path, String entry, Mode mode, long base) {
            String location = ScanReport.location(path, entry);
            Observer observer = new Observer(path, entry, base);
            Tee tee = new Tee(in);
            PickleStream stream = unpickler(observer).open(tee);
            int count = 0;
            int most = Integer.MAX_VALUE;
            boolean laterFailed = false;
            while (count < most) {
                observer.pickle = count;
                long before = seen;
                long start = stream.offset();
                try {
                    if (!stream.hasNext()) {
                        break;
                    }
                    Object value;
                    try {
                        value = stream.next();
                    } finally {
                        if (observer.frameLied) {
                            observer.frameLied = false;
                            fileModeReading(tee, start, path, entry, base, count);
                        }
                    }
                    count++;
                    if (count == 1 && TORCH_LEGACY_MAGIC.equals(value)) {
                        most = TORCH_LEGACY_PICKLES;
                    }
                } catch (PickleException | UncheckedIOException e) {
                    laterFailed = count > 0;
                    String exceeded = budgetExceeded(e);
                    if (mode == Mode.SNIFFED && seen == before && exceeded == null && count == 0) {
                        // Content that only looked like a pickle.
                        skipped.add(location);
                        break;
                    }
                    if (mode == Mode.SNIFFED && seen == before && exceeded == null) {
                        break; // bytes after the last pickle of a file found by its content
                    }
                    String message = exceeded != null ? exceeded
                            : e instanceof PickleException p ? p.getMessage() : cannotRead(e.getCause());
                    long offset = e instanceof PickleException p && exceeded == null ? base + p.offset() : -1;
                    errors.add(new ScanError(path, entry, count, offset, message));
                    count++;
                    break;
                }
            }
            if (laterFailed && tee.size() < Tee.LIMIT) {
                sharedMemoReading(tee, path, entry, base, count);
            }
            if (count == 0 && mode == Mode.REQUIRED) {
                errors.add(new ScanError(path, entry, 0, base, "empty: no pickle at all"));
            }
            if (count > 0) {
                pickles.merge(location, count, Integer::sum);
            }
        }

        /**
         * Reads a pickle whose frames lie a second time, as {@code pickle.load(file)} consumes it, and
         * reports what that reading finds beyond the first: the opcodes the frames hid.
         */
        private void fileModeReading(Tee tee, long start, String path, String entry, long base, int pickle) {
            if (start > Integer.MAX_VALUE || start >= tee.size()) {
                return;
            }
            FileModeFrames.View view = FileModeFrames.linearize(tee.bytes(), (int) start, tee.size() - (int) start);
            Set<String> known = new HashSet<>();
            for (ScanFinding f : findings) {
                if (f.pickle() == pickle && Objects.equals(f.entry(), entry) && f.path().equals(path)) {
                    known.add(f.offset() + " " + f.opcode() + " " + f.global() + " " + f.call());
                }
            }
            Observer second = new Observer(path, entry, base, view);
            second.pickle = pickle;
            int first = findings.size();
            try {
                unpickler(second).loads(view.bytes());
            } catch (PickleException | UncheckedIOException e) {
                // A second view only: what it found before failing stands.
            }
            List<ScanFinding> added = new ArrayList<>(findings.subList(first, findings.size()));
            findings.subList(first, findings.size()).clear();
            for (ScanFinding f : added) {
                if (!known.contains(f.offset() + " " + f.opcode() + " " + f.global() + " " + f.call())) {
                    findings.add(f);
                }
            }
        }

        /**
         * Reads pickles one after another a second time with one memo for all, as one Unpickler's
         * repeated load() reads them (pickle.load(f) called again reads each with a memo of its own,
         * the first reading): a later pickle's BINGET may then reach an earlier pickle's names.
         * Done when a later pickle fails the first reading (a pickle that only loads with the
         * earlier pickles' memo); reports what this reading finds beyond the first.
         */
        private void sharedMemoReading(Tee tee, String path, String entry, long base, int count) {
            Set<String> known = new HashSet<>();
            for (ScanFinding f : findings) {
                if (Objects.equals(f.entry(), entry) && f.path().equals(path)) {
                    known.add(f.pickle() + " " + f.offset() + " " + f.opcode() + " " + f.global() + " " + f.call());
                }
            }
            Observer second = new Observer(path, entry, base);
            int first = findings.size();
            Unpickler shared = unpickler(second).toBuilder().sharedMemo(true).build();
            try (PickleStream stream = shared.open(java.util.Arrays.copyOf(tee.bytes(), tee.size()))) {
                for (int i = 0; i < count + 1 && stream.hasNext(); i++) {
                    second.pickle = i;
                    stream.next();
                }
            } catch (PickleException | UncheckedIOException e) {
                // A second view only: what it found before failing stands.
            }
            List<ScanFinding> added = new ArrayList<>(findings.subList(first, findings.size()));
            findings.subList(first, findings.size()).clear();
            for (ScanFinding f : added) {
                if (!known.contains(f.pickle() + " " + f.offset() + " " + f.opcode() + " " + f.global() + " " + f.call())) {
                    findings.add(f);
                }
            }
        }

        private String budgetMessage() {
            return "not read: the archive members scanned so far hold more than " + maxTotalBytes
                    + " bytes (maxTotalBytes; a zip bomb?)";
        }

        private byte[] readBounded(InputStream in, String path, String entry) throws IOException {
            long most = Math.min(maxEntryBytes, Integer.MAX_VALUE - 8);
            byte[] data = new Bounded(in).readNBytes((int) most);
            if (data.length == most && in.read() >= 0) {
                throw new BudgetException("not read past " + most + " bytes: an archive inside an archive larger"
                        + " than maxEntryBytes");
            }
            return data;
        }

        /** Counts decompressed bytes against the member's and the scan's bounds. */
        private final class Bounded extends FilterInputStream {
            private long read;

            Bounded(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    read += n;
                    long left = budget.addAndGet(-n);
                    if (read > maxEntryBytes) {
                        throw new BudgetException("not read past " + maxEntryBytes + " bytes: the member is larger"
                                + " than maxEntryBytes (a zip bomb?)");
                    } else if (left < 0) {
                        throw new BudgetException(budgetMessage());
                    }
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] sink = new byte[(int) Math.min(Math.max(n, 1), 8192)];
                int got = read(sink, 0, (int) Math.min(n, sink.length));
                return Math.max(got, 0);
            }
        }

        /** Sees every global and call of one file or member and records it as a finding. */
        private final class Observer implements ReadObserver {
            private final String path;
            private final String entry;
            private final long base;
            /** For the second reading of a pickle whose frames lie: where its bytes came from. */
            private final FileModeFrames.View view;
            int pickle;
            boolean frameLied;
            /** The offset of the BUILD being run, for what a joblib array keeps after it. */
            private long buildOffset;

            Observer(String path, String entry, long base) {
                this(path, entry, base, null);
            }

            Observer(String path, String entry, long base, FileModeFrames.View view) {
                this.path = path;
                this.entry = entry;
                this.base = base;
                this.view = view;
            }

            private long at(long offset) {
                return base + (view == null ? offset : view.sourceOffset(offset));
            }

            @Override
            public void global(long offset, Opcode opcode, PyGlobal global) {
                Target target = Target.of(global);
                GlobalSafety verdict = GETATTR.contains(global.toString())
                        // getattr imported is inert: each call of it is judged by what it reaches.
                        ? GlobalSafety.SAFE : target.verdict;
                add(new ScanFinding(path, entry, pickle, at(offset), opcode, verdict, target.text, false));
            }

            @Override
            public void call(long offset, Opcode opcode, Object callable, Object args) {
                if (opcode == Opcode.BUILD) {
                    buildOffset = at(offset);
                }
                Object resolved = resolve(callable);
                if (resolved instanceof PyGlobal g && GETATTR.contains(g.toString()) && opcode == Opcode.REDUCE) {
                    getattr(offset, args);
                    return;
                }
                Target target = Target.of(callable);
                GlobalSafety verdict = target.verdict;
                if (opcode != Opcode.BUILD && target.callsAResult) {
                    // Calling what a call returned: never needed for plain data, so at least unknown.
                    verdict = verdict.worst(GlobalSafety.UNKNOWN);
                }
                if (opcode == Opcode.BUILD && resolved instanceof PyGlobal) {
                    // BUILD on a class, function or module sets its attributes: no pickler writes that.
                    verdict = GlobalSafety.DANGEROUS;
                }
                add(new ScanFinding(path, entry, pickle, at(offset), opcode, verdict, target.text, true));
            }

            /**
             * {@code getattr(target, name)} reaches the attribute {@code target.name}, the same as a
             * dotted global: judged as that global when the target is a global and the name a
             * constant str (an Enum member, {@code ZoneInfo._unpickle}); dangerous on anything else
             * (the result of a call, such as an imported module, or a name computed at load time).
             */
            private void getattr(long offset, Object args) {
                if (args instanceof PyTuple t && t.size() == 2 && resolve(t.get(0)) instanceof PyGlobal target
                        && t.get(1) instanceof String name) {
                    PyGlobal reached = new PyGlobal(target.module(), target.name() + "." + name);
                    GlobalSafety verdict = Target.of(reached).verdict;
                    if (verdict == GlobalSafety.UNKNOWN && !name.startsWith("_")
                            && Target.of(target).verdict == GlobalSafety.SAFE) {
                        // A public attribute of a value type (an Enum member): reaching it runs nothing,
                        // and calling it is judged on its own, by its dotted name.
                        verdict = GlobalSafety.SAFE;
                    }
                    add(new ScanFinding(path, entry, pickle, at(offset), Opcode.REDUCE, verdict,
                            reached.toString(), false));
                } else {
                    add(new ScanFinding(path, entry, pickle, at(offset), Opcode.REDUCE, GlobalSafety.DANGEROUS,
                            "builtins.getattr", true));
                }
            }

            @Override
            public PyGlobal computedGlobal(long offset, Object module, Object name) {
                String m = computedText(module);
                String n = computedText(name);
                PyGlobal global = m != null && n != null ? new PyGlobal(m, n) : new PyGlobal(COMPUTED, "?");
                add(new ScanFinding(path, entry, pickle, at(offset), Opcode.STACK_GLOBAL,
                        Target.of(global).verdict, global.toString(), false));
                return global;
            }

            @Override
            public void frameViolation(long offset, String what) {
                if (view != null) {
                    return;
                }
                frameLied = true;
                add(new ScanFinding(path, entry, pickle, at(offset), Opcode.FRAME, GlobalSafety.DANGEROUS,
                        "<frame-lies-about-its-length>", false));
            }

            @Override
            public void afterBuild(PyObject object, InputStream following) throws IOException {
                if (!(object.callable() instanceof PyGlobal g) || !NUMPY_ARRAY_WRAPPERS.contains(g.toString())
                        || !(object.state() instanceof Map<?, ?> state)) {
                    return;
                }
                // joblib's NumpyArrayWrapper.read: optional alignment padding, then the array's bytes.
                long at = buildOffset + 1;
                Object dtype = state.get("dtype");
                if (NumpyDtypes.hasObject(dtype)) {
                    // An array of objects is a pickle of its own, loaded from the same file.
                    Observer nested = new Observer(path, entry, at);
                    nested.pickle = pickle;
                    unpickler(nested).load(following);
                    return;
                }
                if (state.get("numpy_array_alignment_bytes") instanceof Number) {
                    int padding = following.read();
                    if (padding < 0) {
                        throw new EOFException("joblib array padding missing");
                    }
                    skipExactly(following, padding);
                    at += 1 + padding;
                }
                long count = 1;
                if (state.get("shape") instanceof PyTuple shape) {
                    for (Object d : shape) {
                        if (!(d instanceof Number dim) || dim.longValue() < 0) {
                            throw new IOException("joblib array shape " + shape + " is not a tuple of sizes");
                        }
                        count = Math.multiplyExact(count, dim.longValue());
                    }
                }
                long itemSize = NumpyDtypes.itemSize(dtype);
                if (itemSize < 0) {
                    throw new IOException("joblib array of a dtype whose item size is unknown: " + dtype);
                }
                skipExactly(following, Math.multiplyExact(count, itemSize));
            }
        }
    }

    /** The text a computed STACK_GLOBAL operand evaluates to, when it is {@code str(bytes, encoding)}. */
    private static String computedText(Object operand) {
        if (operand instanceof String s) {
            return s;
        }
        if (operand instanceof PyObject o && o.construction() == PyObject.Construction.REDUCE
                && o.callable() instanceof PyGlobal g && (g.toString().equals("builtins.str")
                || g.toString().equals("__builtin__.str") || g.toString().equals("__builtin__.unicode"))
                && o.args().size() >= 2 && o.args().get(0) instanceof byte[] b && o.args().get(1) instanceof String enc) {
            try {
                return new String(b, Charset.forName(enc));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** A call's result as the global it stands for: {@code getattr(cls, 'name')} is {@code cls.name}. */
    private static Object resolve(Object value) {
        if (value instanceof PyEnumMember m) {
            // What the reader loads getattr(cls, 'NAME') as.
            return new PyGlobal(m.enumClass().module(), m.enumClass().name() + "." + m.name());
        }
        for (int depth = 0; depth < MAX_CALL_CHAIN; depth++) {
            if (value instanceof PyObject o && o.construction() == PyObject.Construction.REDUCE
                    && o.callable() instanceof PyGlobal g && GETATTR.contains(g.toString())
                    && o.args().size() == 2 && o.args().get(1) instanceof String name) {
                Object target = resolve(o.args().get(0));
                if (target instanceof PyGlobal t) {
                    return new PyGlobal(t.module(), t.name() + "." + name);
                }
                return value;
            }
            return value;
        }
        return value;
    }

    /** What a global or call refers to, as the report names it, and the verdict on it. */
    private record Target(String text, GlobalSafety verdict, boolean callsAResult) {
        static Target of(Object callable) {
            StringBuilder calls = new StringBuilder();
            // The reader loads getattr(cls, 'NAME') as a PyEnumMember: calling one is calling what getattr returned.
            Object root = resolve(callable instanceof PyEnumMember m
                    ? PyObject.reduce(StandardTypes.GETATTR, PyTuple.of(m.enumClass(), m.name())) : callable);
            for (int depth = 0; root instanceof PyObject object && object.callable() != PERSISTENT; depth++) {
                if (depth == MAX_CALL_CHAIN) {
                    return new Target("<calls-nested-deeper-than-" + MAX_CALL_CHAIN + ">", GlobalSafety.UNKNOWN, true);
                }
                calls.append("(...)");
                root = resolve(object.callable());
            }
            boolean result = calls.length() > 0;
            if (root instanceof PyObject) {
                return new Target(PERSISTENT.module() + calls, GlobalSafety.UNKNOWN, true);
            }
            if (root instanceof PyGlobal global) {
                if (global.module().equals(PickleReader.UNREGISTERED_EXTENSION)) {
                    return new Target("<extension:" + global.name() + ">" + calls, GlobalSafety.UNKNOWN, result);
                }
                if (global.module().equals(COMPUTED)) {
                    return new Target(global + calls.toString(), GlobalSafety.DANGEROUS, result);
                }
                return new Target(global + calls.toString(), GlobalSafety.of(global), result);
            }
            return new Target("<" + Values.typeName(root) + ">", GlobalSafety.UNKNOWN, true);
        }
    }

    private static void addTorchRoot(String name, Set<String> roots) {
        if (name.equals("data.pkl")) {
            roots.add("");
        } else if (name.endsWith("/data.pkl")) {
            roots.add(name.substring(0, name.length() - "data.pkl".length()));
        }
    }

    /** A member under ROOT/data/ of a torch archive: raw tensor bytes. */
    private static boolean isTorchStorage(String name, Set<String> roots) {
        for (String root : roots) {
            if (name.startsWith(root + "data/")) {
                return true;
            }
        }
        return false;
    }

    /** torch's element sizes by storage class, for the raw bytes of its tar format. */
    private static int torchElementSize(PyGlobal storage) {
        if (!storage.module().equals("torch")) {
            return -1;
        }
        return switch (storage.name()) {
            case "DoubleStorage", "LongStorage", "ComplexFloatStorage" -> 8;
            case "ComplexDoubleStorage" -> 16;
            case "FloatStorage", "IntStorage", "QInt32Storage" -> 4;
            case "HalfStorage", "BFloat16Storage", "ShortStorage" -> 2;
            case "CharStorage", "ByteStorage", "BoolStorage", "QInt8Storage", "QUInt8Storage", "QUInt4x2Storage",
                    "QUInt2x4Storage", "UntypedStorage" -> 1;
            default -> -1;
        };
    }

    private static InputStream zlib(BufferedInputStream in) throws IOException {
        in.mark(2);
        if (in.read() == 'Z' && in.read() == 'F') {
            in.reset();
            in.skipNBytes(18); // "ZF", then the length as 16 hex digits, then zlib
        } else {
            in.reset();
        }
        return new InflaterInputStream(in, new java.util.zip.Inflater(), 1 << 16);
    }

    /**
     * A zip member compressed with method 14 (LZMA) as the {@code .lzma} format the "lzma"
     * decompressor reads: the member starts with a version (2 bytes) and the size of the properties
     * (2 bytes, 5), then the 5 bytes of properties that {@code .lzma} starts with, followed there by
     * the uncompressed size, unknown here (-1: Python's zipfile ends the data with an end marker).
     */
    private static InputStream lzmaAlone(InputStream member) throws IOException {
        byte[] head = member.readNBytes(9);
        if (head.length < 9 || (head[2] & 0xff | (head[3] & 0xff) << 8) != 5) {
            throw new IOException("an LZMA zip member starts with a version and 5 bytes of properties; this one"
                    + " starts " + hexHead(head));
        }
        byte[] alone = new byte[13];
        System.arraycopy(head, 4, alone, 0, 5);
        java.util.Arrays.fill(alone, 5, 13, (byte) 0xff);
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(alone), member);
    }

    private static boolean hasPickleSuffix(String name) {
        int dot = name.lastIndexOf('.');
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return dot > slash && PICKLE_SUFFIXES.contains(name.substring(dot).toLowerCase(Locale.ROOT));
    }

    /** The first bytes of a buffered stream, left unread. */
    private static byte[] peek(BufferedInputStream in) throws IOException {
        in.mark(Content.HEAD + 8);
        byte[] head = new byte[Content.HEAD];
        int n = 0;
        try {
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) >= 0; ) {
                n += r;
            }
        } catch (IOException e) {
            if (n == 0 || e instanceof BudgetException) {
                throw e;
            }
            // A stream that fails after these bytes fails again when read past them: scan them first.
        }
        in.reset();
        return java.util.Arrays.copyOf(head, n);
    }

    private static String hexHead(byte[] head) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            b.append(String.format("%02x", head[i] & 0xff));
        }
        return head.length == 0 ? "nothing: it is empty" : b.toString();
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String tarName(byte[] h) {
        String name = cString(h, 0, 100);
        String prefix = cString(h, 345, 155);
        boolean ustar = h[257] == 'u' && h[258] == 's';
        return ustar && !prefix.isEmpty() ? prefix + "/" + name : name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == 0 || c == ' ') {
                if (any) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
            if (v > (1L << 40)) {
                return -1;
            }
        }
        return any ? v : 0;
    }

    private static long readLongLittleEndian(InputStream in) throws IOException {
        byte[] b = in.readNBytes(8);
        if (b.length < 8) {
            throw new EOFException("truncated: 8-byte length expected");
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        if (v < 0) {
            throw new IOException("negative length " + v);
        }
        return v;
    }

    private static long readIntLittleEndian(InputStream in) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new EOFException("truncated: 4-byte int expected");
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (long) b[3] << 24;
    }

    /** Skips exactly n bytes, or fails: raw data cut short means the file is not what it claims. */
    private static void skipExactly(InputStream in, long n) throws IOException {
        long left = n;
        byte[] sink = null;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (sink == null) {
                    sink = new byte[8192];
                }
                int read = in.read(sink, 0, (int) Math.min(left, sink.length));
                if (read < 0) {
                    throw new EOFException("truncated: " + left + " of " + n + " raw bytes missing");
                }
                skipped = read;
            }
            left -= skipped;
        }
    }

    /** The bound a failure passed, when a decompression bound is what stopped the read. */
    private static String budgetExceeded(Throwable e) {
        for (int depth = 0; e != null && depth < 8; depth++, e = e.getCause()) {
            if (e instanceof BudgetException b) {
                return b.getMessage();
            }
        }
        return null;
    }

    /** A read failure in words; a decompressor's failure already says the stream is unreadable. */
    private static String cannotRead(Throwable e) {
        String message = describe(e);
        return message.startsWith("unreadable: ") ? message : "cannot read: " + message;
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof EOFException && message == null) {
            return "unexpected end of input";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * Passes a stream through and keeps its first {@link #LIMIT} bytes (1 MiB: a scan holds little), for the second readings of a
     * pickle whose frames lie (beyond that, the lie is still reported, the hidden opcodes not).
     */
    private static final class Tee extends FilterInputStream {
        static final int LIMIT = 1 << 20;
        private byte[] kept = new byte[1 << 12];
        private int size;

        Tee(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && size < LIMIT) {
                int keep = Math.min(n, LIMIT - size);
                if (size + keep > kept.length) {
                    kept = java.util.Arrays.copyOf(kept, Math.min(LIMIT, Math.max(size + keep, kept.length * 2)));
                }
                System.arraycopy(b, off, kept, size, keep);
                size += keep;
            }
            return n;
        }

        @Override
        public void close() {
        }

        byte[] bytes() {
            return kept;
        }

        int size() {
            return size;
        }
    }

    /**
     * The output of a caller's decompressor: a failure it throws, whatever its type, becomes an
     * {@link IOException} that says which format failed after how many decompressed bytes.
     */
    private static final class Decompressed extends FilterInputStream {
        private final String format;
        private long read;
        /** The decoder's failure, thrown again by every later read (a decoder may not repeat it). */
        private IOException pending;

        Decompressed(InputStream in, String format) {
            super(in);
            this.format = format;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pending != null) {
                throw pending;
            }
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    read += n;
                }
                return n;
            } catch (IOException | RuntimeException e) {
                pending = failed(e);
                throw pending;
            }
        }

        /**
         * Only a hint: a failure here is kept for the next read, so that the bytes already read in
         * the same buffered read still reach the scan (and what they hold is still reported).
         */
        @Override
        public int available() {
            if (pending != null) {
                return 0;
            }
            try {
                return in.available();
            } catch (IOException | RuntimeException e) {
                pending = failed(e);
                return 0;
            }
        }

        private IOException failed(Exception e) {
            return new IOException("unreadable: the " + format + " stream is corrupt or cut short after " + read
                    + " decompressed bytes: " + describe(e), e);
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(Math.max(n, 1), 8192)];
            int got = read(sink, 0, (int) Math.min(n, sink.length));
            return Math.max(got, 0);
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                // Everything wanted was read: a failure to release the decoder changes nothing.
            }
        }
    }

    /** A decompression bound was passed: the scan stops reading that member. */
    private static final class BudgetException extends IOException {
        BudgetException(String message) {
            super(message);
        }
    }

    /** The next {@code length} bytes of a stream (a tar member). */
    private static final class BoundedLength extends FilterInputStream {
        private long left;

        BoundedLength(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        long left() {
            return left;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long done = in.skip(Math.min(n, left));
            left -= Math.max(done, 0);
            return done;
        }

        @Override
        public void close() {
        }
    }

    /** Keeps the stream open when a reader or stream layered on it is closed. */
    private static final class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
