package dev.picklejar.kafka;

import dev.picklejar.Unpickler;
import dev.picklejar.jackson.PickleMapper;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import tools.jackson.core.JacksonException;

/**
 * Binds records to a Java type with picklejar-jackson's {@link PickleMapper}. Kept in a class of its
 * own so that the Jackson module is needed on the classpath only when {@link PickleSerdeConfig#TYPE}
 * is set.
 */
final class JacksonBinding {
    private final PickleMapper mapper;
    private final Class<?> type;

    private JacksonBinding(PickleMapper mapper, Class<?> type) {
        this.mapper = mapper;
        this.type = type;
    }

    static JacksonBinding of(Class<?> type, Unpickler unpickler) {
        try {
            return new JacksonBinding(PickleMapper.builder().unpickler(unpickler).build(), type);
        } catch (NoClassDefFoundError e) {
            throw new ConfigException(PickleSerdeConfig.TYPE, type.getName(),
                    "binding to a Java type needs dev.picklejar:picklejar-jackson on the classpath");
        }
    }

    Object read(String topic, boolean isKey, byte[] data, int offset, int length) {
        try {
            return mapper.readValue(data, offset, length, type);
        } catch (JacksonException e) {
            throw new SerializationException("cannot bind the " + (isKey ? "key" : "value") + " of a record of topic '"
                    + topic + "' to " + type.getName() + ": " + e.getOriginalMessage() + " (at "
                    + e.getPathReference() + ")", e);
        }
    }
}
