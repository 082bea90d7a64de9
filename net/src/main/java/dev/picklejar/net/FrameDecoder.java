package dev.picklejar.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream of a {@code multiprocessing.connection} into messages: each is a 4-byte
 * signed big-endian length and that many bytes; a length of -1 is followed by an 8-byte unsigned
 * length (Python uses it above 2 GiB). Emits each message body as a {@link ByteBuf}.
 *
 * <p>A length above the maximum fires a {@link MessageTooLargeException} and closes the connection
 * before any of the body is buffered; so does a negative length other than -1 ({@link NetException}).
 * A connection that ends inside a message fires a {@link NetException} that says how much was missing.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** The longest body one {@link ByteBuf} can hold. */
    public static final long LARGEST_FRAME = Integer.MAX_VALUE - 8;

    private long maxFrameLength;
    private long bodyLength = -1;
    private int headerLength;
    private boolean failed;

    /**
     * A decoder that refuses bodies longer than {@code maxFrameLength} bytes (at most {@link #LARGEST_FRAME}).
     * @param maxFrameLength the longest body accepted, in bytes; larger values mean {@link #LARGEST_FRAME}
     * @throws IllegalArgumentException if {@code maxFrameLength} is negative
     */
    public FrameDecoder(long maxFrameLength) {
        if (maxFrameLength < 0) {
            throw new IllegalArgumentException("maxFrameLength must not be negative: " + maxFrameLength);
        }
        this.maxFrameLength = Math.min(maxFrameLength, LARGEST_FRAME);
    }

    /** {@return the longest body accepted, in bytes} */
    public long maxFrameLength() {
        return maxFrameLength;
    }

    /** Changes the longest body accepted; for the handshake, which allows 256 bytes. Event loop only. */
    void maxFrameLength(long value) {
        this.maxFrameLength = Math.min(value, LARGEST_FRAME);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Addresses.peer(ctx.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Addresses.peer(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (bodyLength < 0) {
            if (in.readableBytes() < 4) {
                return;
            }
            int start = in.readerIndex();
            int n = in.getInt(start);
            long length;
            if (n == -1) {
                if (in.readableBytes() < 12) {
                    return;
                }
                length = in.getLong(start + 4);
                headerLength = 12;
            } else if (n < 0) {
                fail(ctx, in, new NetException("bad length prefix " + String.format("%08x", n) + " (" + n + ") from "
                        + Addresses.peer(ctx.channel())
                        + ": not a multiprocessing.connection stream"));
                return;
            } else {
                length = n;
                headerLength = 4;
            }
            if (length < 0 || length > maxFrameLength) {
                String size = length < 0 ? Long.toUnsignedString(length) : Long.toString(length);
                fail(ctx, in, new MessageTooLargeException("message of " + size + " bytes from "
                        + Addresses.peer(ctx.channel()) + " exceeds the maximum of "
                        + maxFrameLength + " bytes", length < 0 ? Long.MAX_VALUE : length, maxFrameLength));
                return;
            }
            in.skipBytes(headerLength);
            bodyLength = length;
        }
        if (in.readableBytes() < bodyLength) {
            return;
        }
        out.add(in.readRetainedSlice((int) bodyLength));
        bodyLength = -1;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (failed) {
            return;
        }
        if (bodyLength >= 0) {
            int got = in.readableBytes();
            in.skipBytes(got);
            truncated(ctx, "got " + got + " of " + bodyLength + " bytes");
        } else if (in.isReadable()) {
            int got = in.readableBytes();
            in.skipBytes(got);
            truncated(ctx, "got " + got + " bytes of a length prefix");
        }
    }

    private void truncated(ChannelHandlerContext ctx, String what) {
        failed = true;
        ctx.fireExceptionCaught(new NetException("connection from " + Addresses.peer(ctx.channel())
                + " ended in the middle of a message (" + what + ")"));
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, NetException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        ctx.fireExceptionCaught(e);
        ctx.close();
    }
}
