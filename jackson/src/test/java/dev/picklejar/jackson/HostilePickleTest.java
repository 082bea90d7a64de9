package dev.picklejar.jackson;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.Pickle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;

/** A hostile pickle ends in a Jackson exception that says what was wrong, never in an error of the JVM. */
class HostilePickleTest {
    private static final PickleMapper MAPPER = new PickleMapper();

    @Test
    void sharedListsThatExpandToBillionsOfValuesAreRefused() {
        List<Object> level = new ArrayList<>(List.of(1, 2));
        for (int i = 0; i < 40; i++) {
            level = new ArrayList<>(List.of(level, level));   // each list twice: 2**40 leaves, a few hundred bytes
        }
        byte[] bomb = Pickle.dumps(level);
        StreamReadException e = assertThrows(StreamReadException.class, () -> MAPPER.readTree(bomb));
        assertTrue(e.getMessage().contains("expand to more than"), e.getMessage());
    }

    @Test
    void aListThatContainsItselfStopsAtJacksonsNestingLimit() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        byte[] pickle = Pickle.dumps(self);
        assertThrows(StreamConstraintsException.class, () -> MAPPER.readValue(pickle, JsonNode.class));
        assertThrows(StreamConstraintsException.class, () -> MAPPER.readValue(pickle, Object.class));
    }

    /** Every mutation of CPython's pickles reads, or fails with a Jackson exception: never another error. */
    @Test
    void mutatedPicklesFailOnlyWithJacksonExceptions() {
        java.util.Random random = new java.util.Random(12);
        List<Class<?>> targets = List.of(Types.Person.class, Types.Samples.class, Types.Nested.class, JsonNode.class);
        for (String name : List.of("person", "samples", "nested", "shapes", "pair")) {
            for (int protocol = 0; protocol <= 5; protocol++) {
                byte[] original = Vectors.cpython(name, protocol);
                for (int round = 0; round < 60; round++) {
                    byte[] mutated = original.clone();
                    for (int k = 1 + random.nextInt(3); k > 0; k--) {
                        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                    }
                    for (Class<?> target : targets) {
                        try {
                            MAPPER.readValue(mutated, target);
                        } catch (JacksonException expected) {
                            // what a bad pickle or a mismatched value gives
                        }
                    }
                }
            }
        }
    }

    @Test
    void garbageIsAStreamReadException() {
        for (byte[] garbage : new byte[][] {{(byte) 0x80, 5, (byte) 0xff}, {'X', 9, 0, 0}, {(byte) 0x80, 2, ']', 'h', 7, '.'}}) {
            assertThrows(JacksonException.class, () -> MAPPER.readTree(garbage));
        }
    }
}
