package dev.picklejar.jackson;

import dev.picklejar.Pickle;
import dev.picklejar.Pickler;
import dev.picklejar.PyGlobal;
import dev.picklejar.Unpickler;
import java.io.DataInput;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.FormatSchema;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.Version;
import tools.jackson.core.base.BinaryTSFactory;
import tools.jackson.core.io.IOContext;

/**
 * The Jackson token stream factory for Python pickles: parsers that read the pickles of an input
 * one after another (each pickle one root value) and generators that write each root value as one
 * pickle, byte for byte what CPython's {@code pickle.dumps} writes for the same data. Immutable;
 * configure one with {@link #builder()}. Most users want {@link PickleMapper} instead.
 */
public final class PickleFactory extends BinaryTSFactory {
    private static final long serialVersionUID = 1L;

    /** The format's name, as {@link #getFormatName()} gives it. */
    public static final String FORMAT_NAME = "pickle";

    /** The protocol generators write; serialized (the other fields are rebuilt from the builder). */
    private final int protocol;
    private final transient Unpickler unpickler;
    private final transient Pickler pickler;
    private final transient Map<Class<?>, PyGlobal> pythonClasses;
    private final transient Map<Class<?>, Optional<PyGlobal>> pythonClassCache = new ConcurrentHashMap<>();

    /** A factory with the defaults: protocol 5, {@link Unpickler#standard()}. */
    public PickleFactory() {
        this(new PickleFactoryBuilder());
    }

    PickleFactory(PickleFactoryBuilder b) {
        super(b);
        this.protocol = b.protocol;
        this.unpickler = b.unpickler;
        this.pickler = Pickler.standard(b.protocol);
        this.pythonClasses = Map.copyOf(b.pythonClasses);
    }

    private PickleFactory(PickleFactory src) {
        super(src);
        this.protocol = src.protocol;
        this.unpickler = src.unpickler;
        this.pickler = src.pickler;
        this.pythonClasses = src.pythonClasses;
    }

    /**
     * Java serialization (Jackson's factories are {@code Serializable}) keeps the protocol and the
     * Python classes; the {@link Unpickler}, which is not serializable, comes back as the standard one.
     * @return the serializable form, which rebuilds the factory through its builder when read back
     */
    private Object writeReplace() {
        Map<Class<?>, List<String>> classes = new LinkedHashMap<>();
        pythonClasses.forEach((type, cls) -> classes.put(type, List.of(cls.module(), cls.name())));
        return new Serialized(protocol, classes);
    }

    private record Serialized(int protocol, Map<Class<?>, List<String>> classes) implements Serializable {
        private Object readResolve() {
            PickleFactoryBuilder b = builder().protocol(protocol);
            classes.forEach((type, name) -> b.pythonClass(type, name.get(0), name.get(1)));
            return b.build();
        }
    }

    /** {@return a builder with the defaults: protocol 5, {@link Unpickler#standard()}, no Python classes} */
    public static PickleFactoryBuilder builder() {
        return new PickleFactoryBuilder();
    }

    @Override
    public PickleFactoryBuilder rebuild() {
        return new PickleFactoryBuilder(this);
    }

    @Override
    public PickleFactory copy() {
        return new PickleFactory(this);
    }

    @Override
    public TokenStreamFactory snapshot() {
        return this;
    }

    /** {@return the protocol generators write, 0 to 5 (default {@value Pickle#DEFAULT_PROTOCOL})} */
    public int protocol() {
        return protocol;
    }

    /** {@return how parsers load each pickle: encoding of Python 2 strings, strict mode, limits} */
    public Unpickler unpickler() {
        return unpickler;
    }

    /**
     * {@return the Java types registered as Python classes on the builder (besides {@link PythonClass} annotations)}
     */
    public Map<Class<?>, PyGlobal> pythonClasses() {
        return pythonClasses;
    }

    /**
     * The Python class that values of a Java type are written as, from a registration or a
     * {@link PythonClass} annotation; empty for types written as dicts.
     * @param type a Java type about to be written; not null
     * @return the Python class {@code type} is written as, or empty when it is written as a dict
     */
    public Optional<PyGlobal> pythonClassOf(Class<?> type) {
        return pythonClassCache.computeIfAbsent(type, this::findPythonClass);
    }

    private Optional<PyGlobal> findPythonClass(Class<?> type) {
        PyGlobal registered = pythonClasses.get(type);
        if (registered != null) {
            return Optional.of(registered);
        }
        PythonClass annotation = type.getAnnotation(PythonClass.class);
        return annotation == null ? Optional.empty() : Optional.of(new PyGlobal(annotation.module(), annotation.name()));
    }

    Pickler pickler() {
        return pickler;
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public boolean canParseAsync() {
        return false;
    }

    @Override
    public String getFormatName() {
        return FORMAT_NAME;
    }

    @Override
    public boolean canUseSchema(FormatSchema schema) {
        return false;
    }

    /** Pickles carry bytes as bytes, not as base64 text. */
    @Override
    public boolean canHandleBinaryNatively() {
        return true;
    }

    @Override
    protected JsonParser _createParser(ObjectReadContext readCtxt, IOContext ioCtxt, InputStream in) {
        return new PickleParser(readCtxt, ioCtxt, readCtxt.getStreamReadFeatures(_streamReadFeatures),
                unpickler.open(in));
    }

    @Override
    protected JsonParser _createParser(ObjectReadContext readCtxt, IOContext ioCtxt, byte[] data, int offset, int len) {
        byte[] slice = offset == 0 && len == data.length ? data : Arrays.copyOfRange(data, offset, offset + len);
        return new PickleParser(readCtxt, ioCtxt, readCtxt.getStreamReadFeatures(_streamReadFeatures),
                unpickler.open(slice));
    }

    @Override
    protected JsonParser _createParser(ObjectReadContext readCtxt, IOContext ioCtxt, DataInput input) {
        return _unsupported("a pickle is read from bytes or an InputStream, not a DataInput");
    }

    @Override
    protected JsonGenerator _createGenerator(ObjectWriteContext writeCtxt, IOContext ioCtxt, OutputStream out) {
        return new PickleGenerator(writeCtxt, ioCtxt, writeCtxt.getStreamWriteFeatures(_streamWriteFeatures),
                out, this);
    }
}
