package dev.picklejar.bench;

import dev.picklejar.jackson.PickleMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * Data binding of a list of 100k records: {@code readValue} into a {@code List<Row>} and
 * {@code writeValueAsBytes} of it, with picklejar's PickleMapper (Jackson 3; protocol 5 and 2)
 * against jackson-dataformat-msgpack (a Jackson 2 data format: {@code new ObjectMapper(new
 * MessagePackFactory())}) and Jackson 3's own JSON, Smile and CBOR mappers, on the same rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BindingBenchmark {
    /** One row of the list: the field types a typical record has. */
    public record Row(long id, String name, String city, double score, int visits, boolean active, List<String> tags) {
    }

    private static final TypeReference<List<Row>> ROWS = new TypeReference<>() { };

    private static final com.fasterxml.jackson.core.type.TypeReference<List<Row>> ROWS2 =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    /** The formats; run.sh's quick mode takes the first two. */
    static final List<String> FORMATS = List.of("pickle", "msgpack", "pickle-p2", "cbor", "smile", "json");

    @Param({"pickle", "msgpack", "pickle-p2", "cbor", "smile", "json"})
    public String format;

    /** A mapper of either Jackson, as the benchmark calls it. */
    interface Codec {
        byte[] write(List<Row> rows) throws Exception;

        List<Row> read(byte[] bytes) throws Exception;
    }

    private Codec codec;
    private List<Row> rows;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        codec = codec(format);
        rows = rows(100_000);
        bytes = codec.write(rows);
        if (!codec.read(bytes).equals(rows)) {
            throw new IllegalStateException(format + " does not read back what it wrote");
        }
    }

    static Codec codec(String format) {
        if (format.equals("msgpack")) {
            com.fasterxml.jackson.databind.ObjectMapper msgpack =
                    new com.fasterxml.jackson.databind.ObjectMapper(new org.msgpack.jackson.dataformat.MessagePackFactory());
            return new Codec() {
                @Override
                public byte[] write(List<Row> rows) throws Exception {
                    return msgpack.writeValueAsBytes(rows);
                }

                @Override
                public List<Row> read(byte[] bytes) throws Exception {
                    return msgpack.readValue(bytes, ROWS2);
                }
            };
        }
        ObjectMapper mapper = switch (format) {
            case "pickle" -> PickleMapper.builder().protocol(5).build();
            case "pickle-p2" -> PickleMapper.builder().protocol(2).build();
            case "json" -> JsonMapper.builder().build();
            case "smile" -> SmileMapper.builder().build();
            case "cbor" -> CBORMapper.builder().build();
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
        return new Codec() {
            @Override
            public byte[] write(List<Row> rows) {
                return mapper.writeValueAsBytes(rows);
            }

            @Override
            public List<Row> read(byte[] bytes) {
                return mapper.readValue(bytes, ROWS);
            }
        };
    }

    static List<Row> rows(int n) {
        String[] cities = {"Seoul", "Busan", "Lisbon", "Porto", "Oslo", "서울", "부산"};
        List<String> tags = List.of("new", "vip");
        List<Row> rows = new ArrayList<>(n);
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < n; i++) {
            rows.add(new Row(1_000_000_000L + i, "user" + i, cities[i % cities.length], random.nextDouble() * 100,
                    random.nextInt(10_000), i % 3 == 0, i % 5 == 0 ? tags : List.of("user" + (i % 100))));
        }
        return rows;
    }

    @Benchmark
    public List<Row> readValue() throws Exception {
        return codec.read(bytes);
    }

    @Benchmark
    public byte[] writeValueAsBytes() throws Exception {
        return codec.write(rows);
    }
}
