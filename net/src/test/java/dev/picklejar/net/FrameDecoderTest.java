package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private final Capture capture = new Capture();

    private EmbeddedChannel channel(long max) {
        return new EmbeddedChannel(new FrameDecoder(max), capture);
    }

    private String message(int i) {
        return Bytes.hex((ByteBuf) capture.messages.get(i));
    }

    @Test
    void splitsTheStreamIntoMessagesWhereverTheReadsEnd() {
        EmbeddedChannel ch = channel(100);
        ByteBuf stream = Bytes.hex("00000003 616263 00000000 00000002 6869");
        while (stream.isReadable()) {
            ch.writeInbound(stream.readRetainedSlice(1));
        }
        stream.release();
        assertEquals(3, capture.messages.size());
        assertEquals("616263", message(0));
        assertEquals("", message(1));
        assertEquals("6869", message(2));
    }

    @Test
    void readsTheEightByteLengthAfterMinusOne() {
        EmbeddedChannel ch = channel(100);
        ch.writeInbound(Bytes.hex("ffffffff 0000000000000003 616263 00000001 7a"));
        assertEquals("616263", message(0));
        assertEquals("7a", message(1));
    }

    @Test
    void refusesALengthOverTheMaximumBeforeTheBodyArrives() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(Bytes.hex("0000000b"));
        MessageTooLargeException e = assertInstanceOf(MessageTooLargeException.class, capture.errors.get(0));
        assertEquals("message of 11 bytes from embedded exceeds the maximum of 10 bytes", e.getMessage());
        assertEquals(11, e.length());
        assertFalse(ch.isOpen());
        assertTrue(capture.messages.isEmpty());
    }

    @Test
    void reportsAnEightByteLengthAboveTwoToTheSixtyThreeAsUnsigned() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(Bytes.hex("ffffffff ffffffffffffffff"));
        assertEquals("message of 18446744073709551615 bytes from embedded exceeds the maximum of 10 bytes",
                capture.errors.get(0).getMessage());
        assertFalse(ch.isOpen());
    }

    @Test
    void refusesANegativeLengthOtherThanMinusOne() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(Bytes.hex("fffffffe 00"));
        assertEquals("bad length prefix fffffffe (-2) from embedded: not a multiprocessing.connection stream",
                capture.errors.get(0).getMessage());
        assertFalse(ch.isOpen());
    }

    @Test
    void saysHowMuchWasMissingWhenTheConnectionEndsInsideAMessage() {
        EmbeddedChannel ch = channel(100);
        ch.writeInbound(Bytes.hex("00000001 41 00000005 4243"));
        ch.finish();
        assertEquals("41", message(0));
        assertEquals("connection from embedded ended in the middle of a message (got 2 of 5 bytes)",
                capture.errors.get(0).getMessage());
    }

    @Test
    void saysSoWhenTheConnectionEndsInsideALengthPrefix() {
        EmbeddedChannel ch = channel(100);
        ch.writeInbound(Bytes.hex("0000"));
        ch.finish();
        assertEquals("connection from embedded ended in the middle of a message (got 2 bytes of a length prefix)",
                capture.errors.get(0).getMessage());
    }

    @Test
    void aCleanEndIsNotAnError() {
        EmbeddedChannel ch = channel(100);
        ch.writeInbound(Bytes.hex("00000001 41"));
        ch.finish();
        assertTrue(capture.errors.isEmpty());
        assertNull(ch.readInbound());
    }
}
