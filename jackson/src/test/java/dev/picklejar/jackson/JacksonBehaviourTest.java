package dev.picklejar.jackson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.picklejar.Pickle;
import dev.picklejar.jackson.Types.Point;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Jackson's own behaviours hold on pickles, with its usual exceptions naming the path and the pickle's byte offset. */
class JacksonBehaviourTest {
    private static final PickleMapper MAPPER = new PickleMapper();

    /** Jackson 3 ignores unknown properties by default; with the feature on, they fail as in JSON. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5})
    void anUnknownPropertyFailsNamingItAndThePath(int protocol) {
        assertEquals(new Point(1, 2), MAPPER.readValue(Vectors.cpython("extra", protocol), Point.class));
        PickleMapper strict = MAPPER.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        UnrecognizedPropertyException e = assertThrows(UnrecognizedPropertyException.class,
                () -> strict.readValue(Vectors.cpython("extra", protocol), Point.class));
        assertEquals("z", e.getPropertyName());
        assertTrue(e.getMessage().contains("Point[\"z\"]"), e.getMessage());
        // A POJO meets the unknown property as it reads it (a record's creator reads from a buffer of its own).
        UnrecognizedPropertyException pojo = assertThrows(UnrecognizedPropertyException.class,
                () -> strict.readValue(Vectors.cpython("extra", protocol), XY.class));
        assertTrue(pojo.getMessage().contains("XY[\"z\"]"), pojo.getMessage());
        assertTrue(pojo.getMessage().contains("byte offset: #0"), pojo.getMessage());
    }

    static final class XY {
        public int x;
        public int y;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Lenient(int x, int y) {
    }

    @JsonIgnoreProperties({"z"})
    record IgnoresZ(int x, int y) {
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5})
    void jsonIgnorePropertiesSkipsWhatItNames(int protocol) {
        PickleMapper strict = MAPPER.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        assertEquals(new Lenient(1, 2), strict.readValue(Vectors.cpython("extra", protocol), Lenient.class));
        assertEquals(new IgnoresZ(1, 2), strict.readValue(Vectors.cpython("extra", protocol), IgnoresZ.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5})
    void aMissingCreatorPropertyFailsWhenTheFeatureAsksForIt(int protocol) {
        assertEquals(new Point(1, 0), MAPPER.readValue(Vectors.cpython("only-x", protocol), Point.class));
        PickleMapper strict = MAPPER.rebuild().enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES).build();
        MismatchedInputException e = assertThrows(MismatchedInputException.class,
                () -> strict.readValue(Vectors.cpython("only-x", protocol), Point.class));
        assertTrue(e.getMessage().contains("Missing creator property 'y'"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset: #0"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5})
    void aStringWhereAnIntIsExpectedFailsNamingThePathAndOffset(int protocol) {
        InvalidFormatException e = assertThrows(InvalidFormatException.class,
                () -> MAPPER.readValue(Vectors.cpython("bad-x", protocol), Point.class));
        assertEquals("abc", e.getValue());
        assertTrue(e.getMessage().contains("Point[\"x\"]"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset: #0"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5})
    void anIntTooBigForTheFieldFailsAsInJson(int protocol) {
        Exception e = assertThrows(Exception.class, () -> MAPPER.readValue(Vectors.cpython("big-x", protocol), Point.class));
        assertTrue(e instanceof InputCoercionException || e instanceof InvalidFormatException, e.toString());
        assertTrue(e.getMessage().contains("1099511627776") && e.getMessage().contains("Point[\"x\"]"), e.getMessage());
    }

    @Test
    void theOffsetIsThatOfThePickleInTheStream() {
        byte[] first = Pickle.dumps(Map.of("x", 1, "y", 2));
        byte[] second = Pickle.dumps(Map.of("x", "abc", "y", 2));
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        InvalidFormatException e = assertThrows(InvalidFormatException.class,
                () -> MAPPER.readerFor(Point.class).readValues(both).readAll());
        assertTrue(e.getMessage().contains("byte offset: #" + first.length), e.getMessage());
    }

    @Test
    void aBrokenPickleIsAStreamReadExceptionNamingWhereItBroke() {
        byte[] truncated = java.util.Arrays.copyOf(Vectors.cpython("point", 2), 20);
        StreamReadException e = assertThrows(StreamReadException.class, () -> MAPPER.readValue(truncated, Point.class));
        assertTrue(e.getMessage().contains("invalid pickle") && e.getMessage().contains("offset"), e.getMessage());
    }

    /** The annotations Jackson users use. */
    static final class Annotated {
        final int first;
        @JsonIgnore
        public String secret = "kept";
        @JsonAlias("ordinate")
        public int y;

        @JsonCreator
        Annotated(@JsonProperty("x") int first) {
            this.first = first;
        }
    }

    @Test
    void creatorsAliasesAndIgnoredPropertiesWork() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("x", 7);
        dict.put("ordinate", 8);
        Annotated a = MAPPER.readValue(Pickle.dumps(dict), Annotated.class);
        assertEquals(7, a.first);
        assertEquals(8, a.y);
        assertEquals("kept", a.secret);
    }

    @Test
    void mixInsRenameProperties() {
        PickleMapper mixed = PickleMapper.builder().addMixIn(Plain.class, PlainMixin.class).build();
        Plain p = mixed.readValue(Pickle.dumps(Map.of("label", "a")), Plain.class);
        assertEquals("a", p.title);
    }

    static class Plain {
        public String title;
    }

    abstract static class PlainMixin {
        @JsonProperty("label")
        public String title;
    }

    @Test
    void intDictKeysBindToIntegerKeys() {
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put(1, "one");
        dict.put(2, "two");
        Map<Integer, String> read = MAPPER.readValue(Pickle.dumps(dict), new tools.jackson.core.type.TypeReference<>() { });
        assertEquals(Map.of(1, "one", 2, "two"), read);
        assertEquals(List.of(1, 2), List.copyOf(read.keySet()));
        assertEquals(dict, Pickle.loads(MAPPER.writeValueAsBytes(read)), "int keys are written as ints");
    }

    @Test
    void tuplesSetsAndFrozensetsKeepTheirPythonTypes() {
        Object value = List.of(dev.picklejar.PyTuple.of(1, 2), new java.util.LinkedHashSet<>(List.of(3)),
                dev.picklejar.PyFrozenSet.of(4));
        assertEquals(value, Pickle.loads(MAPPER.writeValueAsBytes(value)));
    }
}
