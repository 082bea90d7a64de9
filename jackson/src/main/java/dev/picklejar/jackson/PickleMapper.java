package dev.picklejar.jackson;

import dev.picklejar.Unpickler;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.cfg.MapperBuilderState;
import tools.jackson.databind.jsontype.NamedType;

/**
 * An {@link ObjectMapper} for Python pickles: {@code readValue} binds the pickles CPython writes
 * (dicts, dataclasses plain and with slots, namedtuples, Enum members, numpy arrays, datetimes,
 * Decimals...) to records, POJOs, enums, collections and arrays with Jackson's usual annotations;
 * {@code writeValueAsBytes} writes what CPython's {@code pickle.dumps} writes for the equivalent
 * Python value, byte for byte. Immutable and thread-safe; configure one with {@link #builder()}.
 *
 * <pre>{@code
 * PickleMapper mapper = PickleMapper.builder().protocol(4).pythonClass(Point.class, "geometry", "Point").build();
 * Point p = mapper.readValue(bytes, Point.class);
 * byte[] pickle = mapper.writeValueAsBytes(List.of(p));
 * }</pre>
 *
 * <p>Properties are written in declaration order (record components, fields), as Python keeps a
 * dataclass's fields, rather than Jackson 3's default alphabetical order.
 */
public class PickleMapper extends ObjectMapper {
    private static final long serialVersionUID = 1L;

    /** Options for a {@link PickleMapper}: Jackson's own, and the pickle protocol and Python classes. */
    public static final class Builder extends MapperBuilder<PickleMapper, Builder> {
        Builder(PickleFactory factory) {
            super(factory);
            disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
            addModule(new PickleModule());
        }

        Builder(StateImpl state) {
            super(state);
        }

        /**
         * The pickle protocol written, 0 to 5 (default 5).
         * @param protocol the pickle protocol, 0 to 5
         * @return this builder
         * @throws IllegalArgumentException if {@code protocol} is out of that range
         */
        public Builder protocol(int protocol) {
            _streamFactory = factory().rebuild().protocol(protocol).build();
            return this;
        }

        /**
         * How pickles are loaded (default {@link Unpickler#standard()}): Python 2 encoding, strict mode, limits.
         * @param unpickler the reader every parser uses; not null
         * @return this builder
         */
        public Builder unpickler(Unpickler unpickler) {
            _streamFactory = factory().rebuild().unpickler(unpickler).build();
            return this;
        }

        /**
         * Writes a Java type (a record, POJO or enum) as instances of a Python class, as
         * {@link PythonClass} would, and reads instances of that class as this type where
         * {@code @JsonTypeInfo(use = Id.NAME)} asks for a subtype.
         * @param type the Java type; not null
         * @param module the module that defines the Python class, as {@code cls.__module__}:
         *     {@code "geometry"}; not null
         * @param qualifiedName the class's name within its module, as {@code cls.__qualname__}:
         *     {@code "Point"}; not null
         * @return this builder
         * @throws NullPointerException if an argument is null
         */
        public Builder pythonClass(Class<?> type, String module, String qualifiedName) {
            _streamFactory = factory().rebuild().pythonClass(type, module, qualifiedName).build();
            registerSubtypes(new NamedType(type, module + "." + qualifiedName));
            return this;
        }

        private PickleFactory factory() {
            return (PickleFactory) _streamFactory;
        }

        @Override
        public PickleMapper build() {
            return new PickleMapper(this);
        }

        @Override
        protected MapperBuilderState _saveState() {
            return new StateImpl(this);
        }

        static final class StateImpl extends MapperBuilderState {
            private static final long serialVersionUID = 1L;

            StateImpl(Builder src) {
                super(src);
            }

            @Override
            protected Object readResolve() {
                return new Builder(this).build();
            }
        }
    }

    /** A mapper with the defaults: protocol 5, {@link Unpickler#standard()}. */
    public PickleMapper() {
        this(new Builder(new PickleFactory()));
    }

    PickleMapper(Builder b) {
        super(b);
    }

    /** {@return a builder with the defaults: protocol 5, {@link Unpickler#standard()}, no Python classes} */
    public static Builder builder() {
        return new Builder(new PickleFactory());
    }

    /**
     * A builder that starts from a factory's protocol, unpickler and Python classes.
     * @param factory the factory the mapper's parsers and generators come from; not null
     * @return the builder
     */
    public static Builder builder(PickleFactory factory) {
        return new Builder(factory);
    }

    @SuppressWarnings("unchecked")
    @Override
    public Builder rebuild() {
        return new Builder((Builder.StateImpl) _savedBuilderState);
    }

    @Override
    public PickleFactory tokenStreamFactory() {
        return (PickleFactory) _streamFactory;
    }
}
