package dev.picklejar;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads pickles of every protocol CPython writes (0 to 5, Python 2 pickles too) into Java values,
 * without running anything: classes picklejar does not know become inert {@link PyObject}s.
 * Immutable and thread-safe; configure one with {@link #builder()}.
 *
 * <pre>{@code
 * Unpickler u = Unpickler.builder().encoding("latin1").strict(true).build();
 * Object value = u.loads(bytes);
 * try (PickleStream in = u.open(inputStream)) { while (in.hasNext()) handle(in.next()); }
 * }</pre>
 */
public final class Unpickler {
    private static final Unpickler DEFAULT = builder().build();

    private final String encoding;
    private final Charset charset;
    private final Limits limits;
    private final boolean strict;
    private final boolean fixImports;
    private final Function<Object, Object> persistentLoad;
    private final List<Object> buffers;
    private final Map<Integer, PyGlobal> extensions;
    private final ReadObserver observer;
    private final boolean lenient;
    private final boolean sharedMemo;

    private Unpickler(Builder b) {
        this.encoding = b.encoding;
        this.charset = b.charset;
        this.limits = b.limits;
        this.strict = b.strict;
        this.fixImports = b.fixImports;
        this.persistentLoad = b.persistentLoad;
        this.buffers = b.buffers;
        this.extensions = b.extensions;
        this.observer = b.observer;
        this.lenient = b.lenient;
        this.sharedMemo = b.sharedMemo;
    }

    /** {@return an unpickler with the defaults: ASCII for Python 2 strings, default limits, not strict} */
    public static Unpickler standard() {
        return DEFAULT;
    }

    /** {@return a builder with the defaults of {@link #standard()}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder that starts from this unpickler's options} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.encoding = encoding;
        b.charset = charset;
        b.limits = limits;
        b.strict = strict;
        b.fixImports = fixImports;
        b.persistentLoad = persistentLoad;
        b.buffers = buffers;
        b.extensions = extensions;
        b.observer = observer;
        b.lenient = lenient;
        b.sharedMemo = sharedMemo;
        return b;
    }

    /**
     * Reads the pickle at the start of {@code data}; bytes after its STOP are ignored, as in Python.
     * @param data holds the pickle from index 0
     * @return the loaded value; {@code null} for Python's {@code None}
     * @throws PickleException if the bytes are not a whole pickle, pass a limit, or name a global strict mode refuses
     */
    public Object loads(byte[] data) {
        return loads(data, 0, data.length);
    }

    /**
     * Reads the pickle that starts at {@code offset}; offsets in errors count from {@code offset}.
     * @param data holds the pickle
     * @param offset where the pickle starts in {@code data}
     * @param length how many bytes from {@code offset} may be read
     * @return the loaded value; {@code null} for Python's {@code None}
     * @throws PickleException if the bytes are not a whole pickle, pass a limit, or name a global strict mode refuses
     * @throws IndexOutOfBoundsException if the range is not inside {@code data}
     */
    public Object loads(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return PickleReader.ofArray(this, data, offset, length).load();
    }

    /**
     * Reads one pickle from the stream. When the stream supports mark/reset (a
     * {@link java.io.BufferedInputStream} does), it is read in large chunks and left just after the
     * pickle; otherwise it is read with exact-size reads so that nothing after the pickle is taken.
     * To read many pickles from one stream, {@link #open(InputStream)} is faster.
     * @param in the stream
     * @return the loaded value; {@code null} for Python's {@code None}
     * @throws PickleException if the stream holds no whole pickle, or it passes a limit or names a refused global
     * @throws java.io.UncheckedIOException if the stream fails
     */
    public Object load(InputStream in) {
        return PickleReader.ofSharedStream(this, in).load();
    }

    /**
     * Reads the pickles in the stream one after another. The returned stream owns {@code in}: it reads
     * ahead in large chunks and closes it when closed.
     * @param in the stream
     * @return the pickles, read as they are asked for
     */
    public PickleStream open(InputStream in) {
        return new PickleStream(PickleReader.ofStream(this, in), in);
    }

    /**
     * Reads the pickles in {@code data} one after another.
     * @param data the pickles, back to back
     * @return the pickles, read as they are asked for
     */
    public PickleStream open(byte[] data) {
        return new PickleStream(PickleReader.ofArray(this, data, 0, data.length), null);
    }

    /** {@return the encoding for Python 2 strings: a charset name, or {@code "bytes"} to keep them as byte arrays} */
    public String encoding() {
        return encoding;
    }

    Charset charset() {
        return charset;
    }

    /** {@return the bounds on each pickle} */
    public Limits limits() {
        return limits;
    }

    /** {@return whether globals other than the standard types picklejar maps are refused} */
    public boolean strict() {
        return strict;
    }

    /** {@return whether Python 2 module and class names are mapped to Python 3 below protocol 3} */
    public boolean fixImports() {
        return fixImports;
    }

    Function<Object, Object> persistentLoad() {
        return persistentLoad;
    }

    List<Object> buffers() {
        return buffers;
    }

    Map<Integer, PyGlobal> extensions() {
        return extensions;
    }

    ReadObserver observer() {
        return observer;
    }

    boolean lenient() {
        return lenient;
    }

    /** {@return whether the streams of {@link #open} keep the memo from one pickle to the next} */
    public boolean sharedMemo() {
        return sharedMemo;
    }

    /** Options for an {@link Unpickler}. */
    public static final class Builder {
        private String encoding = "ASCII";
        private Charset charset = StandardCharsets.US_ASCII;
        private Limits limits = Limits.defaults();
        private boolean strict;
        private boolean fixImports = true;
        private Function<Object, Object> persistentLoad;
        private List<Object> buffers;
        private Map<Integer, PyGlobal> extensions = Map.of();
        private ReadObserver observer;
        private boolean lenient;
        private boolean sharedMemo;

        private Builder() {
        }

        /**
         * How to decode Python 2 {@code str} (STRING, BINSTRING, SHORT_BINSTRING): {@code "ASCII"}
         * (the default, as in Python), {@code "latin1"}, any other charset name, or {@code "bytes"} to
         * load them as byte arrays.
         * @param encoding the charset name, or {@code "bytes"}; not null
         * @return this builder
         * @throws IllegalArgumentException if Java knows no charset of that name
         */
        public Builder encoding(String encoding) {
            Objects.requireNonNull(encoding, "encoding");
            String key = encoding.toLowerCase(Locale.ROOT).replace('_', '-');
            Charset cs;
            switch (key) {
                case "bytes" -> cs = null;
                case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1" -> cs = StandardCharsets.ISO_8859_1;
                case "ascii", "us-ascii" -> cs = StandardCharsets.US_ASCII;
                case "utf8", "utf-8" -> cs = StandardCharsets.UTF_8;
                default -> {
                    try {
                        cs = Charset.forName(encoding);
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        throw new IllegalArgumentException("unknown encoding: " + encoding, e);
                    }
                }
            }
            this.encoding = encoding;
            this.charset = cs;
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
         * Refuse every global except the standard types picklejar maps to Java values.
         * @param strict true to refuse any other global (with a {@link PickleException} that names it)
         * @return this builder
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * Map Python 2 names to Python 3 below protocol 3 (default true, as in Python).
         * @param fixImports true to map Python 2 names (as Python's {@code fix_imports})
         * @return this builder
         */
        public Builder fixImports(boolean fixImports) {
            this.fixImports = fixImports;
            return this;
        }

        /**
         * Resolves persistent ids (PERSID, BINPERSID) to values, like Python's
         * {@code Unpickler.persistent_load}. Without it such pickles are refused.
         * @param persistentLoad gives the value for each persistent id; {@code null} to refuse them
         * @return this builder
         */
        public Builder persistentLoad(Function<Object, Object> persistentLoad) {
            this.persistentLoad = persistentLoad;
            return this;
        }

        /**
         * The out-of-band buffers that NEXT_BUFFER takes, in order (protocol 5), like the
         * {@code buffers} argument of Python's {@code pickle.loads}. Each is pushed as given;
         * READONLY_BUFFER turns a ByteBuffer or a {@link PickleBuffer} read-only and a PyByteArray
         * into a byte array copy. Give {@link PickleBuffer}s to write the value back out of band.
         * @param buffers the buffers ({@code ByteBuffer}, {@link PickleBuffer}, {@link PyByteArray}...); copied as a
         *     list, {@code null} for none
         * @return this builder
         */
        public Builder buffers(List<?> buffers) {
            this.buffers = buffers == null ? null : Collections.unmodifiableList(new ArrayList<>(buffers));
            return this;
        }

        /**
         * The extension registry for EXT1/EXT2/EXT4 (Python's {@code copyreg.add_extension}).
         * @param extensions each code with the global it stands for; copied, not null
         * @return this builder
         */
        public Builder extensions(Map<Integer, PyGlobal> extensions) {
            this.extensions = Map.copyOf(extensions);
            return this;
        }

        /** For the scanner: an observer of every global and call (package-private on purpose). */
        Builder observer(ReadObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * For the scanner (package-private on purpose): go on where a load stops only for want of
         * configuration or over a form CPython itself accepts, so that what follows is still seen.
         * An unregistered EXT code loads as a placeholder global in the module
         * {@link PickleReader#UNREGISTERED_EXTENSION} named by the code (the observer sees it like any
         * global); NEXT_BUFFER without a buffer pushes an empty {@code bytes}; and STOP takes the top of
         * the stack even when items or an open MARK lie below it, as CPython's STOP does.
         */
        Builder lenient(boolean lenient) {
            this.lenient = lenient;
            return this;
        }

        /**
         * Read the pickles of one stream as one CPython {@code Unpickler}'s repeated {@code load()}
         * reads them: the memo is kept from one pickle to the next (the stack, the marks and the
         * protocol are not), so a pickle can fetch what an earlier one stored. That is how the
         * pickles of one {@code Pickler}'s repeated {@code dump()} (or {@link Pickler#open}'s
         * {@link PickleSink}) must be read. Off by default, as for repeated {@code pickle.load(f)}:
         * pickles written by separate picklers each number their memo from 0, and at protocol 4
         * and up, where MEMOIZE stores at the memo's length, one memo would mix them up. The memo
         * then holds every memoized value of the stream until the stream is closed.
         * @param sharedMemo true to keep the memo from one pickle to the next
         * @return this builder
         */
        public Builder sharedMemo(boolean sharedMemo) {
            this.sharedMemo = sharedMemo;
            return this;
        }

        /** {@return an unpickler with these options} */
        public Unpickler build() {
            return new Unpickler(this);
        }
    }
}
