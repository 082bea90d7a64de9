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
 * Data binding of a list of 100k records through Jackson 3: {@code readValue} and
 * {@code writeValueAsBytes} with picklejar's PickleMapper (protocol 5 and 2) against Jackson's own
 * JSON, Smile and CBOR mappers on the same data. (jackson-dataformat-msgpack has no release for
 * Jackson 3 yet, so it is not among them.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BindingBenchmark {
    /** One row of the list: the field types a typical record has. */
    public record Row(long id, String name, String city, double score, int visits, boolean active, List<String> tags) {
    }

    private static final TypeReference<List<Row>> ROWS = new TypeReference<>() { };

    @Param({"pickle", "pickle-p2", "json", "smile", "cbor"})
    public String format;

    private ObjectMapper mapper;
    private List<Row> rows;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void setUp() {
        mapper = switch (format) {
            case "pickle" -> PickleMapper.builder().protocol(5).build();
            case "pickle-p2" -> PickleMapper.builder().protocol(2).build();
            case "json" -> JsonMapper.builder().build();
            case "smile" -> SmileMapper.builder().build();
            case "cbor" -> CBORMapper.builder().build();
            default -> throw new IllegalArgumentException(format);
        };
        rows = rows(100_000);
        bytes = mapper.writeValueAsBytes(rows);
        if (!mapper.readValue(bytes, ROWS).equals(rows)) {
            throw new IllegalStateException(format + " does not read back what it wrote");
        }
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
    public List<Row> readValue() {
        return mapper.readValue(bytes, ROWS);
    }

    @Benchmark
    public byte[] writeValueAsBytes() {
        return mapper.writeValueAsBytes(rows);
    }
}
