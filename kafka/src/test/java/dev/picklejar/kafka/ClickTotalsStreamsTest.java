package dev.picklejar.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's Kafka Streams example, run against a real broker: Python produces pickled click
 * events (with one poison record among them), the topology totals them per user, and Python reads
 * the pickled totals; the poison record goes to a dead-letter topic and the stream goes on.
 */
class ClickTotalsStreamsTest {
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

    /** Per user: how many clicks, their amounts added up, and when the last one was. */
    static Topology clickTotals() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, Object>stream("clicks")                  // keys and values through the default serdes
                .groupByKey()
                .<Object>aggregate(LinkedHashMap::new, (user, click, totals) -> {
                    Map<?, ?> event = (Map<?, ?>) click;              // a Python dict
                    Map<Object, Object> next = new LinkedHashMap<>((Map<?, ?>) totals);
                    next.put("user", user);
                    next.put("count", ((Number) next.getOrDefault("count", 0L)).longValue() + 1);
                    next.put("total", ((Number) next.getOrDefault("total", 0.0)).doubleValue()
                            + ((Number) event.get("amount")).doubleValue());
                    next.put("last_at", event.get("at"));            // an OffsetDateTime, back to a datetime
                    return next;
                })                                                    // the state store holds pickles too
                .toStream()
                .to("click-totals");
        return builder.build();
    }

    static Properties streamsProperties(String bootstrap, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "click-totals");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Streams configures its default serdes with these properties (not serdes handed to
        // Consumed.with and the like: configure those yourself).
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, PickleSerde.class);
        props.put("value." + PickleSerdeConfig.PROTOCOL, 2);        // Python 2 reads the totals too
        props.put(PickleSerdeConfig.STRICT, true);                  // events hold standard types only
        // A record that is no pickle is logged, copied to the dead-letter topic and skipped.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "clicks-dlq");
        // Emit every update at once (the test waits for the last one).
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return props;
    }

    @Test
    void pythonClicksAreTotalledPerUserAndPythonReadsTheTotalsWhileThePoisonRecordGoesToTheDeadLetterTopic()
            throws Exception {
        broker.createTopics(1, "clicks", "click-totals", "clicks-dlq");
        List<String> produced = PythonKafkaPeer.run("produce-clicks", broker.bootstrapServers(), "clicks");
        List<String> expected = new ArrayList<>();
        long poisonOffset = -1;
        byte[] poison = null;
        for (String line : produced) {
            String[] f = line.split("\t");
            if (f[0].equals("expect")) {
                expected.add(f[1] + "=" + f[2] + "=" + f[3]);
            } else if (f[0].equals("poison")) {
                poisonOffset = Long.parseLong(f[1]);
                poison = HexFormat.of().parseHex(f[2]);
            }
        }

        Path stateDir = Files.createTempDirectory("picklejar-streams-");
        List<String> totals;
        try (KafkaStreams streams = new KafkaStreams(clickTotals(), streamsProperties(broker.bootstrapServers(), stateDir))) {
            streams.start();
            List<String> args = new ArrayList<>(List.of("check-totals", broker.bootstrapServers(), "click-totals"));
            args.addAll(expected);
            totals = PythonKafkaPeer.run(args.toArray(String[]::new));
            streams.close(Duration.ofSeconds(30));
        } finally {
            delete(stateDir);
        }

        assertEquals("ok", totals.get(totals.size() - 1), String.join("\n", totals));
        assertTrue(totals.contains("protocols\t2"), String.join("\n", totals));   // value.picklejar.protocol
        assertTrue(totals.contains("total\talice\t{'user': 'alice', 'count': 18, 'total': 89.25, "
                + "'last_at': datetime.datetime(2026, 11, 25, 9, 0, 39, tzinfo=datetime.timezone.utc)}"),
                String.join("\n", totals));

        ConsumerRecord<byte[], byte[]> dead = onlyRecord("clicks-dlq");
        assertEquals("mallory", new String(dead.key(), StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : dead.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        assertEquals("clicks", headers.get("__streams.errors.topic"), headers::toString);
        assertEquals("0", headers.get("__streams.errors.partition"), headers::toString);
        assertEquals(String.valueOf(poisonOffset), headers.get("__streams.errors.offset"), headers::toString);
        assertEquals(PickleSerializationException.class.getName(), headers.get("__streams.errors.exception"));
        assertTrue(headers.get("__streams.errors.message").matches(
                "cannot unpickle the value of a record of topic 'clicks': pickle data was truncated.*"
                        + "\\(at byte \\d+, opcode [A-Z_0-9]+\\)"), headers::toString);
        assertArrayEquals(poison, dead.value());
    }

    private static ConsumerRecord<byte[], byte[]> onlyRecord(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.addAll(consumer.poll(Duration.ofMillis(500)).records(partition));
            assertEquals(1, records.size(), "records in " + topic);
            return records.get(0);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
