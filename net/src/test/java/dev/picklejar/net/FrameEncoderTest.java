package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameEncoderTest {
    @Test
    void putsAFourByteLengthBeforeASmallBodyInOneBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
        ch.writeOutbound(Bytes.hex("616263"));
        assertEquals("00000003616263", Bytes.hex((ByteBuf) ch.readOutbound()));
        assertNull(ch.readOutbound());
    }

    @Test
    void sendsALargeBodyAfterASeparateHeaderWithoutCopyingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
        ByteBuf body = Unpooled.wrappedBuffer(new byte[20_000]);
        ch.writeOutbound(body);
        assertEquals("00004e20", Bytes.hex((ByteBuf) ch.readOutbound()));
        ByteBuf sent = ch.readOutbound();
        assertSame(body, sent);
        sent.release();
    }

    @Test
    void usesMinusOneAndAnEightByteLengthAboveTwoGibibytes() {
        assertEquals("ffffffff00000000b2d05e00", Bytes.hex(FrameEncoder.header(ByteBufAllocator.DEFAULT, 3_000_000_000L)));
        assertEquals("7fffffff", Bytes.hex(FrameEncoder.header(ByteBufAllocator.DEFAULT, 0x7fffffffL)));
        assertEquals("ffffffff0000000080000000", Bytes.hex(FrameEncoder.header(ByteBufAllocator.DEFAULT, 0x80000000L)));
    }

    @Test
    void framesAFileRegion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder());
        ch.writeOutbound(new DefaultFileRegion(file.toFile(), 1, 3));
        assertEquals("00000003", Bytes.hex((ByteBuf) ch.readOutbound()));
        FileRegion region = assertInstanceOf(FileRegion.class, ch.readOutbound());
        assertEquals(3, region.count());
        region.release();
    }
}
