package dev.picklejar.kafka;

import dev.picklejar.PickleException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's key or value is not a pickle picklejar can load (malformed, truncated, over a limit,
 * refused by strict mode). Says where: the topic and, once known, the partition and offset of the
 * record, and the byte offset and opcode inside the pickle.
 *
 * <p>A deserializer only sees the topic, so it throws this without partition and offset; Kafka's
 * consumer wraps it in a {@link RecordDeserializationException} that carries them, and
 * {@link #of(RecordDeserializationException)} puts both together. Kafka Streams hands the record's
 * coordinates and this exception to its {@code DeserializationExceptionHandler}.
 */
public class PickleSerializationException extends SerializationException {
    /** The topic of the record that failed. */
    private final String topic;
    /** True for the record's key, false for its value. */
    private final boolean key;
    /** The record's partition, -1 when unknown. */
    private final int partition;
    /** The record's offset in its partition, -1 when unknown. */
    private final long offset;
    /** The byte offset inside the pickle of the opcode being read, -1 if none. */
    private final long pickleOffset;
    /** The opcode being read, as {@code pickletools} names it, or {@code null}. */
    private final String opcode;

    PickleSerializationException(String topic, boolean key, int partition, long offset, PickleException cause) {
        super(describe(topic, key, partition, offset, cause), cause);
        this.topic = topic;
        this.key = key;
        this.partition = partition;
        this.offset = offset;
        this.pickleOffset = cause.offset();
        this.opcode = cause.opcode();
    }

    /**
     * The pickle error behind a consumer's {@code RecordDeserializationException}, with the record's
     * partition and offset; {@code null} when the cause was not a picklejar deserializer's.
     * @param e what the consumer's {@code poll} threw for a record it could not deserialize
     * @return the picklejar error, with the topic, partition and offset of {@code e}; or {@code null}
     */
    public static PickleSerializationException of(RecordDeserializationException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof PickleSerializationException p) {
                return new PickleSerializationException(e.topicPartition().topic(), p.key,
                        e.topicPartition().partition(), e.offset(), p.pickleError());
            }
        }
        return null;
    }

    private static String describe(String topic, boolean key, int partition, long offset, PickleException cause) {
        String where = partition < 0
                ? "a record of topic '" + topic + "'"
                : "the record at offset " + offset + " of topic '" + topic + "' partition " + partition;
        return "cannot unpickle the " + (key ? "key" : "value") + " of " + where + ": " + cause.getMessage();
    }

    /** {@return the record's topic} */
    public String topic() {
        return topic;
    }

    /** {@return whether the record's key (rather than its value) failed} */
    public boolean isKey() {
        return key;
    }

    /** {@return the record's partition, or -1 where only the deserializer saw it} */
    public int partition() {
        return partition;
    }

    /** {@return the record's offset in its partition, or -1 where only the deserializer saw it} */
    public long offset() {
        return offset;
    }

    /** {@return the byte offset inside the pickle of the opcode being read, or -1 if none} */
    public long pickleOffset() {
        return pickleOffset;
    }

    /** {@return the name of the opcode being read (as {@code pickletools} names it), or {@code null} if none} */
    public String opcode() {
        return opcode;
    }

    /** {@return the error picklejar's reader raised} */
    public PickleException pickleError() {
        return (PickleException) getCause();
    }
}
