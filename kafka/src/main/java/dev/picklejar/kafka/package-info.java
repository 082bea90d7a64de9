/**
 * Pickles as Apache Kafka record keys and values: {@link dev.picklejar.kafka.PickleSerializer},
 * {@link dev.picklejar.kafka.PickleDeserializer} and {@link dev.picklejar.kafka.PickleSerde} (for
 * Kafka Streams), configured by the keys of {@link dev.picklejar.kafka.PickleSerdeConfig}; a failure
 * is a {@link dev.picklejar.kafka.PickleSerializationException}.
 */
package dev.picklejar.kafka;
