package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    void aValueThatBuildMakesIsTheSameObjectThroughADupBelowIt() {
        // CPython: pickle.loads(b) is (dtype('float64'), dtype('float64')) and t[0] is t[1] (numpy's
        // dtype, then uuid.UUID); DUP then BUILD mutates the one object (found by the roundTrip fuzz target).
        byte[] dtypes = HexFormat.of().parseHex("8002636e756d70790a64747970650a7100580200000066387101898887710252"
                + "710332284b0358010000003c4e4e4e4affffffff4affffffff4b0074628671042e");
        List<?> twice = (List<?>) Pickle.loads(dtypes);
        assertEquals("(dtype('float64'), dtype('float64'))", Repr.of(twice));
        assertSame(twice.get(0), twice.get(1));
        byte[] uuids = HexFormat.of().parseHex("800263757569640a555549440a29817100327d5803000000696e744b01"
                + "73628671012e");
        twice = (List<?>) Pickle.loads(uuids);
        assertEquals(java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"), twice.get(0));
        assertSame(twice.get(0), twice.get(1));
    }

    @Test
    void aValueThatBuildMakesIsRefusedWhenACopyOfItWentWhereItCannotBeReplaced() {
        // Hand-made: numpy.dtype('f8', False, True), then [GET of it], then BUILD on another GET. CPython gives
        // ([dtype('float64')], dtype('float64')) with both the one object; picklejar cannot reach into the
        // list, so it refuses rather than leave the unbuilt object there (CPython never writes this).
        byte[] inAList = HexFormat.of().parseHex("8002636e756d70790a64747970650a710058020000006638710189888771025271"
                + "032868036c71046803284b0358010000003c4e4e4e4affffffff4affffffff4b007462862e");
        PickleException e = assertThrows(PickleException.class, () -> Pickle.loads(inAList));
        assertEquals("BUILD makes a numpy.dtype a Java value, but the pickle copied it (DUP, GET or a second PUT) to"
                + " where picklejar cannot replace the copy before setting its state (at byte 67, opcode BUILD)",
                e.getMessage());
    }

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
