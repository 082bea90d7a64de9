package dev.picklejar;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes Java values as pickles, byte for byte what CPython's {@code pickle.dumps} writes for the
 * same data at the same protocol. Immutable and thread-safe; configure one with {@link #builder()}.
 *
 * <pre>{@code
 * Pickler p = Pickler.builder().protocol(2).registerRecord(Point.class, "geometry", "Point").build();
 * byte[] bytes = p.dumps(List.of(new Point(1, 2)));
 * }</pre>
 *
 * <p>The registrations here are few and small on purpose. To bind records, POJOs and enums both
 * ways with Jackson's annotations ({@code readValue(bytes, Point.class)}), use
 * {@code picklejar-jackson}'s {@code PickleMapper}, which writes through this class.
 */
public final class Pickler {
    private static final Pickler[] STANDARD = new Pickler[Pickle.HIGHEST_PROTOCOL + 1];

    static {
        for (int p = 0; p <= Pickle.HIGHEST_PROTOCOL; p++) {
            STANDARD[p] = builder().protocol(p).build();
        }
    }

    private final int protocol;
    private final boolean fixImports;
    private final Predicate<PickleBuffer> bufferCallback;
    private final Function<Object, Object> persistentId;
    private final Map<PyGlobal, Integer> extensions;
    private final Map<Class<?>, Function<Object, Object>> converters;
    private final dev.picklejar.numpy.NumpyVersion numpyVersion;
    private final PrimitiveArrays primitiveArrays;

    /** How Java primitive arrays ({@code int[]}, {@code double[]}...; {@code byte[]} is bytes) are written. */
    public enum PrimitiveArrays {
        /**
         * As {@code array.array} of the matching typecode (the default): {@code int[]} 'i',
         * {@code long[]} 'q', {@code short[]} 'h', {@code float[]} 'f', {@code double[]} 'd'. Needs no
         * package on the Python side, and loads back as a {@link PyArray}.
         */
        ARRAY,
        /** As a Python list of the items: {@code [1, 2, 3]}. */
        LIST,
        /**
         * As numpy arrays (see {@link Builder#numpyArrays(boolean)}): also rectangular 2-D arrays such as
         * {@code double[][]}; written for {@link Pickler#numpyVersion()}.
         */
        NUMPY
    }

    private Pickler(Builder b) {
        this.numpyVersion = b.numpyVersion;
        this.protocol = b.protocol;
        this.fixImports = b.fixImports;
        this.bufferCallback = b.bufferCallback;
        this.persistentId = b.persistentId;
        this.extensions = Map.copyOf(b.extensions);
        this.converters = Map.copyOf(b.converters);
        this.primitiveArrays = b.primitiveArrays;
    }

    /**
     * A pickler with default options at the given protocol (0 to 5).
     * @param protocol the pickle protocol, 0 to 5
     * @return the pickler
     * @throws IllegalArgumentException if {@code protocol} is out of range
     */
    public static Pickler standard(int protocol) {
        if (protocol < 0 || protocol > Pickle.HIGHEST_PROTOCOL) {
            throw new IllegalArgumentException("pickle protocol must be 0 to " + Pickle.HIGHEST_PROTOCOL
                    + ", not " + protocol);
        }
        return STANDARD[protocol];
    }

    /**
     * {@return a builder with the defaults: protocol 5, Python 2 names below protocol 3, primitive arrays as
     * {@code array.array}}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The pickle of the value.
     * @param value what to pickle
     * @return the pickle's bytes
     * @throws PicklingException if the value, or a value inside it, cannot be pickled
     */
    public byte[] dumps(Object value) {
        ChunkedOutput out = new ChunkedOutput();
        new PickleWriter(this, out).write(value);
        return out.toByteArray();
    }

    /**
     * Writes the pickle of the value to the stream, in large writes (payloads of 64 KiB or more are
     * written straight from their arrays). The stream is neither flushed nor closed.
     * @param value what to pickle
     * @param out where the pickle goes
     * @throws PicklingException if the value, or a value inside it, cannot be pickled
     * @throws java.io.UncheckedIOException if the stream fails
     */
    public void dump(Object value, OutputStream out) {
        new PickleWriter(this, Objects.requireNonNull(out, "out")).write(value);
    }

    /**
     * A sink that writes pickle after pickle to the stream with one memo, as one CPython
     * {@code Pickler}'s repeated {@code dump()}: see {@link PickleSink}. The sink owns the stream.
     * @param out the stream the pickles go to
     * @return the sink
     */
    public PickleSink open(OutputStream out) {
        return new PickleSink(this, Objects.requireNonNull(out, "out"));
    }

    /** {@return the pickle protocol written, 0 to 5} */
    public int protocol() {
        return protocol;
    }

    /** {@return whether Python 3 names are written as their Python 2 equivalents below protocol 3 (default true)} */
    public boolean fixImports() {
        return fixImports;
    }

    /** {@return how Java primitive arrays are written (default {@link PrimitiveArrays#ARRAY})} */
    public PrimitiveArrays primitiveArrays() {
        return primitiveArrays;
    }

    Predicate<PickleBuffer> bufferCallback() {
        return bufferCallback;
    }

    Function<Object, Object> persistentId() {
        return persistentId;
    }

    Integer extensionCode(PyGlobal global) {
        return extensions.isEmpty() ? null : extensions.get(global);
    }

    /** {@return the numpy generation numpy values are written for (default {@code NUMPY_2})} */
    public dev.picklejar.numpy.NumpyVersion numpyVersion() {
        return numpyVersion;
    }

    /** {@return whether Java primitive arrays ({@code double[]}, {@code int[][]}...) are written as numpy arrays} */
    public boolean numpyArrays() {
        return primitiveArrays == PrimitiveArrays.NUMPY;
    }

    Function<Object, Object> converter(Class<?> type) {
        if (converters.isEmpty()) {
            return null;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Function<Object, Object> f = converters.get(c);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** Options for a {@link Pickler}. */
    public static final class Builder {
        private int protocol = Pickle.DEFAULT_PROTOCOL;
        private dev.picklejar.numpy.NumpyVersion numpyVersion = dev.picklejar.numpy.NumpyVersion.NUMPY_2;
        private boolean fixImports = true;
        private Predicate<PickleBuffer> bufferCallback;
        private Function<Object, Object> persistentId;
        private final Map<PyGlobal, Integer> extensions = new HashMap<>();
        private final Map<Class<?>, Function<Object, Object>> converters = new LinkedHashMap<>();
        private PrimitiveArrays primitiveArrays = PrimitiveArrays.ARRAY;

        private Builder() {
        }

        /**
         * How Java primitive arrays are written: {@code array.array} (the default) or a list.
         * @param primitiveArrays the form; not null
         * @return this builder
         */
        public Builder primitiveArrays(PrimitiveArrays primitiveArrays) {
            this.primitiveArrays = Objects.requireNonNull(primitiveArrays, "primitiveArrays");
            return this;
        }

        /**
         * The protocol, 0 to 5 (default 5).
         * @param protocol the pickle protocol
         * @return this builder
         * @throws IllegalArgumentException if {@code protocol} is not 0 to 5
         */
        public Builder protocol(int protocol) {
            if (protocol < 0 || protocol > Pickle.HIGHEST_PROTOCOL) {
                throw new IllegalArgumentException("pickle protocol must be 0 to " + Pickle.HIGHEST_PROTOCOL
                        + ", not " + protocol);
            }
            this.protocol = protocol;
            return this;
        }

        /**
         * Write Python 2 names for Python 3 globals below protocol 3 (default true, as in Python).
         * @param fixImports true to write Python 2 names (as Python's {@code fix_imports})
         * @return this builder
         */
        public Builder fixImports(boolean fixImports) {
            this.fixImports = fixImports;
            return this;
        }

        /**
         * Protocol 5 out-of-band buffers, like Python's {@code buffer_callback}: called with each
         * {@link PickleBuffer}; return {@code false} to send it out of band (NEXT_BUFFER is written and
         * the buffer is yours to transmit), {@code true} to write it into the pickle.
         * @param bufferCallback decides for each buffer; {@code null} (the default) writes every buffer in band
         * @return this builder
         */
        public Builder bufferCallback(Predicate<PickleBuffer> bufferCallback) {
            this.bufferCallback = bufferCallback;
            return this;
        }

        /**
         * Names values that live outside the pickle, like Python's {@code persistent_id}: return an id
         * (written as PERSID/BINPERSID, for the reader's persistentLoad to resolve) or {@code null} to
         * pickle the value as usual.
         * @param persistentId gives a value's id or {@code null}; {@code null} for no persistent ids
         * @return this builder
         */
        public Builder persistentId(Function<Object, Object> persistentId) {
            this.persistentId = persistentId;
            return this;
        }

        /**
         * The extension registry for EXT1/EXT2/EXT4 (Python's {@code copyreg.add_extension}), protocol 2+.
         * @param global the global written as the code; not null
         * @param code the extension code, 1 to 2^31-1
         * @return this builder
         * @throws IllegalArgumentException if {@code code} is out of range
         */
        public Builder extension(PyGlobal global, int code) {
            if (code < 1 || code > 0x7fffffff) {
                throw new IllegalArgumentException("extension code must be 1 to 2**31-1, not " + code);
            }
            extensions.put(Objects.requireNonNull(global, "global"), code);
            return this;
        }

        /**
         * Writes values of a Java type as instances of a Python class, the way CPython writes a plain
         * instance: {@code cls.__new__(cls)} then its state (usually a dict of attributes). The state
         * function gives that state for a value.
         * @param <T> the Java type
         * @param type the Java type; its subclasses too, unless they have their own registration
         * @param module the Python class's module, as {@code cls.__module__}; not null
         * @param qualifiedName the Python class's name within its module, as {@code cls.__qualname__}; not null
         * @param state gives a value's state, written with BUILD; not null
         * @return this builder
         */
        public <T> Builder register(Class<T> type, String module, String qualifiedName,
                                    Function<? super T, ?> state) {
            Objects.requireNonNull(state, "state");
            PyGlobal cls = new PyGlobal(module, qualifiedName);
            converters.put(type, value -> {
                PyObject object = PyObject.newObj(cls, PyTuple.EMPTY);
                object.setState(state.apply(type.cast(value)));
                return object;
            });
            return this;
        }

        /**
         * Writes a record type as instances of a Python class whose attributes are the record's
         * components (a dataclass, say), in declaration order. The record may have any access level
         * (a record declared in a method, say) as long as its package is open to picklejar, as every
         * package on the class path is. For binding records, POJOs and enums both ways with the
         * annotations Java developers already use, see {@code picklejar-jackson}'s {@code PickleMapper}.
         * @param <R> the record type
         * @param type the record type
         * @param module the Python class's module, as {@code cls.__module__}; not null
         * @param qualifiedName the Python class's name within its module, as {@code cls.__qualname__}; not null
         * @return this builder
         * @throws IllegalArgumentException if picklejar cannot read the record's components (its package is not open)
         */
        public <R extends Record> Builder registerRecord(Class<R> type, String module, String qualifiedName) {
            RecordComponent[] components = type.getRecordComponents();
            Method[] accessors = new Method[components.length];
            String[] names = new String[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = accessible(type, components[i]);
                names[i] = components[i].getName().intern();
            }
            return register(type, module, qualifiedName, value -> {
                Map<String, Object> state = new LinkedHashMap<>();
                for (int i = 0; i < accessors.length; i++) {
                    try {
                        state.put(names[i], accessors[i].invoke(value));
                    } catch (ReflectiveOperationException e) {
                        throw new PicklingException("cannot read " + type.getName() + "." + names[i], e);
                    }
                }
                return state;
            });
        }

        /**
         * The accessor of a component, callable from here: a record that is not public (declared in
         * a method, or package-private) has public accessors that reflection still refuses to call
         * from another package until they are made accessible.
         */
        private static Method accessible(Class<?> type, RecordComponent component) {
            Method accessor = component.getAccessor();
            if (!accessor.trySetAccessible() && !Modifier.isPublic(type.getModifiers())) {
                throw new IllegalArgumentException("cannot read the components of " + type.getName()
                        + ": its module does not open " + type.getPackageName() + " to picklejar;"
                        + " make the record public or open the package");
            }
            return accessor;
        }

        /**
         * Writes values of a Java type as whatever the function turns them into: any value picklejar
         * can write, typically a {@link PyObject}.
         * @param <T> the Java type
         * @param type the Java type; its subclasses too, unless they have their own registration
         * @param toPython turns a value into what is written; not null
         * @return this builder
         */
        public <T> Builder register(Class<T> type, Function<? super T, ?> toPython) {
            Objects.requireNonNull(toPython, "toPython");
            converters.put(type, value -> toPython.apply(type.cast(value)));
            return this;
        }

        /**
         * The numpy generation that numpy values ({@link dev.picklejar.numpy.NdArray} and the rest) are
         * written for: {@code NUMPY_2} (default, {@code numpy._core...}, which numpy 2 loads) or
         * {@code NUMPY_1} ({@code numpy.core...}, which numpy 1 and 2 load). Loaded arrays keep the names they came with.
         * @param version the numpy generation; not null
         * @return this builder
         */
        public Builder numpyVersion(dev.picklejar.numpy.NumpyVersion version) {
            this.numpyVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Writes Java primitive arrays as numpy arrays: {@code double[]} as a {@code float64} array,
         * {@code float[]}, {@code long[]}, {@code int[]}, {@code short[]}, {@code boolean[]} likewise, and
         * rectangular {@code double[][]}, {@code float[][]}, {@code long[][]}, {@code int[][]} as 2-D arrays
         * ({@code byte[]} stays {@code bytes}). Off by default. The same as
         * {@code primitiveArrays(numpyArrays ? PrimitiveArrays.NUMPY : PrimitiveArrays.ARRAY)}.
         * @param numpyArrays true to write numpy arrays, false for {@code array.array}
         * @return this builder
         */
        public Builder numpyArrays(boolean numpyArrays) {
            this.primitiveArrays = numpyArrays ? PrimitiveArrays.NUMPY : PrimitiveArrays.ARRAY;
            return this;
        }

        /** {@return a pickler with these options} */
        public Pickler build() {
            return new Pickler(this);
        }
    }
}
