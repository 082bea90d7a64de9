package dev.picklejar.kafka;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records per second through a real broker on loopback (the tests' in-process KRaft broker):
 * PickleSerde carrying event dicts against Kafka's StringSerde carrying the same events as JSON
 * (Jackson 3 writing and reading them). Each run produces N records to a fresh one-partition topic
 * (send until flush), then one consumer reads them all back from the start and turns each value
 * back into a Map. Not a test: bench/kafka/run.sh runs it.
 *
 *   KafkaBench [records per run, default 500000] [runs per serde, default 3]
 */
public final class KafkaBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Codec(String name, Serde<?> serde, Function<Map<String, Object>, Object> encode,
                         Function<Object, Object> decode) { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Codec> codecs = List.of(
                // The pickle side hands over Java values: the serde does all the work.
                new Codec("PickleSerde, 'at' a datetime", new PickleSerde(), m -> m, v -> v),
                // The very records the JSON side carries ('at' as ISO text), pickled.
                new Codec("PickleSerde, 'at' ISO text", new PickleSerde(), KafkaBench::jsonFriendly, v -> v),
                // The JSON side: Jackson writes the String, StringSerde moves it, Jackson reads it back.
                new Codec("StringSerde + Jackson 3 JSON", Serdes.String(),
                        m -> JSON.writeValueAsString(jsonFriendly(m)), v -> JSON.readValue((String) v, Map.class)),
                // What StringSerde costs with the JSON already written (the floor of the JSON side).
                new Codec("StringSerde, JSON pre-written", Serdes.String(), null, v -> v));
        try (KafkaBroker broker = KafkaBroker.start()) {
            int topic = 0;
            for (Codec c : codecs) {                             // warm-up: JIT, broker, page cache
                run(broker, "warm-" + topic++, c, Math.min(n, 100_000));
            }
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            for (int r = 0; r < runs; r++) {
                for (Codec c : codecs) {
                    results.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(run(broker, "t" + topic++, c, n));
                }
            }
            System.out.printf("%n%d records per run, best of %d runs; %d cores, Java %s%n", n, runs,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("| %-36s | %12s | %12s | %12s |%n", "serde", "bytes/record", "produce rec/s", "consume rec/s");
            System.out.printf("|%s|%s:|%s:|%s:|%n", "-".repeat(38), "-".repeat(13), "-".repeat(14), "-".repeat(14));
            results.forEach((name, rs) -> System.out.printf("| %-36s | %12.0f | %13.0f | %13.0f |%n", name,
                    rs.get(0)[0], rs.stream().mapToDouble(x -> x[1]).max().orElse(0),
                    rs.stream().mapToDouble(x -> x[2]).max().orElse(0)));
        }
    }

    /** One event, as Python services commonly send them. */
    static Map<String, Object> event(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", "user-" + (i % 1000));
        m.put("page", "/item/" + (i % 97));
        m.put("amount", (i % 400) * 0.25);
        m.put("count", i);
        m.put("tags", List.of("web", i % 2 == 0 ? "mobile" : "desktop"));
        m.put("at", OffsetDateTime.of(2026, 11, 25, 9, 0, 0, 0, ZoneOffset.UTC).plusSeconds(i));
        return m;
    }

    /** JSON has no datetime: the timestamp goes as ISO-8601 text, as Python's isoformat() writes it. */
    private static Map<String, Object> jsonFriendly(Map<String, Object> m) {
        Map<String, Object> j = new LinkedHashMap<>(m);
        j.put("at", m.get("at").toString());
        return j;
    }

    /** {average value bytes, produce records/s, consume records/s}. */
    @SuppressWarnings("unchecked")
    private static double[] run(KafkaBroker broker, String topic, Codec c, int n) throws Exception {
        broker.createTopics(1, topic);
        Object[] values = new Object[Math.min(n, 10_000)];        // built once: the events themselves are not timed
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> e = event(i);
            values[i] = c.encode() == null ? JSON.writeValueAsString(jsonFriendly(e)) : e;
        }
        Function<Map<String, Object>, Object> encode = c.encode() == null ? m -> m : c.encode();
        Map<String, Object> producerProps = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.ACKS_CONFIG, "1");
        long bytes = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], Object> producer = new KafkaProducer<>(producerProps,
                Serdes.ByteArray().serializer(), (Serializer<Object>) c.serde().serializer())) {
            for (int i = 0; i < n; i++) {
                Object v = values[i % values.length];
                Object value = c.encode() == null ? v : encode.apply((Map<String, Object>) v);
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
            producer.flush();
        }
        double produceRate = n / ((System.nanoTime() - t0) / 1e9);

        Map<String, Object> consumerProps = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        TopicPartition tp = new TopicPartition(topic, 0);
        int read = 0;
        long checksum = 0;
        t0 = System.nanoTime();
        try (KafkaConsumer<byte[], Object> consumer = new KafkaConsumer<>(consumerProps,
                Serdes.ByteArray().deserializer(), (Deserializer<Object>) c.serde().deserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            while (read < n) {
                for (ConsumerRecord<byte[], Object> r : consumer.poll(Duration.ofMillis(500))) {
                    Object decoded = c.decode().apply(r.value());
                    checksum += decoded instanceof Map<?, ?> m ? m.size() : decoded.hashCode();
                    bytes += r.serializedValueSize();
                    read++;
                }
            }
        }
        double consumeRate = n / ((System.nanoTime() - t0) / 1e9);
        if (checksum == 42) {
            System.out.print("");                                // keeps the decoding from being optimised away
        }
        System.err.printf("%-36s %s: %.0f produced/s, %.0f consumed/s%n", c.name(), topic, produceRate, consumeRate);
        return new double[] {(double) bytes / n, produceRate, consumeRate};
    }

    private KafkaBench() {
    }
}
