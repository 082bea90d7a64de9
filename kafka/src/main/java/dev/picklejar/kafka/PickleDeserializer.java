package dev.picklejar.kafka;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

import dev.picklejar.PickleException;
import dev.picklejar.Unpickler;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads record keys or values that Python pickled ({@code pickle.dumps}, any protocol, Python 2's
 * too) into picklejar's Java values: dicts as {@code LinkedHashMap}, tuples as {@code PyTuple},
 * datetimes as {@code java.time}, unknown classes as inert {@code PyObject}s. Nothing in a record is
 * ever run. {@code null} stays {@code null}.
 *
 * <p>A record that does not load raises a {@link PickleSerializationException} naming the topic and
 * the pickle's byte offset and opcode; the consumer adds the partition and offset.
 *
 * <p>With {@link PickleSerdeConfig#TYPE} set, each record is bound to that Java type through
 * picklejar-jackson's {@code PickleMapper} (a dataclass to a record, say).
 *
 * <p>Named in a consumer's properties ({@code value.deserializer=dev.picklejar.kafka.PickleDeserializer})
 * it reads {@link PickleSerdeConfig}'s keys; built with an {@link Unpickler} it ignores them.
 */
public class PickleDeserializer implements Deserializer<Object> {
    private Unpickler unpickler;
    /** Binds a record to {@link PickleSerdeConfig#TYPE} when set (null: picklejar's own values). */
    private JacksonBinding binding;
    private boolean isKey;
    private final boolean preset;

    /** A deserializer configured from the client's properties (the unpickler's defaults until then). */
    public PickleDeserializer() {
        this.unpickler = Unpickler.standard();
        this.preset = false;
    }

    /**
     * A deserializer that reads with the given unpickler, whatever the client's properties say.
     * @param unpickler reads every record's bytes; not null, and {@link #configure} leaves it as it is
     */
    public PickleDeserializer(Unpickler unpickler) {
        this.unpickler = Objects.requireNonNull(unpickler, "unpickler");
        this.preset = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (!preset) {
            PickleSerdeConfig config = new PickleSerdeConfig(configs, isKey);
            unpickler = config.unpickler();
            // JacksonBinding is only loaded when a type is set, so picklejar-jackson stays optional.
            binding = config.type() == null ? null : JacksonBinding.of(config.type(), unpickler);
        }
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return data == null ? null : load(topic, data, 0, data.length);
    }

    // The consumer hands over a view of its fetch buffer: read it in place when it has an array.
    @Override
    public Object deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return load(topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return load(topic, copy, 0, copy.length);
    }

    private Object load(String topic, byte[] data, int offset, int length) {
        if (binding != null) {
            return binding.read(topic, isKey, data, offset, length);
        }
        try {
            return unpickler.loads(data, offset, length);
        } catch (PickleException e) {
            throw new PickleSerializationException(topic, isKey, -1, -1, e);
        }
    }

    /** {@return the unpickler in use} */
    public Unpickler unpickler() {
        return unpickler;
    }
}
