package dev.picklejar.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Frames each outgoing {@link ByteBuf} (or {@link FileRegion}, for bodies of any size) the way
 * {@code multiprocessing.connection} does: a 4-byte signed big-endian length, or -1 and an 8-byte
 * length above 2 GiB, then the body. Small bodies are copied behind their header into one buffer (one
 * write); large ones are sent as they are, after a separate header. Stateless and sharable.
 */
@Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Object> {
    /** Bodies up to this size are copied into the header's buffer, as Python joins them up to 16 KiB. */
    private static final int COPY_LIMIT = 16 * 1024;

    /** An encoder; one may serve many channels. */
    public FrameEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ByteBuf || msg instanceof FileRegion;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof ByteBuf body) {
            int n = body.readableBytes();
            if (n <= COPY_LIMIT) {
                ByteBuf frame = ctx.alloc().buffer(4 + n);
                frame.writeInt(n);
                frame.writeBytes(body, body.readerIndex(), n);
                out.add(frame);
            } else {
                out.add(header(ctx.alloc(), n));
                out.add(body.retain());
            }
        } else {
            FileRegion region = (FileRegion) msg;
            out.add(header(ctx.alloc(), region.count() - region.transferred()));
            out.add(region.retain());
        }
    }

    /**
     * The length prefix for a body of {@code length} bytes: 4 bytes, or 12 above {@code 0x7fffffff}.
     * @param alloc where the header's buffer comes from
     * @param length the body's length in bytes, not negative
     * @return a new buffer holding the header, which the caller releases (or writes)
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static ByteBuf header(ByteBufAllocator alloc, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (length > Integer.MAX_VALUE) {
            return alloc.buffer(12).writeInt(-1).writeLong(length);
        }
        return alloc.buffer(4).writeInt((int) length);
    }
}
