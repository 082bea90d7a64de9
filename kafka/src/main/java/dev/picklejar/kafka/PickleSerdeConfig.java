package dev.picklejar.kafka;

import java.util.HashMap;
import java.util.Map;

import dev.picklejar.Limits;
import dev.picklejar.Pickle;
import dev.picklejar.Pickler;
import dev.picklejar.Unpickler;
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
    /** Whether the deserializer refuses every global except the standard types; default false. */
    public static final String STRICT = "picklejar.strict";
    /** How the deserializer decodes Python 2 {@code str}: ASCII (default), latin1, bytes, or a charset. */
    public static final String ENCODING = "picklejar.encoding";
    /** Deepest container nesting one record may hold; default 10 000. */
    public static final String MAX_DEPTH = "picklejar.max.depth";
    /** Most memo entries one record may store; default 50 000 000. */
    public static final String MAX_MEMO_SIZE = "picklejar.max.memo.size";
    /** Longest single string, bytes or integer field, in bytes; default 2 GiB. */
    public static final String MAX_FIELD_LENGTH = "picklejar.max.field.length";
    /** Most items the unpickling stack may hold at once; default 50 000 000. */
    public static final String MAX_STACK_SIZE = "picklejar.max.stack.size";

    private static final Limits DEFAULT_LIMITS = Limits.defaults();

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(PROTOCOL, Type.INT, Pickle.DEFAULT_PROTOCOL, Range.between(0, Pickle.HIGHEST_PROTOCOL),
                    Importance.MEDIUM, "Pickle protocol the serializer writes (0 to 5). Python 3.8 and later read "
                            + "every protocol; Python 2 reads 0 to 2.")
            .define(STRICT, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Refuse any global but the standard types (datetime, Decimal, UUID, collections...), so a "
                            + "record naming any other class fails to deserialize instead of loading inertly.")
            .define(ENCODING, Type.STRING, "ASCII", new EncodingValidator(), Importance.LOW,
                    "How to decode Python 2 str values: ASCII (Python's default), latin1, bytes (load them as "
                            + "byte arrays) or any charset name, as the encoding argument of pickle.loads.")
            .define(MAX_DEPTH, Type.INT, DEFAULT_LIMITS.maxDepth(), Range.atLeast(1), Importance.LOW,
                    "Deepest nesting of containers one record may hold.")
            .define(MAX_MEMO_SIZE, Type.INT, DEFAULT_LIMITS.maxMemoSize(), Range.atLeast(0), Importance.LOW,
                    "Most memo entries one record may store.")
            .define(MAX_FIELD_LENGTH, Type.LONG, DEFAULT_LIMITS.maxFieldLength(), Range.atLeast(0), Importance.LOW,
                    "Longest single string, bytes or integer field of a record, in bytes.")
            .define(MAX_STACK_SIZE, Type.INT, DEFAULT_LIMITS.maxStackSize(), Range.atLeast(1), Importance.LOW,
                    "Most items the unpickling stack may hold at once.");

    /** The keys with their types, defaults, validators and documentation (a copy: ConfigDef is mutable). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The configuration of one side (keys or values) from a client's properties. */
    public PickleSerdeConfig(Map<String, ?> configs, boolean isKey) {
        super(CONFIG, forSide(configs, isKey ? "key." : "value."), false);
    }

    /** The configuration from properties that hold only the {@code picklejar.*} keys. */
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

    /** The pickler these settings describe. */
    public Pickler pickler() {
        return Pickler.builder().protocol(getInt(PROTOCOL)).build();
    }

    /** The unpickler these settings describe. */
    public Unpickler unpickler() {
        Limits limits = DEFAULT_LIMITS
                .withMaxDepth(getInt(MAX_DEPTH))
                .withMaxMemoSize(getInt(MAX_MEMO_SIZE))
                .withMaxFieldLength(getLong(MAX_FIELD_LENGTH))
                .withMaxStackSize(getInt(MAX_STACK_SIZE));
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
