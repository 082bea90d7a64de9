package dev.picklejar.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.picklejar.Limits;
import dev.picklejar.PyObject;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** The serde on its own, configured as a Kafka client configures it; expected bytes are CPython 3.11's. */
class PickleSerdeTest {
    /** pickle.dumps({'name': 'Alice', 'age': 25}, 5) */
    private static final String ALICE_5 = "8005951c000000000000007d94288c046e616d65948c05416c696365948c03616765944b19752e";
    /** pickle.dumps({'name': 'Alice', 'age': 25}, 2) */
    private static final String ALICE_2 = "80027d71002858040000006e616d6571015805000000416c6963657102580300000061676571034b19752e";
    /** pickle.dumps({'name': 'Alice', 'age': 25}, 0) */
    private static final String ALICE_0 = "286470300a566e616d650a70310a56416c6963650a70320a73566167650a70330a4932350a732e";
    /** pickle.dumps(argparse.Namespace(a=1), 2): a class that is none of the standard types. */
    private static final String NAMESPACE_2 = "80026361726770617273650a4e616d6573706163650a7100298171017d710258010000006171034b0173622e";
    /** pickle.dumps([[[1]]], 2) */
    private static final String NESTED_2 = "80025d71005d71015d71024b016161612e";
    /** Python 2's pickle.dumps('caf\xe9', 2): a Python 2 str (SHORT_BINSTRING) of latin-1 bytes. */
    private static final String PY2_STR = "80025504636166e971002e";

    /** pickle.dumps(array.array('i', [1, 2, 3]), 2) */
    private static final String ARRAY_2 = "80026361727261790a61727261790a710058010000006971015d7102284b014b024b03658671035271042e";
    /** pickle.dumps([1, 2, 3], 2) */
    private static final String LIST_2 = "80025d7100284b014b024b03652e";
    /** pickle.dumps(numpy.array([1, 2, 3], dtype=numpy.int32), 2) in numpy 1.24 (Debian's python3-numpy). */
    private static final String NUMPY1_INT32_2 = "8002636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a"
            + "7100636e756d70790a6e6461727261790a71014b00857102635f636f646563730a656e636f64650a710358010000006271045806"
            + "0000006c6174696e317105867106527107877108527109284b014b0385710a636e756d70790a64747970650a710b580200000069"
            + "34710c898887710d52710e284b0358010000003c710f4e4e4e4affffffff4affffffff4b0074711062896803580c000000010000"
            + "00020000000300000071116805867112527113747114622e";

    private static Map<String, Object> alice() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "Alice");
        m.put("age", 25);
        return m;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static Serializer<Object> serializer(Map<String, ?> configs, boolean isKey) {
        PickleSerializer s = new PickleSerializer();
        s.configure(configs, isKey);
        return s;
    }

    private static Deserializer<Object> deserializer(Map<String, ?> configs) {
        PickleDeserializer d = new PickleDeserializer();
        d.configure(configs, false);
        return d;
    }

    @Test
    void writesCPythonsBytesAtProtocol5ByDefault() {
        assertArrayEquals(hex(ALICE_5), serializer(Map.of(), false).serialize("t", alice()));
    }

    @Test
    void theProtocolKeyChoosesTheProtocol() {
        assertArrayEquals(hex(ALICE_2), serializer(Map.of("picklejar.protocol", "2"), false).serialize("t", alice()));
    }

    @Test
    void keyAndValuePrefixedSettingsWinForTheirSideOnly() {
        Map<String, Object> props = Map.of("picklejar.protocol", 2, "key.picklejar.protocol", 0);
        assertArrayEquals(hex(ALICE_0), serializer(props, true).serialize("t", alice()));
        assertArrayEquals(hex(ALICE_2), serializer(props, false).serialize("t", alice()));
    }

    @Test
    void primitiveArraysAreWrittenAsTheArraysKeySays() {
        int[] ints = {1, 2, 3};
        assertArrayEquals(hex(ARRAY_2), serializer(Map.of("picklejar.protocol", 2), false).serialize("t", ints));
        assertArrayEquals(hex(LIST_2), serializer(Map.of("picklejar.protocol", 2, "picklejar.primitive.arrays", "list"),
                false).serialize("t", ints));
        assertArrayEquals(hex(NUMPY1_INT32_2), serializer(Map.of("picklejar.protocol", 2,
                "picklejar.primitive.arrays", "numpy", "picklejar.numpy.version", 1), false).serialize("t", ints));
    }

    @Test
    void aBadSettingFailsWhenTheClientIsConfiguredNamingTheKey() {
        ConfigException protocol = assertThrows(ConfigException.class,
                () -> serializer(Map.of("picklejar.protocol", 6), false));
        assertTrue(protocol.getMessage().contains("picklejar.protocol"), protocol.getMessage());
        ConfigException encoding = assertThrows(ConfigException.class,
                () -> deserializer(Map.of("picklejar.encoding", "klingon")));
        assertTrue(encoding.getMessage().contains("picklejar.encoding"), encoding.getMessage());
    }

    @Test
    void everyKeyIsDocumented() {
        assertEquals(List.of(PickleSerdeConfig.PROTOCOL, PickleSerdeConfig.NUMPY_VERSION,
                PickleSerdeConfig.PRIMITIVE_ARRAYS, PickleSerdeConfig.STRICT, PickleSerdeConfig.ENCODING,
                PickleSerdeConfig.MAX_DEPTH, PickleSerdeConfig.MAX_MEMO_SIZE, PickleSerdeConfig.MAX_FIELD_LENGTH,
                PickleSerdeConfig.MAX_STACK_SIZE, PickleSerdeConfig.MAX_ITEMS, PickleSerdeConfig.TYPE), List.copyOf(PickleSerdeConfig.configDef().configKeys().keySet()));
        PickleSerdeConfig.configDef().configKeys().values()
                .forEach(key -> assertTrue(key.documentation.length() > 20, key.name));
    }

    @Test
    void nullStaysNullBothWays() {
        assertNull(serializer(Map.of(), false).serialize("t", null));
        assertNull(deserializer(Map.of()).deserialize("t", null));
        assertNull(deserializer(Map.of()).deserialize("t", new RecordHeaders(), (ByteBuffer) null));
    }

    @Test
    void readsTheValueInPlaceFromTheConsumersBuffer() {
        byte[] framed = new byte[3 + hex(ALICE_2).length + 2];
        System.arraycopy(hex(ALICE_2), 0, framed, 3, hex(ALICE_2).length);
        ByteBuffer view = ByteBuffer.wrap(framed, 3, hex(ALICE_2).length).slice();
        assertEquals(alice(), deserializer(Map.of()).deserialize("t", new RecordHeaders(), view));
    }

    @Test
    void readsADirectBufferToo() {
        ByteBuffer direct = ByteBuffer.allocateDirect(hex(ALICE_2).length).put(hex(ALICE_2)).flip();
        assertEquals(alice(), deserializer(Map.of()).deserialize("t", new RecordHeaders(), direct));
        assertEquals(0, direct.position());                    // the consumer's buffer is left as it was
    }

    @Test
    void aKeyThatDoesNotLoadIsReportedAsTheKey() {
        PickleDeserializer keys = new PickleDeserializer();
        keys.configure(Map.of(), true);
        PickleSerializationException e = assertThrows(PickleSerializationException.class,
                () -> keys.deserialize("events", hex(NESTED_2.substring(0, 20))));
        assertTrue(e.isKey());
        assertTrue(e.getMessage().startsWith("cannot unpickle the key of a record of topic 'events': "), e.getMessage());
    }

    @Test
    void unknownClassesLoadInertlyUnlessStrict() {
        assertInstanceOf(PyObject.class, deserializer(Map.of()).deserialize("t", hex(NAMESPACE_2)));
        PickleSerializationException e = assertThrows(PickleSerializationException.class,
                () -> deserializer(Map.of("picklejar.strict", "true")).deserialize("events", hex(NAMESPACE_2)));
        assertEquals("events", e.topic());
        assertEquals(-1, e.partition());
        assertEquals(2, e.pickleOffset());
        assertEquals("GLOBAL", e.opcode());
        assertTrue(e.getMessage().startsWith("cannot unpickle the value of a record of topic 'events': "), e.getMessage());
        assertTrue(e.getMessage().contains("argparse.Namespace"), e.getMessage());
    }

    @Test
    void theEncodingKeyDecodesPython2Strings() {
        assertEquals("café", deserializer(Map.of("picklejar.encoding", "latin1")).deserialize("t", hex(PY2_STR)));
        assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1),
                (byte[]) deserializer(Map.of("picklejar.encoding", "bytes")).deserialize("t", hex(PY2_STR)));
        // ASCII, Python's default, refuses the byte 0xe9 as Python does.
        PickleSerializationException e = assertThrows(PickleSerializationException.class,
                () -> deserializer(Map.of()).deserialize("t", hex(PY2_STR)));
        assertEquals("SHORT_BINSTRING", e.opcode());
    }

    @Test
    void theLimitKeysBoundARecord() {
        assertEquals(List.of(List.of(List.of(1))), deserializer(Map.of()).deserialize("t", hex(NESTED_2)));
        PickleSerializationException e = assertThrows(PickleSerializationException.class,
                () -> deserializer(Map.of("picklejar.max.depth", 2)).deserialize("t", hex(NESTED_2)));
        assertTrue(e.getMessage().contains("nested deeper than the limit of 2"), e.getMessage());
        assertEquals(15, e.pickleOffset());           // the last APPEND: the outer list becomes three deep
        assertEquals("APPEND", e.opcode());
        PickleDeserializer d = new PickleDeserializer();
        d.configure(Map.of("picklejar.max.items", 2, "picklejar.max.stack.size", 10), false);
        assertEquals(2, d.unpickler().limits().maxItems());
        assertEquals(10, d.unpickler().limits().maxStackSize());
        assertEquals(Limits.defaults().maxMemoSize(), d.unpickler().limits().maxMemoSize());   // unset: the heap's
        assertThrows(ConfigException.class, () -> deserializer(Map.of("picklejar.max.items", 0)));
    }

    @Test
    void aValueThatCannotBePickledFailsNamingTheTopic() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer(Map.of(), false).serialize("events", new Object()));
        assertTrue(e.getMessage().startsWith("cannot pickle a record for topic 'events': "), e.getMessage());
    }

    @Test
    void theSerdeConfiguresBothHalves() {
        PickleSerde serde = new PickleSerde();
        serde.configure(Map.of("value.picklejar.protocol", 2, "picklejar.strict", true), false);
        assertArrayEquals(hex(ALICE_2), serde.serializer().serialize("t", alice()));
        assertThrows(PickleSerializationException.class, () -> serde.deserializer().deserialize("t", hex(NAMESPACE_2)));
        serde.close();
    }

    /** What picklejar.type binds a record to: {'name': 'Alice', 'age': 25} by its keys. */
    record Person(String name, int age) {}

    /** A field whose type the record's value cannot coerce to. */
    record NumberedName(int name) {}

    @Test
    void theTypeKeyBindsEachRecordThroughPickleMapper() {
        Deserializer<Object> people = deserializer(Map.of("picklejar.type", Person.class));
        assertEquals(new Person("Alice", 25), people.deserialize("people", hex(ALICE_2)));
        assertEquals(new Person("Alice", 25), people.deserialize("people", hex(ALICE_5)));
        // The class may be named, as in a properties file.
        assertEquals(new Person("Alice", 25), deserializer(Map.of("value.picklejar.type", Person.class.getName()))
                .deserialize("people", hex(ALICE_0)));
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer(Map.of("picklejar.type", NumberedName.class)).deserialize("people", hex(ALICE_2)));
        assertTrue(e.getMessage().startsWith("cannot bind the value of a record of topic 'people' to "
                + NumberedName.class.getName() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("[\"name\"]"), e.getMessage());
    }
}
