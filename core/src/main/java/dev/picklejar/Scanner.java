package dev.picklejar;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Finds the code-execution tricks hidden in pickles without running them: reads every pickle in
 * a file, a directory (recursively) or a zip archive (PyTorch checkpoints whatever their
 * extension) with the reader's own machine, stack and memo included, and reports every global
 * imported and every call made, with a {@link GlobalSafety} verdict and the byte offset. Memo
 * tricks, names built from old string opcodes, dotted names, INST and OBJ, globals that only a
 * BUILD state holds, EXT codes and second pickles hidden after a harmless first one are all seen.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ScanReport report = Scanner.standard().scan(Path.of("model.pt"));
 * if (report.dangerous()) report.findings().forEach(System.out::println);
 * }</pre>
 *
 * <p>What is read: a file named directly is read as pickles unless it is a zip archive; in a
 * directory or an archive, a file or member is read when its name ends in {@code .pkl},
 * {@code .pickle}, {@code .pck} or {@code .pcl}, or when its content starts like a pickle (a PROTO
 * opcode, or an opcode protocols 0 and 1 start with). Such a content-sniffed candidate that fails
 * before importing anything is taken for something else and skipped: with nothing imported, a
 * pickle cannot run anything. A PyTorch zip (one with a {@code ROOT/data.pkl} member) keeps raw
 * tensor bytes under {@code ROOT/data/}, which are never read. A legacy PyTorch file (its first
 * pickle is torch's magic number) holds five pickles followed by raw tensor bytes: only the five
 * are read.
 *
 * <p>Bounds: each pickle by the {@link Limits}; each archive member by {@link Builder#maxEntryBytes(long)}
 * and all members of one scan together by {@link Builder#maxTotalBytes(long)} (decompressed bytes, so a
 * zip bomb ends in an error, not in a full disk of memory); zips inside zips by
 * {@link Builder#maxZipDepth(int)}.
 */
public final class Scanner {
    private static final Scanner STANDARD = builder().build();
    /** The first pickle of a legacy (non-zip) torch.save file. */
    private static final BigInteger TORCH_LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    /** Magic number, protocol version, system info, the object, the storage keys; raw bytes follow. */
    private static final int TORCH_LEGACY_PICKLES = 5;
    /** Marks the inert objects that persistent ids load as (compared by identity). */
    private static final PyGlobal PERSISTENT = new PyGlobal("<persistent-id>", "persistent_load");
    /** Calls on the results of calls are followed this far back to the global that started them. */
    private static final int MAX_CALL_CHAIN = 1000;
    private static final Set<String> PICKLE_SUFFIXES = Set.of(".pkl", ".pickle", ".pck", ".pcl");
    /** The bytes CPython's pickles of protocols 0 and 1 start with. */
    private static final String OLD_PROTOCOL_STARTS = "()]}cNIFLSVKJMGUTX";

    private final Limits limits;
    private final long maxEntryBytes;
    private final long maxTotalBytes;
    private final int maxZipDepth;
    private final boolean keepSafe;
    private final boolean sharedMemo;

    private Scanner(Builder b) {
        this.limits = b.limits;
        this.maxEntryBytes = b.maxEntryBytes;
        this.maxTotalBytes = b.maxTotalBytes;
        this.maxZipDepth = b.maxZipDepth;
        this.keepSafe = b.keepSafe;
        this.sharedMemo = b.sharedMemo;
    }

    /** A scanner with the default bounds. */
    public static Scanner standard() {
        return STANDARD;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Scans a file, or every file below a directory; failures are in the report, never thrown. */
    public ScanReport scan(Path path) {
        Run run = new Run();
        run.path(path);
        return run.report();
    }

    /**
     * Scans a stream of pickles or a zip archive, named {@code name} in the report. The stream is
     * read to the end of what is scanned, not closed.
     */
    public ScanReport scan(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        Run run = new Run();
        run.stream(in, name);
        return run.report();
    }

    /** Scans pickles or a zip archive held in memory, named {@code name} in the report. */
    public ScanReport scan(byte[] data, String name) {
        return scan(new ByteArrayInputStream(data), name);
    }

    /** Options for a {@link Scanner}. */
    public static final class Builder {
        private Limits limits = Limits.defaults();
        private long maxEntryBytes = 4L << 30;
        private long maxTotalBytes = 64L << 30;
        private int maxZipDepth = 3;
        private boolean keepSafe = true;
        private boolean sharedMemo;

        private Builder() {
        }

        /**
         * Read the pickles of each file with one memo, as one CPython Unpickler's repeated load()
         * reads what one Pickler's repeated dump() wrote (see {@link Unpickler.Builder#sharedMemo}).
         */
        public Builder sharedMemo(boolean sharedMemo) {
            this.sharedMemo = sharedMemo;
            return this;
        }

        /** The bounds on each pickle (default {@link Limits#defaults()}). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Most decompressed bytes read from one archive member (default 4 GiB). */
        public Builder maxEntryBytes(long maxEntryBytes) {
            if (maxEntryBytes < 1) {
                throw new IllegalArgumentException("maxEntryBytes must be positive");
            }
            this.maxEntryBytes = maxEntryBytes;
            return this;
        }

        /** Most decompressed bytes read from all archive members of one scan (default 64 GiB). */
        public Builder maxTotalBytes(long maxTotalBytes) {
            if (maxTotalBytes < 1) {
                throw new IllegalArgumentException("maxTotalBytes must be positive");
            }
            this.maxTotalBytes = maxTotalBytes;
            return this;
        }

        /** How deeply zips inside zips are opened (default 3; 1 opens no zip inside a zip). */
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
         */
        public Builder keepSafe(boolean keepSafe) {
            this.keepSafe = keepSafe;
            return this;
        }

        public Scanner build() {
            return new Scanner(this);
        }
    }

    /** What the first bytes of a file or member say it is. */
    private enum Content {
        ZIP, PICKLE, MAYBE_PICKLE, OTHER;

        static Content of(byte[] head) {
            int n = head.length;
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 && head[3] == 4 || head[2] == 5 && head[3] == 6)) {
                return ZIP;
            }
            if (n >= 2 && (head[0] & 0xff) == Opcode.PROTO.code() && head[1] >= 0 && head[1] <= Pickle.HIGHEST_PROTOCOL) {
                return PICKLE;
            }
            if (n >= 1 && OLD_PROTOCOL_STARTS.indexOf(head[0]) >= 0) {
                return MAYBE_PICKLE;
            }
            return OTHER;
        }
    }

    /** Whether a read failure is an error (the input was meant as pickles) or a sign of other content. */
    private enum Mode {
        /** Named directly or by a pickle suffix: any failure is an error. */
        REQUIRED,
        /** Found by its content: a failure before any finding means it is not a pickle. */
        SNIFFED
    }

    /** One scan: what it found so far, and the bytes it may still decompress. */
    private final class Run {
        private final List<ScanFinding> findings = new ArrayList<>();
        private final List<ScanError> errors = new ArrayList<>();
        private final Map<String, Integer> pickles = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();
        private long budget = maxTotalBytes;
        /** Findings made so far, kept or not. */
        private long seen;

        private void add(ScanFinding finding) {
            seen++;
            if (keepSafe || finding.verdict() != GlobalSafety.SAFE) {
                findings.add(finding);
            }
        }

        ScanReport report() {
            return new ScanReport(findings, errors, pickles, skipped);
        }

        void path(Path path) {
            String name = path.toString();
            if (Files.isDirectory(path)) {
                directory(path);
            } else if (Files.isRegularFile(path)) {
                file(path, true);
            } else if (!Files.exists(path)) {
                errors.add(new ScanError(name, null, -1, -1, "no such file or directory"));
            } else {
                errors.add(new ScanError(name, null, -1, -1, "not a regular file or directory"));
            }
        }

        private void directory(Path root) {
            List<Path> files = new ArrayList<>();
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (Files.isRegularFile(file)) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        errors.add(new ScanError(file.toString(), null, -1, -1, "cannot read: " + describe(e)));
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                errors.add(new ScanError(root.toString(), null, -1, -1, "cannot list: " + describe(e)));
            }
            Collections.sort(files);
            for (Path file : files) {
                file(file, false);
            }
        }

        private void file(Path file, boolean named) {
            String name = file.toString();
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(4);
            } catch (IOException e) {
                errors.add(new ScanError(name, null, -1, -1, "cannot read: " + describe(e)));
                return;
            }
            Content content = Content.of(head);
            if (content == Content.ZIP) {
                zipFile(file, name);
                return;
            }
            Mode mode = named || hasPickleSuffix(name) ? Mode.REQUIRED
                    : content == Content.OTHER ? null : Mode.SNIFFED;
            if (mode == null) {
                skipped.add(name);
                return;
            }
            try (InputStream in = Files.newInputStream(file)) {
                pickles(in, name, null, mode, null);
            } catch (IOException e) {
                errors.add(new ScanError(name, null, -1, -1, "cannot read: " + describe(e)));
            }
        }

        void stream(InputStream in, String name) {
            BufferedInputStream buffered = new BufferedInputStream(new Unclosable(in), 1 << 16);
            byte[] head;
            try {
                head = peek(buffered);
            } catch (IOException e) {
                errors.add(new ScanError(name, null, -1, -1, "cannot read: " + describe(e)));
                return;
            }
            if (Content.of(head) == Content.ZIP) {
                zipStream(buffered, name, "", 1);
            } else {
                pickles(buffered, name, null, Mode.REQUIRED, null);
            }
        }

        /** A zip file on disk, read through its central directory as Python's zipfile and torch.load read it. */
        private void zipFile(Path file, String name) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                List<? extends ZipEntry> entries = Collections.list(zip.entries());
                Set<String> torchRoots = new HashSet<>();
                for (ZipEntry entry : entries) {
                    addTorchRoot(entry.getName(), torchRoots);
                }
                for (ZipEntry entry : entries) {
                    if (entry.isDirectory() || isTorchStorage(entry.getName(), torchRoots)) {
                        continue;
                    }
                    if (budget <= 0) {
                        errors.add(new ScanError(name, entry.getName(), -1, -1, budgetMessage()));
                        return;
                    }
                    try (InputStream in = zip.getInputStream(entry)) {
                        member(in, name, entry.getName(), 1);
                    } catch (IOException e) {
                        errors.add(new ScanError(name, entry.getName(), -1, -1, "cannot read: " + describe(e)));
                    }
                }
            } catch (IOException e) {
                errors.add(new ScanError(name, null, -1, -1, "not a readable zip archive: " + describe(e)));
            }
        }

        /** A zip read as a stream: from standard input, or a zip inside a zip. */
        private void zipStream(InputStream in, String name, String prefix, int depth) {
            Set<String> torchRoots = new HashSet<>();
            String current = null;
            try {
                ZipInputStream zip = new ZipInputStream(new Unclosable(in));
                ZipEntry entry;
                while ((entry = zip.getNextEntry()) != null) {
                    current = prefix + entry.getName();
                    addTorchRoot(entry.getName(), torchRoots);
                    if (entry.isDirectory() || isTorchStorage(entry.getName(), torchRoots)) {
                        continue;
                    }
                    if (budget <= 0) {
                        errors.add(new ScanError(name, current, -1, -1, budgetMessage()));
                        return;
                    }
                    member(new Unclosable(zip), name, current, depth);
                }
            } catch (IOException e) {
                String entry = current != null ? current : prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
                errors.add(new ScanError(name, entry, -1, -1, "not a readable zip archive: " + describe(e)));
            }
        }

        /** One archive member: a nested zip, pickles, or something else. */
        private void member(InputStream raw, String path, String entry, int depth) throws IOException {
            Bounded bounded = new Bounded(raw);
            BufferedInputStream in = new BufferedInputStream(bounded, 1 << 16);
            byte[] head;
            try {
                head = peek(in);
            } catch (IOException e) {
                errors.add(new ScanError(path, entry, -1, -1, "cannot read: " + describe(e)));
                return;
            }
            Content content = Content.of(head);
            if (content == Content.ZIP) {
                if (depth >= maxZipDepth) {
                    skipped.add(ScanReport.location(path, entry));
                } else {
                    zipStream(in, path, entry + "!", depth + 1);
                }
                return;
            }
            Mode mode = hasPickleSuffix(entry) ? Mode.REQUIRED : content == Content.OTHER ? null : Mode.SNIFFED;
            if (mode == null) {
                skipped.add(ScanReport.location(path, entry));
                return;
            }
            pickles(in, path, entry, mode, bounded);
        }

        /** Reads the pickles of one file or member one after another, reporting what they import and call. */
        private void pickles(InputStream in, String path, String entry, Mode mode, Bounded bounded) {
            String location = ScanReport.location(path, entry);
            Observer observer = new Observer(path, entry);
            Unpickler unpickler = Unpickler.builder()
                    .encoding("latin1")
                    .limits(limits)
                    .persistentLoad(pid -> PyObject.reduce(PERSISTENT, PyTuple.of(pid)))
                    .lenient(true)
                    .sharedMemo(sharedMemo)
                    .observer(observer)
                    .build();
            PickleStream stream = unpickler.open(new Unclosable(in));
            int count = 0;
            int most = Integer.MAX_VALUE;
            while (count < most) {
                observer.pickle = count;
                long before = seen;
                try {
                    if (!stream.hasNext()) {
                        break;
                    }
                    Object value = stream.next();
                    count++;
                    if (count == 1 && TORCH_LEGACY_MAGIC.equals(value)) {
                        most = TORCH_LEGACY_PICKLES;
                    }
                } catch (PickleException | UncheckedIOException e) {
                    boolean overBudget = bounded != null && bounded.exceeded != null;
                    if (mode == Mode.SNIFFED && seen == before && !overBudget) {
                        // Content that only looked like a pickle, or bytes after the last pickle.
                        if (count == 0) {
                            skipped.add(location);
                        }
                        break;
                    }
                    String message = overBudget ? bounded.exceeded
                            : e instanceof PickleException p ? p.getMessage() : "cannot read: " + describe(e.getCause());
                    long offset = e instanceof PickleException p && !overBudget ? p.offset() : -1;
                    errors.add(new ScanError(path, entry, count, offset, message));
                    count++;
                    break;
                }
            }
            if (count == 0 && mode == Mode.REQUIRED) {
                errors.add(new ScanError(path, entry, 0, 0, "empty: no pickle at all"));
            }
            if (count > 0) {
                pickles.merge(location, count, Integer::sum);
            }
        }

        private String budgetMessage() {
            return "not read: the archive members scanned so far hold more than " + maxTotalBytes
                    + " bytes (maxTotalBytes; a zip bomb?)";
        }

        /** Counts decompressed bytes against the member's and the scan's bounds. */
        private final class Bounded extends FilterInputStream {
            private long read;
            String exceeded;

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
                if (exceeded != null) {
                    throw new IOException(exceeded);
                }
                int n = super.read(b, off, len);
                if (n > 0) {
                    read += n;
                    budget -= n;
                    if (read > maxEntryBytes) {
                        exceeded = "not read past " + maxEntryBytes + " bytes: the member is larger than maxEntryBytes"
                                + " (a zip bomb?)";
                    } else if (budget < 0) {
                        exceeded = budgetMessage();
                    }
                    if (exceeded != null) {
                        throw new IOException(exceeded);
                    }
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] sink = new byte[(int) Math.min(n, 8192)];
                int got = read(sink, 0, sink.length);
                return Math.max(got, 0);
            }
        }

        /** Sees every global and call of one file or member and records it as a finding. */
        private final class Observer implements ReadObserver {
            private final String path;
            private final String entry;
            int pickle;

            Observer(String path, String entry) {
                this.path = path;
                this.entry = entry;
            }

            @Override
            public void global(long offset, Opcode opcode, PyGlobal global) {
                Target target = Target.of(global);
                add(new ScanFinding(path, entry, pickle, offset, opcode, target.verdict, target.text, false));
            }

            @Override
            public void call(long offset, Opcode opcode, Object callable, Object args) {
                Target target = Target.of(callable);
                GlobalSafety verdict = target.verdict;
                if (opcode != Opcode.BUILD && target.callsAResult) {
                    // Calling what a call returned: never needed for plain data, so at least unknown.
                    verdict = verdict.worst(GlobalSafety.UNKNOWN);
                }
                add(new ScanFinding(path, entry, pickle, offset, opcode, verdict, target.text, true));
            }
        }
    }

    /** What a global or call refers to, as the report names it, and the verdict on it. */
    private record Target(String text, GlobalSafety verdict, boolean callsAResult) {
        static Target of(Object callable) {
            StringBuilder calls = new StringBuilder();
            // The reader loads getattr(cls, 'NAME') as a PyEnumMember: calling one is calling what getattr returned.
            Object root = callable instanceof PyEnumMember m
                    ? PyObject.reduce(StandardTypes.GETATTR, PyTuple.of(m.enumClass(), m.name())) : callable;
            for (int depth = 0; root instanceof PyObject object && object.callable() != PERSISTENT; depth++) {
                if (depth == MAX_CALL_CHAIN) {
                    return new Target("<calls-nested-deeper-than-" + MAX_CALL_CHAIN + ">", GlobalSafety.UNKNOWN, true);
                }
                calls.append("(...)");
                root = object.callable();
            }
            boolean result = calls.length() > 0;
            if (root instanceof PyObject) {
                return new Target(PERSISTENT.module() + calls, GlobalSafety.UNKNOWN, true);
            }
            if (root instanceof PyGlobal global) {
                if (global.module().equals(PickleReader.UNREGISTERED_EXTENSION)) {
                    return new Target("<extension:" + global.name() + ">" + calls, GlobalSafety.UNKNOWN, result);
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

    private static boolean hasPickleSuffix(String name) {
        int dot = name.lastIndexOf('.');
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        return dot > slash && PICKLE_SUFFIXES.contains(name.substring(dot).toLowerCase(Locale.ROOT));
    }

    /** The first bytes of a buffered stream, left unread. */
    private static byte[] peek(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] head = in.readNBytes(4);
        in.reset();
        return head;
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
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Keeps the stream open when a reader or zip stream layered on it is closed. */
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
