package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ways in: a pickle inside a larger array, and several pickles in one array. */
class UnpicklerApiTest {
    /** pickle.dumps('abc', 2) + pickle.dumps([1, 2], 4) + pickle.dumps(None, 0), by CPython 3.11. */
    private static final byte[] THREE = HexFormat.of().parseHex(
            "800258030000006162637100" + "2e"
                    + "80049509000000000000005d94284b014b02652e"
                    + "4e2e");

    @Test
    void aPickleIsReadFromTheMiddleOfAnArray() {
        assertEquals("abc", Unpickler.standard().loads(THREE, 0, 13));
        assertEquals(List.of(1, 2), Unpickler.standard().loads(THREE, 13, 20));
        assertEquals(null, Unpickler.standard().loads(THREE, 33, 2));
        PickleException e = assertThrows(PickleException.class, () -> Unpickler.standard().loads(THREE, 13, 10));
        assertEquals("FRAME", e.opcode());
    }

    @Test
    void theLimitOnInputLengthCountsFromThePickle() {
        Unpickler small = Unpickler.builder().limits(Limits.defaults().withMaxInputLength(20)).build();
        assertEquals(List.of(1, 2), small.loads(THREE, 13, 20));
        assertThrows(PickleException.class, () -> Unpickler.builder()
                .limits(Limits.defaults().withMaxInputLength(19)).build().loads(THREE, 13, 20));
    }

    @Test
    void everyPickleOfAnArrayComesOutOfOpen() {
        List<Object> values = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (PickleStream stream = Unpickler.standard().open(THREE)) {
            while (stream.hasNext()) {
                values.add(stream.next());
                offsets.add(stream.offset());
            }
            assertFalse(stream.hasNext());
        }
        assertEquals(java.util.Arrays.asList("abc", List.of(1, 2), null), values);
        assertEquals(List.of(13L, 33L, 35L), offsets);
    }
}
