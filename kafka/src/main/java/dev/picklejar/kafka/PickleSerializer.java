package dev.picklejar.kafka;

import java.util.Map;
import java.util.Objects;

import dev.picklejar.Pickle;
import dev.picklejar.Pickler;
import dev.picklejar.PicklingException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes record keys or values as pickles that Python's {@code pickle.loads} reads, byte for byte
 * what CPython's {@code pickle.dumps} writes at the configured protocol. {@code null} stays
 * {@code null} (a tombstone), as in every Kafka serializer.
 *
 * <p>Named in a producer's properties ({@code value.serializer=dev.picklejar.kafka.PickleSerializer})
 * it reads {@link PickleSerdeConfig}'s keys; built with a {@link Pickler} it ignores them.
 */
public class PickleSerializer implements Serializer<Object> {
    private Pickler pickler;
    private final boolean preset;

    /** A serializer configured from the client's properties (protocol 5 until then). */
    public PickleSerializer() {
        this.pickler = Pickler.standard(Pickle.DEFAULT_PROTOCOL);
        this.preset = false;
    }

    /**
     * A serializer that writes with the given pickler, whatever the client's properties say.
     * @param pickler writes every key or value; not null, and {@link #configure} leaves it as it is
     */
    public PickleSerializer(Pickler pickler) {
        this.pickler = Objects.requireNonNull(pickler, "pickler");
        this.preset = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (!preset) {
            pickler = new PickleSerdeConfig(configs, isKey).pickler();
        }
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        try {
            return pickler.dumps(data);
        } catch (PicklingException e) {
            throw new SerializationException("cannot pickle a record for topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    /** {@return the pickler in use} */
    public Pickler pickler() {
        return pickler;
    }
}
