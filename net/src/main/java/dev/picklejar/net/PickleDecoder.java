package dev.picklejar.net;

import dev.picklejar.PickleException;
import dev.picklejar.Unpickler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.Objects;

/**
 * Loads each message frame (a {@link ByteBuf} from {@link FrameDecoder}) as one pickle with a
 * picklejar {@link Unpickler}, the way {@code Connection.recv} does. Python's {@code None}, which a
 * Netty pipeline cannot carry as {@code null}, travels as {@link #NONE}.
 *
 * <p>A frame that does not unpickle fires a {@link NetException} naming the message's number and the
 * peer, with the {@link PickleException} as its cause; since the frame was complete the stream stays
 * in step, and the connection goes on unless the decoder was made to close it.
 */
public final class PickleDecoder extends MessageToMessageDecoder<ByteBuf> {
    /** Python's {@code None} in a pipeline; {@link PickleEncoder} writes it as {@code None} too. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private final Unpickler unpickler;
    private final boolean closeOnError;
    private long count;

    /**
     * A decoder that loads with {@code unpickler} and, if {@code closeOnError}, closes on a bad message.
     * @param unpickler loads each frame's body; not null
     * @param closeOnError true to close the channel after a frame that does not unpickle, false to fire the
     *     error and read on
     */
    public PickleDecoder(Unpickler unpickler, boolean closeOnError) {
        super(ByteBuf.class);
        this.unpickler = Objects.requireNonNull(unpickler, "unpickler");
        this.closeOnError = closeOnError;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        long number = ++count;
        Object value;
        try {
            int n = frame.readableBytes();
            int start = frame.hasArray() ? frame.arrayOffset() + frame.readerIndex() : -1;
            // Only an array that starts with the pickle is used in place: Unpickler.loads(data, offset,
            // length) with offset > 0 and the default limits overflows its input cap (a core bug).
            value = start == 0
                    ? unpickler.loads(frame.array(), 0, n)
                    : unpickler.loads(ByteBufUtil.getBytes(frame, frame.readerIndex(), n, start < 0));
        } catch (PickleException | IllegalArgumentException | IllegalStateException e) {
            ctx.fireExceptionCaught(new NetException("message " + number + " from "
                    + Addresses.peer(ctx.channel()) + " could not be unpickled: " + e.getMessage(), e));
            if (closeOnError) {
                ctx.close();
            }
            return;
        }
        out.add(value == null ? NONE : value);
    }
}
