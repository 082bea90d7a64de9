package dev.picklejar.net;

import dev.picklejar.Pickler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import java.util.Objects;

/**
 * Pickles each outgoing value with a picklejar {@link Pickler} into one message body for
 * {@link FrameEncoder}, as {@code Connection.send} does. A {@link Pickled} value is sent as its bytes,
 * {@link PickleDecoder#NONE} as {@code None}; {@link ByteBuf}s and {@link FileRegion}s pass untouched.
 * A value that cannot be pickled fails its write. Stateless and sharable.
 */
@Sharable
public final class PickleEncoder extends MessageToMessageEncoder<Object> {
    private final Pickler pickler;

    /**
     * An encoder that pickles with {@code pickler} (Python's {@code send} uses protocol 4 up to 3.13).
     * @param pickler writes each outgoing message; not null
     */
    public PickleEncoder(Pickler pickler) {
        super(Object.class);
        this.pickler = Objects.requireNonNull(pickler, "pickler");
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return !(msg instanceof ByteBuf) && !(msg instanceof FileRegion);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        byte[] bytes = msg instanceof Pickled p ? p.array() : pickler.dumps(msg == PickleDecoder.NONE ? null : msg);
        out.add(Unpooled.wrappedBuffer(bytes));
    }
}
