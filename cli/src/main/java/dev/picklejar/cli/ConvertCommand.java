package dev.picklejar.cli;

import dev.picklejar.Pickle;
import dev.picklejar.PickleException;
import dev.picklejar.PickleSink;
import dev.picklejar.PickleStream;
import dev.picklejar.Pickler;
import dev.picklejar.PicklingException;
import dev.picklejar.Unpickler;
import dev.picklejar.torch.Tensor;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code picklejar convert}: re-encodes every pickle of a file, each at its own protocol or at the
 * one asked for, or converts pickles to and from JSON Lines. Streams: one pickle (or line) is in
 * memory at a time.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Re-encode every pickle in IN into OUT, each at its own protocol unless --protocol is given, "
                + "or convert pickles to or from JSON Lines (one JSON value per line, one line per pickle). "
                + "- is standard input or output. One pickle or line is in memory at a time.",
            "",
            "A pickle's own protocol is its PROTO opcode's, or without one the highest protocol among its "
                + "opcodes (0, or 1 when a binary opcode appears). Re-encoding a CPython pickle at its own "
                + "protocol gives the same bytes; at another protocol, the bytes pickle.dumps gives there for "
                + "built-in and standard types and plain instances (an object whose class reduces differently "
                + "at different protocols keeps the reduction its pickle holds).",
            "",
            "JSON input is strict JSON, UTF-8, one value per line (blank lines are skipped), and is pickled "
                + "at protocol 5 unless --protocol is given: for plain JSON, the bytes of "
                + "pickle.dumps(json.loads(line), 5). JSON output is what json.dumps(value, ensure_ascii=False) "
                + "writes for plain JSON values.",
            "",
            "OUT is written in full before it replaces an existing file, so OUT may be IN, and a failed "
                + "conversion leaves OUT as it was.",
            ""},
        footer = {
            "",
            "JSON forms of Python values: JSON's own types where JSON has the Python type,",
            "else an object whose one key starts with $ and names the type.",
            "  None, True, False     null, true, false",
            "  int                   a number; {\"$int\": \"<digits>\"} beyond +-(2**53-1)",
            "  float                 a number as repr() spells it (0.1, 1e+16, -0.0);",
            "                        nan, inf, -inf as {\"$float\": \"nan\"}",
            "  str                   a string; a lone surrogate as a \\udXXX escape",
            "  list                  an array",
            "  dict with str keys    an object; {\"$$$$\": {...}} when its one key starts with $",
            "  other dict            {\"$dict\": [[key, value], ...]}",
            "  tuple                 {\"$tuple\": [...]}",
            "  set, frozenset        {\"$set\": [...]}, {\"$frozenset\": [...]}",
            "  bytes, bytearray      {\"$bytes\": \"AP8=\"}, {\"$bytearray\": \"AP8=\"} (base64)",
            "  complex               {\"$complex\": [1.0, -2.5]}",
            "  Decimal               {\"$decimal\": \"1.10\"}",
            "  UUID                  {\"$uuid\": \"12345678-1234-5678-1234-567812345678\"}",
            "  datetime              {\"$datetime\": \"2026-11-25T09:30:00.000001+01:00\"}",
            "  date, time            {\"$date\": \"2026-11-25\"}, {\"$time\": \"09:30:00+01:00\"}",
            "  timedelta             {\"$timedelta\": [days, seconds, microseconds]}",
            "  timezone              {\"$timezone\": \"+01:00\"}",
            "  class, function       {\"$global\": [\"module\", \"qualified.name\"]}",
            "  other objects         {\"$object\": {\"callable\": ..., \"construction\": \"NEWOBJ\",",
            "                        \"args\": [...], \"kwargs\": ..., \"state\": ...,",
            "                        \"state_setter\": ..., \"list_items\": [...],",
            "                        \"dict_items\": [[k, v], ...], \"set_items\": [...]}}:",
            "                        how the pickle builds it (construction: REDUCE,",
            "                        NEWOBJ, NEWOBJ_EX, INST or OBJ; missing parts omitted)",
            "  persistent id         {\"$persistent\": id}",
            "JSON has no references: a value a pickle shares comes back as copies, and a",
            "value that contains itself cannot be converted (the error says where).",
            "",
            "Exit codes: 0 converted, 2 bad usage or unreadable input (one line on stderr)."})
final class ConvertCommand implements Callable<Integer> {
    /** The two formats convert reads and writes. */
    enum Format {
        PICKLE, JSON
    }

    @Option(names = "--protocol", paramLabel = "N",
            description = "Write pickles at protocol N (0 to 5) rather than at each pickle's own "
                    + "(JSON input: rather than at 5).")
    Integer protocol;

    @Option(names = "--from", paramLabel = "pickle|json",
            description = "The format of IN (default: json when IN ends in .json, .jsonl or .ndjson, else pickle).")
    String from;

    @Option(names = "--to", paramLabel = "pickle|json",
            description = "The format of OUT (default: json when OUT ends in .json, .jsonl or .ndjson, else pickle).")
    String to;

    @Option(names = "--encoding", defaultValue = "ASCII",
            description = "How to decode Python 2 strings: ASCII, latin1 or bytes (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = {"-v", "--verbose"}, description = "Describe each pickle converted on standard error.")
    boolean verbose;

    @Option(names = "--shared-memo", description = "The pickles of a file share one memo: read them as one Python"
            + " Unpickler's repeated load() does, what one Pickler's repeated dump() wrote;"
            + " pickle output is written so too, by one pickler at one protocol.")
    boolean sharedMemo;

    @Parameters(index = "0", paramLabel = "IN", description = "The input file; - for standard input.")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The output file; - for standard output.")
    String out;

    /** A failure to report on one line of standard error (the message says where). */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    private String inName;
    private long count;
    /** The pickle or line being converted, for messages. */
    private String current = "the start";
    private final Pickler[] picklers = new Pickler[Pickle.HIGHEST_PROTOCOL + 1];

    @Override
    public Integer call() {
        try {
            Format source = format(from, in, "--from");
            Format target = format(to, out, "--to");
            if (protocol != null && (protocol < 0 || protocol > Pickle.HIGHEST_PROTOCOL)) {
                throw new Failure("--protocol must be 0 to " + Pickle.HIGHEST_PROTOCOL + ", not " + protocol);
            }
            if (protocol != null && target == Format.JSON) {
                throw new Failure("--protocol applies to pickle output, and OUT is JSON");
            }
            Unpickler unpickler = unpickler();
            inName = in.equals("-") ? "<stdin>" : in;
            run(source, target, unpickler);
            return 0;
        } catch (Failure e) {
            System.out.flush();
            System.err.println("picklejar: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        } catch (OutOfMemoryError e) {
            System.err.println("picklejar: " + inName + ": out of memory at " + current
                    + " (one value at a time is in memory; give Java more with -Xmx)");
            return Main.EXIT_BAD_INPUT;
        }
    }

    private Unpickler unpickler() {
        try {
            return Unpickler.builder().encoding(encoding).sharedMemo(sharedMemo)
                    .persistentLoad(PythonJson.PersistentId::new)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static Format format(String option, String file, String name) {
        if (option != null) {
            return switch (option.toLowerCase(Locale.ROOT)) {
                case "pickle" -> Format.PICKLE;
                case "json", "jsonl" -> Format.JSON;
                default -> throw new Failure(name + " must be pickle or json, not '" + option + "'");
            };
        }
        String lower = file.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson") ? Format.JSON : Format.PICKLE;
    }

    /** Opens both ends, converts, and puts OUT in place only when everything was written. */
    private void run(Format source, Format target, Unpickler unpickler) {
        try (InputStream input = openInput()) {
            Output output = openOutput();
            boolean done = false;
            try {
                List<Object> whole = source == Format.PICKLE ? special() : null;
                if (whole != null) {
                    wholeToAny(whole, output.stream, target);
                } else if (source == Format.PICKLE && target == Format.PICKLE) {
                    pickleToPickle(input, output.stream, unpickler);
                } else if (source == Format.PICKLE) {
                    pickleToJson(input, output.stream, unpickler);
                } else {
                    jsonToAny(input, output.stream, target);
                }
                output.commit();
                done = true;
            } finally {
                if (!done) {
                    output.abandon();
                }
            }
            if (verbose) {
                System.err.println("converted " + count + (source == Format.PICKLE ? " pickle" : " value")
                        + (count == 1 ? "" : "s") + " from " + inName + " to " + (out.equals("-") ? "<stdout>" : out));
            }
        } catch (UncheckedIOException e) {
            throw new Failure("I/O error: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new Failure("I/O error: " + e.getMessage());
        }
    }

    private List<Object> special() {
        try {
            return Inputs.special(in);
        } catch (IOException | RuntimeException e) {
            throw new Failure(in + ": " + e.getMessage());
        }
    }

    /** A checkpoint, .npy or .npz file: its one value, pickled (at protocol 5 unless --protocol) or as JSON. */
    private void wholeToAny(List<Object> values, OutputStream sink, Format target) {
        JsonLines.Writer json = target == Format.JSON ? new JsonLines.Writer(sink) : null;
        for (Object value : values) {
            count++;
            if (json != null) {
                try {
                    PythonJson.write(value, json);
                } catch (PythonJson.NotJsonException e) {
                    throw new Failure(inName + ": " + e.getMessage());
                }
                json.endLine();
                json.flushBuffer();
            } else {
                dump(value, protocol != null ? protocol : Pickle.DEFAULT_PROTOCOL, sink, inName);
            }
        }
    }

    private void pickleToPickle(InputStream input, OutputStream sink, Unpickler unpickler) {
        ProtocolTracker tracker = protocol == null ? new ProtocolTracker(input) : null;
        CountingStream counted = new CountingStream(sink);
        PickleStream pickles = unpickler.open(tracker != null ? tracker : input);
        while (pickles.hasNext()) {
            long start = pickles.offset();
            Object value = load(pickles);
            long end = pickles.offset();
            int own;
            try {
                own = tracker != null ? tracker.protocolOf(end) : -1;
            } catch (IllegalStateException e) {
                throw new Failure(inName + ": pickle " + count + ": " + e.getMessage());
            }
            int written = protocol != null ? protocol : own;
            long before = counted.count;
            if (sharedMemo) {
                dumpShared(value, written, counted, inName + ": pickle " + count);
            } else {
                dump(value, written, counted, inName + ": pickle " + count);
            }
            if (verbose) {
                System.err.println("pickle " + count + " (bytes " + start + " to " + end
                        + (own >= 0 ? ", protocol " + own : "") + ") -> protocol " + written + ", "
                        + (counted.count - before) + " bytes");
            }
        }
    }

    private void pickleToJson(InputStream input, OutputStream sink, Unpickler unpickler) {
        JsonLines.Writer json = new JsonLines.Writer(sink);
        PickleStream pickles = unpickler.open(input);
        while (pickles.hasNext()) {
            long start = pickles.offset();
            Object value = load(pickles);
            try {
                // Without sharing, a pickle holds at most one value per byte: ten per byte leaves room and
                // stops a graph whose shared values would expand exponentially.
                PythonJson.write(value, json, 10 * (pickles.offset() - start) + 1_000_000);
            } catch (PythonJson.NotJsonException e) {
                throw new Failure(inName + ": pickle " + count + " (at byte " + start + "): " + e.getMessage());
            }
            json.endLine();
            json.flushBuffer();
            if (verbose) {
                System.err.println("pickle " + count + " (bytes " + start + " to " + pickles.offset() + ") -> line " + count);
            }
        }
    }

    private void jsonToAny(InputStream input, OutputStream sink, Format target) {
        JsonLines.Reader reader = new JsonLines.Reader(input, inName);
        JsonLines.Writer json = target == Format.JSON ? new JsonLines.Writer(sink) : null;
        int written = protocol != null ? protocol : Pickle.DEFAULT_PROTOCOL;
        for (Object tree = next(reader); tree != JsonLines.Reader.END; tree = next(reader)) {
            Object value;
            try {
                value = PythonJson.read(tree, inName, reader.line());
            } catch (JsonLines.JsonException e) {
                throw new Failure(e.getMessage());
            }
            count++;
            if (json != null) {
                PythonJson.write(value, json);
                json.endLine();
                json.flushBuffer();
            } else {
                dump(value, written, sink, inName + ":" + reader.line());
            }
            if (verbose) {
                System.err.println("line " + reader.line() + " -> " + (json != null ? "line " + count
                        : "pickle " + count + " (protocol " + written + ")"));
            }
        }
    }

    private Object next(JsonLines.Reader reader) {
        current = "line " + reader.nextLine();
        try {
            return reader.next();
        } catch (JsonLines.JsonException e) {
            throw new Failure(e.getMessage());
        }
    }

    private Object load(PickleStream pickles) {
        count++;
        current = "pickle " + count;
        try {
            return pickles.next();
        } catch (PickleException e) {
            throw new Failure(inName + ": pickle " + count + ": " + e.getMessage() + Main.sharedMemoHint(e, sharedMemo));
        }
    }

    /** The one pickler of --shared-memo output, as one CPython Pickler writes all the pickles. */
    private PickleSink shared;

    private void dumpShared(Object value, int protocol, OutputStream sink, String where) {
        if (shared == null) {
            shared = pickler(protocol).open(sink); // never closed: the output is committed on its own
        } else if (protocol != sharedProtocol) {
            throw new Failure(where + ": protocol " + protocol + " after protocol " + sharedProtocol
                    + ": one pickler (--shared-memo) writes one protocol; give --protocol");
        }
        sharedProtocol = protocol;
        try {
            shared.dump(value);
        } catch (PicklingException e) {
            throw new Failure(where + ": cannot pickle at protocol " + protocol + ": " + e.getMessage());
        }
    }

    private int sharedProtocol;

    private Pickler pickler(int protocol) {
        Pickler pickler = picklers[protocol];
        if (pickler == null) {
            pickler = Pickler.builder().protocol(protocol)
                    .persistentId(v -> v instanceof PythonJson.PersistentId p ? p.id() : null)
                    .build();
            picklers[protocol] = pickler;
        }
        return pickler;
    }

    private void dump(Object value, int protocol, OutputStream sink, String where) {
        Pickler pickler = picklers[protocol];
        if (pickler == null) {
            pickler = Pickler.builder().protocol(protocol)
                    .persistentId(v -> v instanceof PythonJson.PersistentId p ? p.id() : null)
                    .register(Tensor.class, Tensor::toNdArray) // a checkpoint's tensors: numpy arrays of their items
                    .build();
            picklers[protocol] = pickler;
        }
        try {
            pickler.dump(value, sink);
        } catch (PicklingException e) {
            throw new Failure(where + ": cannot pickle at protocol " + protocol + ": " + e.getMessage());
        }
    }

    private InputStream openInput() {
        if (in.equals("-")) {
            return new FilterInputStream(System.in) {
                @Override
                public void close() {
                    // Standard input stays open: it is not ours to close.
                }
            };
        }
        try {
            return Files.newInputStream(Path.of(in));
        } catch (NoSuchFileException e) {
            throw new Failure(in + ": no such file");
        } catch (IOException e) {
            throw new Failure(in + ": cannot read: " + e.getMessage());
        }
    }

    /** Where the bytes go: standard output, the file itself (devices, pipes), or a file put in place at the end. */
    private static final class Output {
        final OutputStream stream;
        final Path temporary;
        final Path target;

        Output(OutputStream stream, Path temporary, Path target) {
            this.stream = new BufferedOutputStream(stream, 1 << 16);
            this.temporary = temporary;
            this.target = target;
        }

        void commit() throws IOException {
            if (target == null) {
                stream.flush();
                return;
            }
            stream.close();
            if (temporary != null) {
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }

        /** After a failure: what was converted before it still goes to standard output; a file is not put in place. */
        void abandon() {
            try {
                if (target == null) {
                    stream.flush();
                } else {
                    stream.close();
                }
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException e) {
                // Already failing: the first error is the one to report.
            }
        }
    }

    private Output openOutput() {
        if (out.equals("-")) {
            return new Output(System.out, null, null);
        }
        Path target = Path.of(out).toAbsolutePath();
        try {
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                return new Output(Files.newOutputStream(target), null, target);
            }
            // A sibling file, created like any new file (so the umask applies), moved over OUT at the end.
            Path temporary = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".tmp");
            return new Output(Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    temporary, target);
        } catch (NoSuchFileException e) {
            throw new Failure(out + ": no such directory");
        } catch (IOException e) {
            throw new Failure(out + ": cannot write: " + e.getMessage());
        }
    }

    /** Counts the bytes written through it, for --verbose. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
