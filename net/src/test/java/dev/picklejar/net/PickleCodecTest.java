package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.PickleException;
import dev.picklejar.Pickler;
import dev.picklejar.PyTuple;
import dev.picklejar.Unpickler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickleCodecTest {
    // python3 -c "import pickle; print(pickle.dumps({'a': [1, 2]}, protocol=4).hex())"
    private static final String DICT_P4 = "80049510000000000000007d948c0161945d94284b014b0265732e";
    // python3 -c "import pickle; print(pickle.dumps(None, protocol=4).hex())"
    private static final String NONE_P4 = "80044e2e";
    // python3 -c "import pickle; print(pickle.dumps(('x', 1), protocol=4).hex())"
    private static final String TUPLE_P4 = "80049509000000000000008c0178944b0186942e";

    private final Capture capture = new Capture();

    @Test
    void loadsEachFrameAsOnePickle() {
        EmbeddedChannel ch = new EmbeddedChannel(new PickleDecoder(Unpickler.standard(), false), capture);
        ByteBuf direct = Unpooled.directBuffer().writeBytes(Bytes.hex(TUPLE_P4));
        ch.writeInbound(Bytes.hex(DICT_P4), direct, Bytes.hex(NONE_P4));
        assertEquals(Map.of("a", List.of(1, 2)), capture.messages.get(0));
        assertEquals(PyTuple.of("x", 1), capture.messages.get(1));
        assertSame(PickleDecoder.NONE, capture.messages.get(2));
    }

    @Test
    void aMessageThatDoesNotUnpickleIsReportedAndTheNextOneStillArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new PickleDecoder(Unpickler.standard(), false), capture);
        ch.writeInbound(Bytes.hex("00 01 02"), Bytes.hex(TUPLE_P4));
        NetException e = assertInstanceOf(NetException.class, capture.errors.get(0));
        assertTrue(e.getMessage().startsWith("message 1 from embedded could not be unpickled: "), e.getMessage());
        assertInstanceOf(PickleException.class, e.getCause());
        assertEquals(List.of(PyTuple.of("x", 1)), capture.messages);
        assertTrue(ch.isOpen());
    }

    @Test
    void canCloseOnABadMessageInstead() {
        EmbeddedChannel ch = new EmbeddedChannel(new PickleDecoder(Unpickler.standard(), true), capture);
        ch.writeInbound(Bytes.hex("00"));
        assertEquals(1, capture.errors.size());
        assertFalse(ch.isOpen());
    }

    @Test
    void usesTheUnpicklersOptions() {
        // python3 -c "import pickle, os; print(pickle.dumps(os.system, protocol=4).hex())"
        String global = "80049514000000000000008c05706f736978948c0673797374656d9493942e";
        EmbeddedChannel ch = new EmbeddedChannel(new PickleDecoder(Unpickler.builder().strict(true).build(), false), capture);
        ch.writeInbound(Bytes.hex(global));
        assertInstanceOf(PickleException.class, capture.errors.get(0).getCause());
        assertTrue(capture.messages.isEmpty());
    }

    @Test
    void picklesValuesAsPythonDoesAtTheChosenProtocol() {
        EmbeddedChannel ch = new EmbeddedChannel(new PickleEncoder(Pickler.standard(4)));
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("a", List.of(1, 2));
        ch.writeOutbound(dict, PickleDecoder.NONE, PyTuple.of("x", 1));
        assertEquals(DICT_P4, Bytes.hex((ByteBuf) ch.readOutbound()));
        assertEquals(NONE_P4, Bytes.hex((ByteBuf) ch.readOutbound()));
        assertEquals(TUPLE_P4, Bytes.hex((ByteBuf) ch.readOutbound()));
    }

    @Test
    void sendsPickledBytesAsTheyAreAndPassesBuffersThrough() {
        EmbeddedChannel ch = new EmbeddedChannel(new PickleEncoder(Pickler.standard(4)));
        ch.writeOutbound(Pickled.of(new byte[] {'N', '.'}), Bytes.hex("0102"));
        assertEquals("4e2e", Bytes.hex((ByteBuf) ch.readOutbound()));
        assertEquals("0102", Bytes.hex((ByteBuf) ch.readOutbound()));
    }

    @Test
    void aValueThatCannotBePickledFailsItsWrite() {
        EmbeddedChannel ch = new EmbeddedChannel(new PickleEncoder(Pickler.standard(4)));
        EncoderException e = assertThrows(EncoderException.class, () -> ch.writeOutbound(new Object()));
        assertTrue(e.getCause().getMessage().contains("java.lang.Object"), e.getCause().getMessage());
    }
}
