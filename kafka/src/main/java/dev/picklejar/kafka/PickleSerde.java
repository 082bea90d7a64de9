package dev.picklejar.kafka;

import java.util.Map;

import dev.picklejar.Pickler;
import dev.picklejar.Unpickler;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link PickleSerializer} and a {@link PickleDeserializer} together, for Kafka Streams
 * ({@code default.value.serde=dev.picklejar.kafka.PickleSerde}, or {@code Consumed.with(...)}).
 */
public class PickleSerde implements Serde<Object> {
    private final PickleSerializer serializer;
    private final PickleDeserializer deserializer;

    /** A serde configured from the application's properties ({@link PickleSerdeConfig}'s keys). */
    public PickleSerde() {
        this(new PickleSerializer(), new PickleDeserializer());
    }

    /**
     * A serde that writes with the given pickler and reads with the given unpickler.
     * @param pickler writes every key or value; not null
     * @param unpickler reads every key or value; not null
     */
    public PickleSerde(Pickler pickler, Unpickler unpickler) {
        this(new PickleSerializer(pickler), new PickleDeserializer(unpickler));
    }

    private PickleSerde(PickleSerializer serializer, PickleDeserializer deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<Object> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<Object> deserializer() {
        return deserializer;
    }
}
