package dev.picklejar.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The authentication handshake of {@code multiprocessing.connection}, as server ({@code Listener}:
 * challenge, then answer) or as client ({@code Client}: answer, then challenge). Sits after a
 * {@link FrameDecoder} and {@link FrameEncoder}; speaks both generations as CPython 3.12 does: a
 * 3.11 peer's 20-byte challenge gets a bare HMAC-MD5, a 3.12 one's {@code {digest}} challenge an
 * answer with that digest, and a bare 16-byte MD5 answer to this side's challenge is accepted.
 *
 * <p>Writes made before the handshake completes wait in this handler. On success it fires an
 * {@link Authenticated} event and removes itself; on failure it fires an
 * {@link AuthenticationException} (after sending {@code #FAILURE#} when the peer's answer was
 * wrong) and closes the channel. Handshake messages over 256 bytes, as in Python, and a handshake that
 * takes longer than the timeout fail it too. Not sharable: one per channel.
 */
public final class HandshakeHandler extends ChannelDuplexHandler {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Fired down the pipeline when both sides have proven they hold the key.
     * @param peerDigest the digest the peer answered this side's challenge with
     */
    public record Authenticated(AuthDigest peerDigest) {
        /**
         * The digest the peer answered this side's challenge with ({@code MD5_LEGACY} for Python 3.11 and earlier).
         * @param peerDigest the digest the peer's answer used; not null
         */
        public Authenticated {
            Objects.requireNonNull(peerDigest, "peerDigest");
        }
    }

    private enum Step { START, AWAIT_ANSWER, AWAIT_CHALLENGE, AWAIT_WELCOME, DONE, FAILED }

    private final boolean server;
    private final byte[] key;
    private final AuthDigest digest;
    private final long timeoutMillis;
    private Step step = Step.START;
    private byte[] ourMessage;
    private AuthDigest peerDigest;
    private PendingWriteQueue pending;
    private ScheduledFuture<?> timeout;
    private FrameDecoder frames;
    private long savedFrameLimit;

    private HandshakeHandler(boolean server, byte[] key, AuthDigest digest, Duration timeout) {
        this.server = server;
        this.key = Objects.requireNonNull(key, "authKey").clone();
        this.digest = Objects.requireNonNull(digest, "digest");
        this.timeoutMillis = timeout == null ? 0 : timeout.toMillis();
    }

    /**
     * The serving side ({@code Listener.accept}): sends a challenge asking for {@code digest}, checks
     * the answer, then answers the client's challenge. A {@code null} or zero timeout waits forever.
     * @param authKey the shared secret (Python's {@code authkey}), copied; not null
     * @param digest the digest this side's challenge asks for; not null
     * @param timeout how long the whole handshake may take; {@code null} or zero for no limit
     * @return a handler for one channel
     */
    public static HandshakeHandler forServer(byte[] authKey, AuthDigest digest, Duration timeout) {
        return new HandshakeHandler(true, authKey, digest, timeout);
    }

    /**
     * The connecting side ({@code Client}): answers the server's challenge, then sends its own.
     * @param authKey the shared secret (Python's {@code authkey}), copied; not null
     * @param digest the digest this side's own challenge asks for; not null
     * @param timeout how long the whole handshake may take; {@code null} or zero for no limit
     * @return a handler for one channel
     */
    public static HandshakeHandler forClient(byte[] authKey, AuthDigest digest, Duration timeout) {
        return new HandshakeHandler(false, authKey, digest, timeout);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Addresses.peer(ctx.channel());
        pending = new PendingWriteQueue(ctx);
        frames = ctx.pipeline().get(FrameDecoder.class);
        if (frames != null) {
            savedFrameLimit = frames.maxFrameLength();
            frames.maxFrameLength(AuthProtocol.MAX_MESSAGE);
        }
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Addresses.peer(ctx.channel());
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (step != Step.START) {
            return;
        }
        if (timeoutMillis > 0) {
            timeout = ctx.executor().schedule(() -> fail(ctx, "no handshake within " + timeoutMillis + " ms", false),
                    timeoutMillis, TimeUnit.MILLISECONDS);
        }
        if (server) {
            sendChallenge(ctx);
        } else {
            step = Step.AWAIT_CHALLENGE;
        }
    }

    private void sendChallenge(ChannelHandlerContext ctx) {
        ourMessage = AuthProtocol.newMessage(digest, RANDOM);
        send(ctx, AuthProtocol.challengeFrame(ourMessage));
        step = Step.AWAIT_ANSWER;
    }

    private static void send(ChannelHandlerContext ctx, byte[] frame) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (step == Step.DONE) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (step == Step.FAILED) {
                return;
            }
            if (!(msg instanceof ByteBuf frame)) {
                fail(ctx, "expected a handshake message, got " + msg.getClass().getName(), false);
                return;
            }
            if (frame.readableBytes() > AuthProtocol.MAX_MESSAGE) {
                fail(ctx, "handshake message of " + frame.readableBytes() + " bytes exceeds " + AuthProtocol.MAX_MESSAGE
                        + " bytes", false);
                return;
            }
            receive(ctx, ByteBufUtil.getBytes(frame));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void receive(ChannelHandlerContext ctx, byte[] data) {
        switch (step) {
            case AWAIT_ANSWER -> {
                try {
                    peerDigest = AuthProtocol.verify(key, ourMessage, data);
                } catch (AuthenticationException e) {
                    fail(ctx, e.getMessage(), true);
                    return;
                }
                send(ctx, AuthProtocol.WELCOME);
                if (server) {
                    step = Step.AWAIT_CHALLENGE;
                } else {
                    complete(ctx);
                }
            }
            case AWAIT_CHALLENGE -> {
                if (!AuthProtocol.startsWith(data, AuthProtocol.CHALLENGE)) {
                    fail(ctx, "protocol error, expected challenge: " + AuthProtocol.Printable.bytes(data, 40), false);
                    return;
                }
                byte[] message = Arrays.copyOfRange(data, AuthProtocol.CHALLENGE.length, data.length);
                boolean legacy = digest == AuthDigest.MD5_LEGACY;
                if (!legacy && message.length < AuthProtocol.LEGACY_MESSAGE_LENGTH) {
                    fail(ctx, "challenge too short: " + message.length + " bytes", false);
                    return;
                }
                try {
                    send(ctx, AuthProtocol.response(key, message, legacy));
                } catch (AuthenticationException e) {
                    fail(ctx, e.getMessage(), false);
                    return;
                }
                step = Step.AWAIT_WELCOME;
            }
            case AWAIT_WELCOME -> {
                if (!Arrays.equals(data, AuthProtocol.WELCOME)) {
                    fail(ctx, Arrays.equals(data, AuthProtocol.FAILURE)
                            ? "digest sent was rejected (the keys differ)"
                            : "digest sent was rejected: " + AuthProtocol.Printable.bytes(data, 40), false);
                    return;
                }
                if (server) {
                    complete(ctx);
                } else {
                    sendChallenge(ctx);
                }
            }
            default -> fail(ctx, "unexpected handshake message in step " + step, false);
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        step = Step.DONE;
        cancelTimeout();
        restoreFrameLimit();
        pending.removeAndWriteAll();
        ctx.flush();
        ctx.fireUserEventTriggered(new Authenticated(peerDigest));
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason, boolean sendFailure) {
        fail(ctx, new AuthenticationException("authentication with " + Addresses.peer(ctx.channel())
                + " failed: " + reason), sendFailure);
    }

    private void fail(ChannelHandlerContext ctx, AuthenticationException e, boolean sendFailure) {
        if (step == Step.DONE || step == Step.FAILED) {
            return;
        }
        step = Step.FAILED;
        cancelTimeout();
        restoreFrameLimit();
        pending.removeAndFailAll(e);
        ctx.fireExceptionCaught(e);
        if (sendFailure && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(AuthProtocol.FAILURE)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void restoreFrameLimit() {
        if (frames != null) {
            frames.maxFrameLength(savedFrameLimit);
            frames = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (step == Step.DONE) {
            ctx.write(msg, promise);
        } else if (step == Step.FAILED) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new AuthenticationException("authentication with "
                    + Addresses.peer(ctx.channel()) + " failed"));
        } else {
            pending.add(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (step == Step.DONE) {
            ctx.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (step == Step.DONE || step == Step.FAILED) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        // An oversized or malformed frame during the handshake is a failed handshake: one error, not two.
        String reason = cause instanceof MessageTooLargeException big
                ? "handshake message of " + Long.toUnsignedString(big.length()) + " bytes exceeds "
                        + AuthProtocol.MAX_MESSAGE + " bytes"
                : String.valueOf(cause.getMessage());
        fail(ctx, new AuthenticationException("authentication with " + Addresses.peer(ctx.channel())
                + " failed: " + reason, cause), false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (step != Step.DONE && step != Step.FAILED) {
            fail(ctx, step == Step.AWAIT_WELCOME
                    ? "the peer closed the connection instead of welcoming this side (the keys differ?)"
                    : "the peer closed the connection during the handshake", false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimeout();
        restoreFrameLimit();
        if (pending != null && !pending.isEmpty()) {
            pending.removeAndFailAll(new AuthenticationException("handshake handler removed before authentication"));
        }
    }
}
