package dev.picklejar.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.picklejar.PyTuple;
import dev.picklejar.Repr;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pickles through a real broker between Python's confluent-kafka client and picklejar's serde. */
class PythonInteropTest {
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        PythonKafkaPeer.assumeKafkaClient();                      // every test here talks to Python
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void picklesPythonProducedAtProtocols2To5LoadAsTheValuesPythonPrints() throws Exception {
        broker.createTopics(1, "from-python");
        List<String> printed = PythonKafkaPeer.run("produce-values", broker.bootstrapServers(), "from-python");
        Map<String, String> reprs = keyed(printed);
        Map<String, Object> values = consumeAll("from-python", reprs.size());

        assertEquals(reprs.keySet(), values.keySet());
        reprs.forEach((key, repr) -> assertEquals(repr, Repr.of(values.get(key)), key));
        for (int protocol = 2; protocol <= 5; protocol++) {
            String p = "p" + protocol + "-";
            Map<?, ?> dict = assertInstanceOf(Map.class, values.get(p + "dict"));
            assertEquals(25, dict.get("age"));
            assertEquals(PyTuple.of("한국어", "English"), dict.get("langs"));
            assertEquals(BigInteger.TWO.pow(100), dict.get("big"));
            assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) dict.get("blob"));
            assertEquals(LocalDateTime.of(2026, 11, 25, 9, 30, 0, 123_456_000), values.get(p + "datetime"));
            assertEquals(OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 0, ZoneOffset.UTC), values.get(p + "datetime-utc"));
            assertEquals(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_000, ZoneOffset.ofHoursMinutes(5, 30)),
                    values.get(p + "datetime-ist"));
            assertEquals(LocalDate.of(1999, 12, 31), values.get(p + "date"));
            assertEquals(Duration.ofDays(2).plusSeconds(5).plusNanos(7_000), values.get(p + "timedelta"));
            assertEquals(new BigDecimal("1.10"), values.get(p + "decimal"));
            assertEquals(UUID.fromString("12345678-1234-5678-1234-567812345678"), values.get(p + "uuid"));
        }
    }

    @Test
    void numpyArraysPythonProducedLoadWithTheDtypeShapeAndBytesNumpyPrints() throws Exception {
        PythonKafkaPeer.assumeModule("numpy", "python3-numpy");
        broker.createTopics(1, "numpy-from-python");
        List<String> printed = PythonKafkaPeer.run("produce-numpy", broker.bootstrapServers(), "numpy-from-python");
        Map<String, String> expected = keyed(printed);
        Map<String, Object> values = consumeAll("numpy-from-python", expected.size());

        assertEquals(12, expected.size());
        expected.forEach((key, line) -> {
            String[] f = line.split("\t");                        // numpy, dtype, shape, hex
            InertArray array = InertArray.of(values.get(key));
            assertEquals(f[1], array.dtype(), key);
            assertEquals(f[2], array.shape(), key);
            assertEquals(f[3], HexFormat.of().formatHex(array.data()), key);
        });
    }

    @Test
    void valuesJavaProducedLoadInPythonAsEqualValuesInCPythonsOwnBytes() throws Exception {
        broker.createTopics(1, "from-java");
        Map<String, Object> values = javaValues();
        int count = 0;
        for (int protocol = 2; protocol <= 5; protocol++) {
            // Configured the Kafka way: a class name and a picklejar key in the producer's properties.
            Map<String, Object> props = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, PickleSerializer.class.getName(),
                    "value." + PickleSerdeConfig.PROTOCOL, protocol);
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props)) {
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    producer.send(new ProducerRecord<>("from-java", 0, "p" + protocol + "-" + e.getKey(), e.getValue())).get();
                    count++;
                }
            }
        }
        List<String> printed = PythonKafkaPeer.run("check-java-values", broker.bootstrapServers(), "from-java",
                String.valueOf(count));

        assertEquals("consumed " + count, printed.get(printed.size() - 1), String.join("\n", printed));
        for (String line : printed.subList(0, count)) {
            String[] f = line.split("\t");
            assertEquals("equal", f[1], line);
            assertEquals("same-bytes", f[2], line);
        }
    }

    @Test
    void aPoisonRecordMidPartitionIsReportedWithItsCoordinatesAndTheConsumerGoesOn() throws Exception {
        broker.createTopics(1, "poison");
        List<String> printed = PythonKafkaPeer.run("produce-poison", broker.bootstrapServers(), "poison");
        List<String[]> poison = printed.stream().filter(l -> l.startsWith("poison\t")).map(l -> l.split("\t")).toList();
        assertEquals(List.of("3", "4"), poison.stream().map(f -> f[1]).toList());

        List<Object> loaded = new ArrayList<>();
        List<PickleSerializationException> errors = new ArrayList<>();
        TopicPartition partition = new TopicPartition("poison", 0);
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (loaded.size() < 6 && System.nanoTime() < deadline) {
                try {
                    for (ConsumerRecord<String, Object> r : consumer.poll(java.time.Duration.ofMillis(200))) {
                        loaded.add(r.value());
                    }
                } catch (RecordDeserializationException e) {
                    errors.add(PickleSerializationException.of(e));
                    consumer.seek(e.topicPartition(), e.offset() + 1);   // skip the poison, go on
                }
            }
        }

        assertEquals(List.of(0, 1, 2, 3, 4, 5), loaded.stream().map(v -> ((Map<?, ?>) v).get("n")).toList());
        assertEquals(2, errors.size(), errors::toString);
        PickleSerializationException truncated = errors.get(0);
        assertEquals("poison", truncated.topic());
        assertEquals(0, truncated.partition());
        assertEquals(3, truncated.offset());
        assertEquals(Long.parseLong(poison.get(0)[2]), truncated.pickleOffset());
        assertEquals(poison.get(0)[3], truncated.opcode());
        assertTrue(truncated.getMessage().startsWith("cannot unpickle the value of the record at offset 3 of topic "
                + "'poison' partition 0: pickle data was truncated"), truncated.getMessage());
        assertTrue(truncated.getMessage().endsWith("(at byte " + poison.get(0)[2] + ", opcode " + poison.get(0)[3] + ")"),
                truncated.getMessage());

        PickleSerializationException json = errors.get(1);
        assertEquals(4, json.offset());
        assertEquals(Long.parseLong(poison.get(1)[2]), json.pickleOffset());
        assertNull(json.opcode());                                // '{' is no opcode at all
        assertEquals("cannot unpickle the value of the record at offset 4 of topic 'poison' partition 0: "
                + "invalid load key, '\\x7b' (at byte 0)", json.getMessage());
    }

    /** "key\trest" lines (the ones with a tab), keyed. */
    private static Map<String, String> keyed(List<String> printed) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String line : printed) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                byKey.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return byKey;
    }

    private static KafkaConsumer<String, Object> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, PickleDeserializer.class.getName(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    }

    /** Every record of partition 0, keyed by record key, in the order produced. */
    private static Map<String, Object> consumeAll(String topic, int count) {
        Map<String, Object> values = new LinkedHashMap<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, Object> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> r : consumer.poll(java.time.Duration.ofMillis(200))) {
                    values.put(r.key(), r.value());
                }
            }
        }
        if (values.size() != count) {
            fail("read " + values.size() + " of " + count + " records from " + topic);
        }
        return values;
    }

    /** The values kafka_peer.py's JAVA_VALUES holds, built in Java. */
    private static Map<String, Object> javaValues() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("name", "Alice");
        dict.put("age", 25);
        dict.put("langs", PyTuple.of("한국어", "English"));
        dict.put("scores", Arrays.asList(1.5, -0.0));
        dict.put("blob", new byte[] {0, (byte) 0xff});
        dict.put("big", BigInteger.TWO.pow(100));
        dict.put("none", null);
        dict.put("yes", true);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("dict", dict);
        values.put("datetime", LocalDateTime.of(2026, 11, 25, 9, 30, 0, 123_456_000));
        values.put("datetime-utc", OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 0, ZoneOffset.UTC));
        values.put("date", LocalDate.of(1999, 12, 31));
        values.put("timedelta", Duration.ofDays(2).plusSeconds(5).plusNanos(7_000));
        values.put("decimal", new BigDecimal("1.10"));
        values.put("list", Arrays.asList(1, 2.5, "three", null, PyTuple.of(4)));
        return values;
    }
}
