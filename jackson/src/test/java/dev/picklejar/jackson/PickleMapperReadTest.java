package dev.picklejar.jackson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.jackson.Types.Circle;
import dev.picklejar.jackson.Types.Color;
import dev.picklejar.jackson.Types.Level;
import dev.picklejar.jackson.Types.Nested;
import dev.picklejar.jackson.Types.Pair;
import dev.picklejar.jackson.Types.Person;
import dev.picklejar.jackson.Types.PersonBean;
import dev.picklejar.jackson.Types.Plain;
import dev.picklejar.jackson.Types.Point;
import dev.picklejar.jackson.Types.Samples;
import dev.picklejar.jackson.Types.Shape;
import dev.picklejar.jackson.Types.SlotPoint;
import dev.picklejar.jackson.Types.Square;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/** Pickles CPython wrote (make_binding_vectors.py) read into records, POJOs, enums and arrays, every field compared. */
class PickleMapperReadTest {
    private static final PickleMapper MAPPER = new PickleMapper();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aDataclassReadsIntoARecord(int protocol) {
        assertEquals(new Point(1, 2), MAPPER.readValue(Vectors.cpython("point", protocol), Point.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void aSlotsDataclassReadsIntoARecord(int protocol) {
        assertEquals(new SlotPoint(3, 4), MAPPER.readValue(Vectors.cpython("slots", protocol), SlotPoint.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aNamedtupleReadsIntoARecordByPosition(int protocol) {
        assertEquals(new Pair("left", 2.5), MAPPER.readValue(Vectors.cpython("pair", protocol), Pair.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void enumMembersReadIntoJavaEnumsByValue(int protocol) {
        assertEquals(List.of(Color.RED, Color.GREEN, Color.RED),
                MAPPER.readValue(Vectors.cpython("colors", protocol), new TypeReference<List<Color>>() { }));
        assertEquals(List.of(Level.LOW, Level.HIGH),
                MAPPER.readValue(Vectors.cpython("levels", protocol), new TypeReference<List<Level>>() { }));
    }

    enum Suit { HEARTS, SPADES }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void enumMembersPickledByNameReadIntoJavaEnumsByName(int protocol) {
        assertEquals(List.of(Suit.SPADES, Suit.HEARTS),
                MAPPER.readValue(Vectors.cpython("suits", protocol), new TypeReference<List<Suit>>() { }));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aDataclassOfEveryKindOfFieldReadsIntoARecord(int protocol) {
        Person p = MAPPER.readValue(Vectors.cpython("person", protocol), Person.class);
        assertEquals("Alice", p.name());
        assertEquals(37, p.age());
        assertEquals(List.of("admin", "ops"), p.tags());
        assertEquals(Map.of("math", 9.5, "art", 7.25), p.scores());
        assertEquals(LocalDate.of(1989, 4, 1), p.born());
        assertEquals(OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 123_456_000, ZoneOffset.UTC), p.seen());
        assertEquals(new BigDecimal("1234.50"), p.balance());
        assertEquals(UUID.fromString("12345678-1234-5678-1234-567812345678"), p.id());
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'P', 'N', 'G'}, p.avatar());
        assertEquals(Color.GREEN, p.color());
        assertEquals(Level.HIGH, p.level());
        assertEquals(new Point(1, 2), p.home());
        assertEquals(List.of(new Point(3, 4), new Point(5, 6)), p.friends());
        assertEquals(Optional.empty(), p.nickname());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aDataclassReadsIntoAPojoWithFieldsAndSetters(int protocol) {
        PersonBean p = MAPPER.readValue(Vectors.cpython("person", protocol), PersonBean.class);
        assertEquals("Alice", p.getName());
        assertEquals(37, p.getAge());
        assertEquals(List.of("admin", "ops"), p.tags);
        assertEquals(Map.of("math", 9.5, "art", 7.25), p.scores);
        assertEquals(LocalDate.of(1989, 4, 1), p.born);
        assertEquals(OffsetDateTime.of(2026, 11, 25, 9, 30, 0, 123_456_000, ZoneOffset.UTC), p.seen);
        assertEquals(new BigDecimal("1234.50"), p.balance);
        assertEquals(UUID.fromString("12345678-1234-5678-1234-567812345678"), p.id);
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'P', 'N', 'G'}, p.avatar);
        assertEquals(Color.GREEN, p.color);
        assertEquals(Level.HIGH, p.level);
        assertEquals(new Point(1, 2), p.home);
        assertArrayEquals(new Point[] {new Point(3, 4), new Point(5, 6)}, p.friends);
        assertNull(p.nickname);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aPlainInstanceReadsIntoAPojo(int protocol) {
        Plain p = MAPPER.readValue(Vectors.cpython("plain", protocol), Plain.class);
        assertEquals("box", p.title);
        assertEquals(3, p.count);
        assertEquals(0.5, p.ratio);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void numpyArraysReadIntoPrimitiveArrays(int protocol) {
        Samples s = MAPPER.readValue(Vectors.cpython("samples", protocol), Samples.class);
        assertArrayEquals(new double[] {1.5, -2.0, 3.25}, s.values());
        assertArrayEquals(new int[] {1, 2, 3}, s.counts());
        assertArrayEquals(new long[][] {{1, 2, 3}, {4, 5, 6}}, s.grid());
        assertArrayEquals(new boolean[] {true, false}, s.flags());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void nestedContainersDatetimesAndDecimalsReadWithANamingStrategy(int protocol) {
        Nested n = MAPPER.readValue(Vectors.cpython("nested", protocol), Nested.class);
        assertEquals(List.of(new Point(1, 2), new Point(3, 4)), n.points());
        assertEquals(Map.of("a", List.of(1, 2), "b", List.of(3)), n.byName());
        assertEquals(List.of(new Pair("1", 2), new Pair("3", 4)), n.pairs());
        assertEquals(LocalDateTime.of(2026, 1, 2, 3, 4, 5), n.when());
        assertEquals(LocalDate.of(2026, 1, 2), n.day());
        assertEquals(new BigDecimal("9.99"), n.price());
        assertNull(n.nothing());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void thePythonClassPicksTheSubtype(int protocol) {
        assertEquals(List.of(new Circle(1.5), new Square(2.0)),
                MAPPER.readValue(Vectors.cpython("shapes", protocol), new TypeReference<List<Shape>>() { }));
    }

    record User(String name, int age, List<String> emails) {
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aPydanticModelReadsIntoARecordByItsFields(int protocol) {
        assertEquals(new User("Bob", 41, List.of("bob@example.org")),
                MAPPER.readValue(Vectors.cpython("user", protocol), User.class));
    }

    @com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.NAME)
    interface Figure {
    }

    record Round(double radius) implements Figure {
    }

    record Box(double side) implements Figure {
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void aRegisteredPythonClassIsTheSubtypesName(int protocol) {
        PickleMapper mapper = PickleMapper.builder()
                .pythonClass(Round.class, "pjtypes", "Circle")
                .pythonClass(Box.class, "pjtypes", "Square")
                .build();
        assertEquals(List.of(new Round(1.5), new Box(2.0)),
                mapper.readValue(Vectors.cpython("shapes", protocol), new TypeReference<List<Figure>>() { }));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readValuesGoesThroughAStreamOfPickles(int protocol) throws Exception {
        byte[] stream = Vectors.cpython("stream", protocol);
        try (MappingIterator<Point> it = MAPPER.readerFor(Point.class).readValues(new ByteArrayInputStream(stream))) {
            assertEquals(List.of(new Point(1, 2), new Point(3, 4), new Point(5, 6)), it.readAll());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readTreeGivesTheDataAsNodes(int protocol) {
        JsonNode node = MAPPER.readTree(Vectors.cpython("person", protocol));
        assertEquals("Alice", node.get("name").asString());
        assertEquals(37, node.get("age").intValue());
        assertEquals(3, node.get("friends").get(0).get("x").intValue());
        assertEquals("2026-11-25T09:30:00.123456Z", node.get("seen").asString());
        assertEquals(new BigDecimal("1234.50"), node.get("balance").decimalValue());
        assertTrue(node.get("nickname").isNull());
        assertArrayEquals(new byte[] {0, (byte) 0xff, 'P', 'N', 'G'}, node.get("avatar").binaryValue());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5})
    void aFileAndAnInputStreamReadAsBytesDo(int protocol, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("point.pickle");
        Files.write(file, Vectors.cpython("point", protocol));
        assertEquals(new Point(1, 2), MAPPER.readValue(file.toFile(), Point.class));
        assertEquals(new Point(1, 2), MAPPER.readValue(Files.newInputStream(file), Point.class));
        assertEquals(Map.of("x", 1, "y", 2), MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { }));
        assertFalse(MAPPER.readValue(file.toFile(), JsonNode.class).isEmpty());
    }
}
