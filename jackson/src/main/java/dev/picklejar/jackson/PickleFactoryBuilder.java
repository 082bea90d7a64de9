package dev.picklejar.jackson;

import dev.picklejar.Pickle;
import dev.picklejar.PyGlobal;
import dev.picklejar.Unpickler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.ErrorReportConfiguration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.base.DecorableTSFactory.DecorableTSFBuilder;

/** Options for a {@link PickleFactory}: the protocol written, how pickles are loaded, Python classes. */
public final class PickleFactoryBuilder extends DecorableTSFBuilder<PickleFactory, PickleFactoryBuilder> {
    int protocol = Pickle.DEFAULT_PROTOCOL;
    Unpickler unpickler = Unpickler.standard();
    final Map<Class<?>, PyGlobal> pythonClasses = new LinkedHashMap<>();

    PickleFactoryBuilder() {
        super(StreamReadConstraints.defaults(), StreamWriteConstraints.defaults(),
                ErrorReportConfiguration.defaults(), 0, 0);
    }

    PickleFactoryBuilder(PickleFactory base) {
        super(base);
        this.protocol = base.protocol();
        this.unpickler = base.unpickler();
        this.pythonClasses.putAll(base.pythonClasses());
    }

    /**
     * The pickle protocol generators write, 0 to 5 (default 5, as {@code pickle.dumps} in Python 3.8+ with protocol=5).
     * @param protocol the pickle protocol, 0 to {@link Pickle#HIGHEST_PROTOCOL}
     * @return this builder
     * @throws IllegalArgumentException if {@code protocol} is out of that range
     */
    public PickleFactoryBuilder protocol(int protocol) {
        if (protocol < 0 || protocol > Pickle.HIGHEST_PROTOCOL) {
            throw new IllegalArgumentException("pickle protocol must be 0 to " + Pickle.HIGHEST_PROTOCOL
                    + ", not " + protocol);
        }
        this.protocol = protocol;
        return this;
    }

    /**
     * How parsers load pickles (default {@link Unpickler#standard()}): encoding, strict mode, limits.
     * @param unpickler the reader every parser of the factory uses; not null
     * @return this builder
     */
    public PickleFactoryBuilder unpickler(Unpickler unpickler) {
        this.unpickler = Objects.requireNonNull(unpickler, "unpickler");
        return this;
    }

    /**
     * Writes values of a Java type (a record, POJO or enum) as instances of a Python class, as a
     * {@link PythonClass} annotation on the type would.
     * @param type the Java type; not null
     * @param module the module that defines the Python class, as {@code cls.__module__}:
     *     {@code "geometry"}; not null
     * @param qualifiedName the class's name within its module, as {@code cls.__qualname__}:
     *     {@code "Point"}; not null
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public PickleFactoryBuilder pythonClass(Class<?> type, String module, String qualifiedName) {
        pythonClasses.put(Objects.requireNonNull(type, "type"), new PyGlobal(module, qualifiedName));
        return this;
    }

    @Override
    public PickleFactory build() {
        return new PickleFactory(this);
    }
}
