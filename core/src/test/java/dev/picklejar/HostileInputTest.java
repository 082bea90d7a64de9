package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input: every case must end in a PickleException that names where it failed,
 * never another exception, an OutOfMemoryError or a StackOverflowError.
 */
class HostileInputTest {
    /**
     * pickle.dumps(obj, p) for p in 0..5 by CPython 3.11, where obj = {'name': 'Alice', 'age': 25,
     * 'tags': ['a', (1, 2.5, None)], 'big': 2**100, 'when': datetime.datetime(2020, 1, 2, 3, 4, 5),
     * 'd': decimal.Decimal('1.10'), 's': {1, 2}, 'b': b'xy', 'u': '한국어'}.
     */
    static final List<byte[]> VALID = List.of(
            "286470300a566e616d650a70310a56416c6963650a70320a73566167650a70330a4932350a7356746167730a70340a286c70350a56610a70360a612849310a46322e350a4e7470370a6173566269670a70380a4c313236373635303630303232383232393430313439363730333230353337364c0a73567768656e0a70390a636461746574696d650a6461746574696d650a7031300a28635f636f646563730a656e636f64650a7031310a285607e401020304055c75303030305c75303030305c75303030300a7031320a566c6174696e310a7031330a747031340a527031350a747031360a527031370a7356640a7031380a63646563696d616c0a446563696d616c0a7031390a2856312e31300a7032300a747032310a527032320a7356730a7032330a635f5f6275696c74696e5f5f0a7365740a7032340a28286c7032350a49310a6149320a61747032360a527032370a7356620a7032380a6731310a285678790a7032390a6731330a747033300a527033310a7356750a7033320a565c75643535635c75616436645c75633562340a7033330a732e",
            "7d71002858040000006e616d6571015805000000416c6963657102580300000061676571034b1958040000007461677371045d7105285801000000617106284b014740040000000000004e74710765580300000062696771084c313236373635303630303232383232393430313439363730333230353337364c0a58040000007768656e7109636461746574696d650a6461746574696d650a710a28635f636f646563730a656e636f64650a710b28580b00000007c3a40102030405000000710c58060000006c6174696e31710d74710e52710f747110527111580100000064711263646563696d616c0a446563696d616c0a7113285804000000312e313071147471155271165801000000737117635f5f6275696c74696e5f5f0a7365740a7118285d7119284b014b026574711a52711b580100000062711c680b2858020000007879711d680d74711e52711f58010000007571205809000000ed959ceab5adec96b47121752e",
            "80027d71002858040000006e616d6571015805000000416c6963657102580300000061676571034b1958040000007461677371045d71052858010000006171064b014740040000000000004e87710765580300000062696771088a0d0000000000000000000000001058040000007768656e7109636461746574696d650a6461746574696d650a710a635f636f646563730a656e636f64650a710b580b00000007c3a40102030405000000710c58060000006c6174696e31710d86710e52710f857110527111580100000064711263646563696d616c0a446563696d616c0a71135804000000312e313071148571155271165801000000737117635f5f6275696c74696e5f5f0a7365740a71185d7119284b014b026585711a52711b580100000062711c680b58020000007879711d680d86711e52711f58010000007571205809000000ed959ceab5adec96b47121752e",
            "80037d71002858040000006e616d6571015805000000416c6963657102580300000061676571034b1958040000007461677371045d71052858010000006171064b014740040000000000004e87710765580300000062696771088a0d0000000000000000000000001058040000007768656e7109636461746574696d650a6461746574696d650a710a430a07e40102030405000000710b85710c52710d580100000064710e63646563696d616c0a446563696d616c0a710f5804000000312e313071108571115271125801000000737113636275696c74696e730a7365740a71145d7115284b014b02658571165271175801000000627118430278797119580100000075711a5809000000ed959ceab5adec96b4711b752e",
            "800495c8000000000000007d94288c046e616d65948c05416c696365948c03616765944b198c0474616773945d94288c0161944b014740040000000000004e8794658c03626967948a0d000000000000000000000000108c047768656e948c086461746574696d65948c086461746574696d65949394430a07e4010203040500000094859452948c0164948c07646563696d616c948c07446563696d616c9493948c04312e313094859452948c0173948f94284b014b02908c01629443027879948c0175948c09ed959ceab5adec96b494752e",
            "800595c8000000000000007d94288c046e616d65948c05416c696365948c03616765944b198c0474616773945d94288c0161944b014740040000000000004e8794658c03626967948a0d000000000000000000000000108c047768656e948c086461746574696d65948c086461746574696d65949394430a07e4010203040500000094859452948c0164948c07646563696d616c948c07446563696d616c9493948c04312e313094859452948c0173948f94284b014b02908c01629443027879948c0175948c09ed959ceab5adec96b494752e").stream().map(HexFormat.of()::parseHex).toList();

    static final String VALID_REPR = "{'name': 'Alice', 'age': 25, 'tags': ['a', (1, 2.5, None)], "
            + "'big': 1267650600228229401496703205376, 'when': datetime.datetime(2020, 1, 2, 3, 4, 5), "
            + "'d': Decimal('1.10'), 's': {1, 2}, 'b': b'xy', 'u': '한국어'}";

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static PickleException refused(byte[] data) {
        return refused(Unpickler.standard(), data);
    }

    private static PickleException refused(Unpickler unpickler, byte[] data) {
        try {
            Object value = unpickler.loads(data);
            fail("expected a PickleException, loaded " + Repr.of(value));
            return null;
        } catch (PickleException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected a PickleException, got " + t, t);
        }
    }

    @Test
    void theValidPicklesLoad() {
        for (byte[] data : VALID) {
            assertEquals(VALID_REPR, Repr.of(Pickle.loads(data)));
        }
    }

    @Test
    void everyTruncationOfAValidPickleIsRefused() {
        for (byte[] data : VALID) {
            for (int n = 0; n < data.length; n++) {
                byte[] cut = java.util.Arrays.copyOf(data, n);
                PickleException e = refused(cut);
                assertTrue(e.offset() <= n, e.getMessage());
                // The same through a stream, both markable and not.
                assertThrows(PickleException.class, () -> Pickle.load(new ByteArrayInputStream(cut)));
                assertThrows(PickleException.class, () -> Pickle.load(new OneByteAtATime(cut)));
            }
        }
    }

    @Test
    void unknownOpcodesAreRefusedWithTheirOffset() {
        PickleException e = refused(bytes("8002ff2e"));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("invalid load key, '\\xff'"), e.getMessage());
        for (int code = 0; code < 256; code++) {
            if (Opcode.forCode(code) == null) {
                refused(new byte[] {(byte) 0x80, 2, (byte) code, '.'});
            }
        }
    }

    @Test
    void getOfAnUndefinedMemoIndexIsRefused() {
        PickleException e = refused(bytes("8002680532")); // PROTO 2, BINGET 5
        assertTrue(e.getMessage().contains("Memo value not found at index 5"), e.getMessage());
        assertEquals("BINGET", e.opcode());
        refused("g7\n.".getBytes());
        refused(bytes("6affffffff2e"));
    }

    @Test
    void aHugeLengthFieldInATinyInputIsRefusedWithoutAllocating() {
        // BINBYTES8, BINUNICODE8, BYTEARRAY8 and FRAME claiming 2**60 bytes, in 20-byte inputs.
        for (String op : List.of("8e", "8d", "96", "95")) {
            byte[] data = bytes("8005" + op + "0000000000000010" + "00010203040506072e");
            assertEquals(20, data.length);
            PickleException e = refused(data);
            assertEquals(2, e.offset(), e.getMessage());
            assertThrows(PickleException.class, () -> Pickle.load(new ByteArrayInputStream(data)));
            assertThrows(PickleException.class, () -> Pickle.load(new OneByteAtATime(data)));
            try (PickleStream s = Unpickler.standard().open(new ByteArrayInputStream(data))) {
                assertThrows(PickleException.class, s::next);
            }
        }
        // BINUNICODE with 4 GiB - 1 and BINSTRING with a negative length.
        refused(bytes("8002" + "58ffffffff" + "61622e"));
        refused(bytes("54ffffffff" + "61622e"));
    }

    @Test
    void aMillionNestedListsAreRefused() {
        int n = 1_000_000;
        // EMPTY_LIST a million times, then APPEND a million times.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        for (int i = 0; i < n; i++) {
            out.write(']');
        }
        for (int i = 1; i < n; i++) {
            out.write('a');
        }
        out.write('.');
        PickleException e = refused(out.toByteArray());
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());

        // The same depth built with a constant stack: EMPTY_LIST, BINGET 0, APPEND, BINPUT 0, POP.
        out.reset();
        out.writeBytes(bytes("80025d7100"));
        for (int i = 0; i < n; i++) {
            out.writeBytes(bytes("5d680061710030"));
        }
        out.writeBytes(bytes("68002e"));
        e = refused(out.toByteArray());
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());

        // Tuples: K 1 then TUPLE1 a million times (would make hashCode recurse a million deep).
        out.reset();
        out.writeBytes(bytes("80024b01"));
        for (int i = 0; i < n; i++) {
            out.write(0x85);
        }
        out.write('.');
        refused(out.toByteArray());
    }

    @Test
    void stopWithAnEmptyOrOverfullStackIsRefused() {
        assertTrue(refused(bytes("2e")).getMessage().contains("empty stack"));
        assertTrue(refused(bytes("80022e")).getMessage().contains("empty stack"));
        assertTrue(refused(bytes("4b014b022e")).getMessage().contains("2 items"));
        assertTrue(refused(bytes("284b012e")).getMessage().contains("MARK"));
    }

    @Test
    void stackUnderflowAndMissingMarksAreRefused() {
        refused(bytes("80026132")); // APPEND on an empty stack
        refused(bytes("800265" + "2e")); // APPENDS without MARK
        refused(bytes("80025d284b01614b02652e")); // APPEND whose list is below the MARK
        refused(bytes("8002302e")); // POP on an empty stack
        refused(bytes("8002522e")); // REDUCE with nothing
        refused(bytes("80024b0152" + "2e")); // REDUCE with one item
        refused(bytes("800285" + "2e")); // TUPLE1 with nothing
    }

    @Test
    void wrongTypesOnTheStackAreRefusedNotCrashed() {
        refused(bytes("80024b014b02612e")); // APPEND to an int
        refused(bytes("80024b014b024b03732e")); // SETITEM on an int
        refused(bytes("80024b014b02522e")); // REDUCE with a non-tuple argument
        refused(bytes("80024b014b02622e")); // BUILD on an int
        refused(bytes("80044b014b0293" + "2e")); // STACK_GLOBAL with ints
        refused(bytes("80027d5d4b01732e")); // a list as a dict key: unhashable
        refused(bytes("80028f5d90" + "2e")); // a list added to a set
        refused(bytes("8002284b0164" + "2e")); // DICT with an odd number of items
    }

    @Test
    void configurationDependentOpcodesAreRefusedWhenNotConfigured() {
        assertTrue(refused(bytes("80024b0151" + "2e")).getMessage().contains("persistent"));
        assertTrue(refused("P1\n.".getBytes()).getMessage().contains("persistent"));
        assertTrue(refused(bytes("8005972e")).getMessage().contains("out-of-band"));
        assertTrue(refused(bytes("8002820a2e")).getMessage().contains("extension code 10"));
        Unpickler oneBuffer = Unpickler.builder().buffers(List.of(new byte[] {1})).build();
        assertTrue(refused(oneBuffer, bytes("800597978632" + "2e")).getMessage().contains("not enough"));
        assertTrue(refused(bytes("80062e")).getMessage().contains("unsupported pickle protocol: 6"));
    }

    @Test
    void strictModeRefusesUnknownGlobalsAndAdmitsStandardTypes() {
        Unpickler strict = Unpickler.builder().strict(true).build();
        // pickle.dumps(os.system, 2) would name posix.system; a hand-made GLOBAL does the same.
        PickleException e = refused(strict, "cos\nsystem\n.".getBytes());
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertEquals(0, e.offset());
        for (byte[] data : VALID) {
            assertEquals(VALID_REPR, Repr.of(strict.loads(data)));
        }
    }

    @Test
    void limitsAreEnforced() {
        byte[] data = VALID.get(2);
        refused(Unpickler.builder().limits(Limits.defaults().withMaxInputLength(50)).build(), data);
        refused(Unpickler.builder().limits(Limits.defaults().withMaxMemoSize(3)).build(), data);
        refused(Unpickler.builder().limits(Limits.defaults().withMaxFieldLength(4)).build(), data);
        refused(Unpickler.builder().limits(Limits.defaults().withMaxDepth(2)).build(), data);
        refused(Unpickler.builder().limits(Limits.defaults().withMaxStackSize(4)).build(), data);
        assertThrows(PickleException.class, () -> Unpickler.builder()
                .limits(Limits.defaults().withMaxInputLength(50)).build().load(new ByteArrayInputStream(data)));
    }

    @Test
    void randomMutationsOfValidPicklesEndInAValueOrAPickleException() {
        Random random = new Random(20261125);
        for (int round = 0; round < 60_000; round++) {
            byte[] data = VALID.get(round % VALID.size()).clone();
            int edits = 1 + random.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(data.length);
                switch (random.nextInt(3)) {
                    case 0 -> data[at] = (byte) random.nextInt(256);
                    case 1 -> data[at] = (byte) (data[at] ^ (1 << random.nextInt(8)));
                    default -> {
                        byte[] shorter = new byte[data.length - 1];
                        System.arraycopy(data, 0, shorter, 0, at);
                        System.arraycopy(data, at + 1, shorter, at, data.length - at - 1);
                        data = shorter;
                    }
                }
                if (data.length < 2) {
                    break;
                }
            }
            try {
                Object value = Pickle.loads(data);
                Repr.of(value);
            } catch (PickleException expected) {
                // fine: refused with a clear error
            } catch (Throwable t) {
                throw new AssertionError("mutated pickle " + HexFormat.of().formatHex(data) + " threw " + t, t);
            }
        }
    }

    @Test
    void errorsNameTheOffsetAndTheOpcode() {
        // PROTO 2, EMPTY_LIST, BINPUT 0, SHORT_BINUNICODE? no: BINUNICODE with invalid UTF-8.
        PickleException e = refused(bytes("80025d7100" + "5802000000c328" + "612e"));
        assertEquals(5, e.offset());
        assertEquals("BINUNICODE", e.opcode());
        assertTrue(e.getMessage().contains("at byte 5, opcode BINUNICODE"), e.getMessage());
    }

    @Test
    void aMarkableStreamIsLeftJustAfterThePickleEvenWhenTruncatedLater() throws Exception {
        byte[] one = VALID.get(5);
        byte[] all = new byte[one.length + 3];
        System.arraycopy(one, 0, all, 0, one.length);
        all[one.length] = 'x';
        all[one.length + 1] = 'y';
        all[one.length + 2] = 'z';
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(all), 16);
        assertEquals(VALID_REPR, Repr.of(Pickle.load(in)));
        assertEquals('x', in.read());
    }

    /** A stream that supports no mark and hands out one byte per read call, the worst case. */
    static final class OneByteAtATime extends InputStream {
        private final byte[] data;
        private int pos;

        OneByteAtATime(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            b[off] = data[pos++];
            return 1;
        }
    }
}
