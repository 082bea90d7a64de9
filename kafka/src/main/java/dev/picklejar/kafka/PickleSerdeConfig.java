package dev.picklejar.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.picklejar.Limits;
import dev.picklejar.Pickle;
import dev.picklejar.Pickler;
import dev.picklejar.Pickler.PrimitiveArrays;
import dev.picklejar.Unpickler;
import dev.picklejar.numpy.NumpyVersion;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration keys of {@link PickleSerializer}, {@link PickleDeserializer} and
 * {@link PickleSerde}, read from the producer's, consumer's or Streams application's properties.
 *
 * <p>Every key applies to keys and values alike; a key prefixed with {@code key.} or {@code value.}
 * ({@code value.picklejar.protocol=2}) applies only to that side and wins over the plain key, as
 * with Kafka's own {@code key.serializer.encoding}.
 */
public final class PickleSerdeConfig extends AbstractConfig {
    /** Protocol the serializer writes, 0 to 5; default 5, as picklejar's (Python 3.8 and later read it). */
    public static final String PROTOCOL = "picklejar.protocol";
    /** The numpy generation the serializer writes arrays for, 1 or 2; default 2. */
    public static final String NUMPY_VERSION = "picklejar.numpy.version";
    /** How the serializer writes Java primitive arrays: array (array.array, the default), list or numpy. */
    public static final String PRIMITIVE_ARRAYS = "picklejar.primitive.arrays";
    /** Whether the deserializer refuses every global except the standard types; default false. */
    public static final String STRICT = "picklejar.strict";
    /** How the deserializer decodes Python 2 {@code str}: ASCII (default), latin1, bytes, or a charset. */
    public static final String ENCODING = "picklejar.encoding";
    /** Deepest container nesting one record may hold; default 10 000. */
    public static final String MAX_DEPTH = "picklejar.max.depth";
    /** Most memo entries one record may store; default what the heap holds (see {@link Limits#defaults()}). */
    public static final String MAX_MEMO_SIZE = "picklejar.max.memo.size";
    /** Longest single string, bytes or integer field, in bytes; default 2 GiB. */
    public static final String MAX_FIELD_LENGTH = "picklejar.max.field.length";
    /** Most items the unpickling stack may hold at once; default what the heap holds. */
    public static final String MAX_STACK_SIZE = "picklejar.max.stack.size";
    /** Most values one record may push in all (every item of every container); default what the heap holds. */
    public static final String MAX_ITEMS = "picklejar.max.items";

    /**
     * A Java class the deserializer binds each record to (a record, POJO, enum...) through
     * picklejar-jackson's {@code PickleMapper}, which must then be on the classpath; default unset:
     * picklejar's own values ({@code LinkedHashMap}, {@code PyTuple}...).
     */
    public static final String TYPE = "picklejar.type";

    private static final Limits DEFAULT_LIMITS = Limits.defaults();

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(PROTOCOL, Type.INT, Pickle.DEFAULT_PROTOCOL, Range.between(0, Pickle.HIGHEST_PROTOCOL),
                    Importance.MEDIUM, "Pickle protocol the serializer writes (0 to 5). Python 3.8 and later read "
                            + "every protocol; Python 2 reads 0 to 2.")
            .define(NUMPY_VERSION, Type.INT, 2, Range.between(1, 2), Importance.LOW,
                    "The numpy generation the serializer writes numpy arrays (NdArray) for: 2 (numpy._core) or 1 "
                            + "(numpy.core), which numpy 1.x consumers need, since they cannot load numpy 2's names.")
            .define(PRIMITIVE_ARRAYS, Type.STRING, "array", ConfigDef.CaseInsensitiveValidString.in("array", "list", "numpy"),
                    Importance.LOW, "How the serializer writes Java primitive arrays (double[], int[][]...): array "
                            + "(Python's array.array, no package needed), list, or numpy (numpy arrays).")
            .define(STRICT, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Refuse any global but the standard types (datetime, Decimal, UUID, collections...), so a "
                            + "record naming any other class fails to deserialize instead of loading inertly.")
            .define(ENCODING, Type.STRING, "ASCII", new EncodingValidator(), Importance.LOW,
                    "How to decode Python 2 str values: ASCII (Python's default), latin1, bytes (load them as "
                            + "byte arrays) or any charset name, as the encoding argument of pickle.loads.")
            .define(MAX_DEPTH, Type.INT, DEFAULT_LIMITS.maxDepth(), Range.atLeast(1), Importance.LOW,
                    "Deepest nesting of containers one record may hold.")
            .define(MAX_MEMO_SIZE, Type.INT, null, atLeastOrUnset(0), Importance.LOW,
                    "Most memo entries one record may store; unset: what the heap holds, as Limits.defaults().")
            .define(MAX_FIELD_LENGTH, Type.LONG, DEFAULT_LIMITS.maxFieldLength(), Range.atLeast(0), Importance.LOW,
                    "Longest single string, bytes or integer field of a record, in bytes.")
            .define(MAX_STACK_SIZE, Type.INT, null, atLeastOrUnset(1), Importance.LOW,
                    "Most items the unpickling stack may hold at once; unset: what the heap holds.")
            .define(MAX_ITEMS, Type.LONG, null, atLeastOrUnset(1), Importance.LOW,
                    "Most values one record may push in all (every item of every container), which bounds the "
                            + "memory its containers take; unset: Runtime.maxMemory() / 32, as Limits.defaults().")
            .define(TYPE, Type.CLASS, null, Importance.MEDIUM,
                    "A Java class (record, POJO, enum...) the deserializer binds each record to with Jackson's "
                            + "annotations, through picklejar-jackson's PickleMapper (add that module to the "
                            + "classpath); unset: picklejar's own values (dicts as LinkedHashMap, tuples as PyTuple...).");

    /** Unset (null) leaves the heap-sized default of {@link Limits#defaults()}, which ConfigDef cannot hold. */
    private static ConfigDef.Validator atLeastOrUnset(long min) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null && ((Number) value).longValue() < min) {
                throw new ConfigException(name, value, "must be at least " + min);
            }
        }, () -> "[" + min + ",...] or unset");
    }

    /** {@return the keys with their types, defaults, validators and documentation (a copy: ConfigDef is mutable)} */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * The configuration of one side (keys or values) from a client's properties.
     * @param configs the client's properties; the {@code picklejar.*} keys are read, and a {@code key.picklejar.*}
     *     or {@code value.picklejar.*} key overrides its unprefixed form for that side
     * @param isKey true for the side that handles record keys, false for values
     * @throws org.apache.kafka.common.config.ConfigException if a {@code picklejar.*} value has the wrong type or
     *     is out of range
     */
    public PickleSerdeConfig(Map<String, ?> configs, boolean isKey) {
        super(CONFIG, forSide(configs, isKey ? "key." : "value."), false);
    }

    /**
     * The configuration from properties that hold only the {@code picklejar.*} keys.
     * @param configs properties keyed by the unprefixed names ({@link #PROTOCOL}, {@link #TYPE}...)
     * @throws org.apache.kafka.common.config.ConfigException if a value has the wrong type or is out of range
     */
    public PickleSerdeConfig(Map<String, ?> configs) {
        super(CONFIG, configs, false);
    }

    private static Map<String, Object> forSide(Map<String, ?> configs, String prefix) {
        Map<String, Object> side = new HashMap<>(configs);
        configs.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.startsWith("picklejar.", prefix.length())) {
                side.put(name.substring(prefix.length()), value);
            }
        });
        return side;
    }

    /** {@return the pickler these settings describe} */
    public Pickler pickler() {
        return Pickler.builder()
                .protocol(getInt(PROTOCOL))
                .numpyVersion(getInt(NUMPY_VERSION) == 1 ? NumpyVersion.NUMPY_1 : NumpyVersion.NUMPY_2)
                .primitiveArrays(PrimitiveArrays.valueOf(getString(PRIMITIVE_ARRAYS).toUpperCase(Locale.ROOT)))
                .build();
    }

    /** {@return the class the deserializer binds records to ({@link #TYPE}), or null for picklejar's own values} */
    public Class<?> type() {
        return getClass(TYPE);
    }

    /** {@return the unpickler these settings describe} */
    public Unpickler unpickler() {
        Limits limits = Limits.defaults()
                .withMaxDepth(getInt(MAX_DEPTH))
                .withMaxFieldLength(getLong(MAX_FIELD_LENGTH));
        if (getInt(MAX_MEMO_SIZE) != null) {
            limits = limits.withMaxMemoSize(getInt(MAX_MEMO_SIZE));
        }
        if (getInt(MAX_STACK_SIZE) != null) {
            limits = limits.withMaxStackSize(getInt(MAX_STACK_SIZE));
        }
        if (getLong(MAX_ITEMS) != null) {
            limits = limits.withMaxItems(getLong(MAX_ITEMS));
        }
        return Unpickler.builder()
                .strict(getBoolean(STRICT))
                .encoding(getString(ENCODING))
                .limits(limits)
                .build();
    }

    /** Refuses an encoding name the unpickler would refuse, when the client starts, not on the first record. */
    private static final class EncodingValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "an encoding is required (ASCII, latin1, bytes or a charset name)");
            }
            try {
                Unpickler.builder().encoding(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "unknown encoding; use ASCII, latin1, bytes or a charset name");
            }
        }

        @Override
        public String toString() {
            return "ASCII, latin1, bytes or a charset name";
        }
    }
}
