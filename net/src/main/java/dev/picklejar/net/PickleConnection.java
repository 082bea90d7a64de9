package dev.picklejar.net;

import dev.picklejar.PickleException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.CodecException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One authenticated connection to a Python (or Java) peer, like Python's {@code Connection}: send
 * objects, receive them (through the {@code onMessage} handler, a future of the next message, or a
 * blocking {@link #recv()}), and pair requests with replies. Thread-safe.
 *
 * <p>Futures returned here complete on the connection's event loop (a message's on the handler
 * executor, when there is one): attach blocking work with the {@code *Async} methods of
 * {@link CompletableFuture}, or use {@link #recv()} from your own thread.
 */
public final class PickleConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PickleConnection.class.getName());

    private final Channel channel;
    private final Settings settings;
    private final boolean serverSide;
    private final Executor events;
    private final Object lock = new Object();
    private final Object sendLock = new Object();
    private final Queue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    /** Received values ({@link PickleDecoder#NONE} for None) and {@link Failed} messages; guarded by lock. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    /** receive() and request() futures, oldest first; guarded by lock. */
    private final ArrayDeque<CompletableFuture<Object>> waiters = new ArrayDeque<>();
    /** Events handed to the executor and not finished yet. */
    private final AtomicInteger backlog = new AtomicInteger();
    private final CompletableFuture<PickleConnection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean reading = true;
    private volatile boolean closing;
    private volatile boolean connected;
    private volatile boolean active;
    private volatile AuthDigest peerDigest;
    private boolean inputEnded;
    private CompletableFuture<Void> drained;

    /** A message that did not unpickle: it keeps its place in the order of messages. */
    private record Failed(Throwable error) {
    }

    private PickleConnection(Channel channel, Settings settings, boolean serverSide) {
        this.channel = channel;
        this.settings = settings;
        this.serverSide = serverSide;
        this.events = settings.handlerExecutor == null ? null : new SerialExecutor(settings.handlerExecutor);
    }

    /** Builds the pipeline of a new channel and the connection that owns it. */
    static PickleConnection install(Channel channel, Settings settings, boolean serverSide) {
        PickleConnection connection = new PickleConnection(channel, settings, serverSide);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(settings.writeBufferLow, settings.writeBufferHigh));
        ChannelPipeline p = channel.pipeline();
        // Replies written while a read is in progress go out in one flush at its end; sends from other
        // threads are batched by writeOutgoing, so outside reads a flush goes out at once (no extra task).
        p.addLast("flush", new FlushConsolidationHandler(256, false));
        p.addLast("frameDecoder", new FrameDecoder(settings.maxMessageSize));
        p.addLast("frameEncoder", new FrameEncoder());
        if (settings.authKey != null) {
            p.addLast("handshake", serverSide
                    ? HandshakeHandler.forServer(settings.authKey, settings.authDigest, settings.handshakeTimeout)
                    : HandshakeHandler.forClient(settings.authKey, settings.authDigest, settings.handshakeTimeout));
        }
        if (!settings.rawMessages) {
            p.addLast("pickleDecoder", new PickleDecoder(settings.unpickler, settings.closeOnBadMessage));
        }
        p.addLast("pickleEncoder", new PickleEncoder(settings.pickler));
        if (settings.idleTimeout != null) {
            p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        p.addLast("connection", connection.new Handler());
        // A channel that never became active (a failed connect) gets no channelInactive: it is closed when closed.
        channel.closeFuture().addListener(f -> {
            if (!connection.active) {
                connection.onInputEnded();
                connection.closed.complete(null);
            }
        });
        return connection;
    }

    /** Completes when the connection is authenticated, or fails with why it could not be. */
    CompletableFuture<PickleConnection> ready() {
        return ready;
    }

    /**
     * Sends one object, pickled (a {@link Pickled} is sent as its bytes). The future completes once
     * the message is written to the socket, or fails: with the pickling error, or a
     * {@link ConnectionClosedException}.
     * @param value the message: anything the pickler writes, {@code null} for Python's {@code None}
     * @return a future that completes once the message is written, or fails
     */
    public CompletableFuture<Void> send(Object value) {
        Object message;
        try {
            // Pickled here, on the caller's thread, so that the event loop only frames and writes.
            message = value instanceof Pickled ? value : Pickled.wrap(settings.pickler.dumps(value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Outgoing out = new Outgoing(message, new CompletableFuture<>());
        outgoing.add(out);
        if (channel.eventLoop().inEventLoop()) {
            writeOutgoing();
        } else if (writeScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::writeOutgoing);
            } catch (RejectedExecutionException e) {
                // The event loop is gone (the client or server was closed): nothing will be written.
                for (Outgoing o; (o = outgoing.poll()) != null; ) {
                    o.done().completeExceptionally(new ConnectionClosedException("cannot send to " + peer()
                            + ": the connection is closed"));
                }
            }
        }
        return out.done;
    }

    /** A message waiting for the event loop, and the future of its write. */
    private record Outgoing(Object message, CompletableFuture<Void> done) {
    }

    /**
     * Writes every queued message and flushes once. Sends from other threads are queued and written in
     * batches, one task per batch rather than per message, in the order they were sent.
     */
    private void writeOutgoing() {
        writeScheduled.set(false);
        boolean wrote = false;
        for (Outgoing out; (out = outgoing.poll()) != null; ) {
            CompletableFuture<Void> done = out.done();
            channel.write(out.message()).addListener(f -> {
                if (f.isSuccess()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(sendError(f.cause()));
                }
            });
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * The next message, in order; {@code None} completes it with {@code null}. Fails with a
     * {@link ConnectionClosedException} once the connection has closed and every message before that
     * was taken, or with a {@link NetException} if the message did not unpickle.
     * @return a future of the next message; messages are taken in the order they arrived
     */
    public CompletableFuture<Object> receive() {
        Object item;
        boolean resume;
        synchronized (lock) {
            item = inbox.poll();
            if (item == null) {
                if (inputEnded) {
                    return CompletableFuture.failedFuture(closedError());
                }
                CompletableFuture<Object> waiter = new CompletableFuture<>();
                waiters.add(waiter);
                return waiter;
            }
            resume = !reading && inbox.size() <= settings.maxQueuedMessages / 2;
        }
        if (resume) {
            updateReading();
        }
        return item instanceof Failed f ? CompletableFuture.failedFuture(f.error()) : CompletableFuture.completedFuture(unwrap(item));
    }

    /**
     * Waits for the next message, like Python's {@code recv()}; for simple programs on their own
     * threads (never on the event loop).
     *
     * @return the next message; {@code null} for Python's {@code None}
     * @throws ConnectionClosedException when the connection has closed and no message is left
     * @throws NetException when the message did not unpickle (the next {@code recv()} goes on)
     * @throws InterruptedException when the thread is interrupted while waiting (no message is lost)
     * @throws IllegalStateException when called on the connection's event loop
     */
    public Object recv() throws InterruptedException {
        requireOffEventLoop();
        CompletableFuture<Object> next = receive();
        try {
            return next.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            if (next.cancel(false)) {
                throw e;
            }
            // The message arrived as we were interrupted: keep it and the interrupt.
            Thread.currentThread().interrupt();
            return join(next);
        }
    }

    /**
     * {@link #recv()} that gives up after {@code timeout}; a message arriving later is kept for the next call.
     * @param timeout the longest wait; not null
     * @return the next message; {@code null} for Python's {@code None}
     * @throws ConnectionClosedException when the connection has closed and no message is left
     * @throws NetException when the message did not unpickle (the next {@code recv()} goes on)
     * @throws InterruptedException when the thread is interrupted while waiting (no message is lost)
     * @throws TimeoutException when no message came within {@code timeout}
     * @throws IllegalStateException when called on the connection's event loop
     */
    public Object recv(Duration timeout) throws InterruptedException, TimeoutException {
        requireOffEventLoop();
        CompletableFuture<Object> next = receive();
        try {
            return next.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            if (next.cancel(false)) {
                if (e instanceof TimeoutException) {
                    throw new TimeoutException("no message from " + peer() + " within " + timeout.toMillis() + " ms");
                }
                throw e;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return join(next);
        }
    }

    /**
     * Sends a request and completes with the reply: the next message that nothing else waits for.
     * {@code multiprocessing.connection} has no message ids, so replies pair with requests in order;
     * many requests may be in flight at once, from any threads.
     * @param value the request, as for {@link #send}
     * @return a future of the reply; it fails as {@link #send} does, or with a
     *     {@link ConnectionClosedException} when the connection closes first
     */
    public CompletableFuture<Object> request(Object value) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        // The waiter and the write must take the same place in their queues, whatever other threads do.
        synchronized (sendLock) {
            synchronized (lock) {
                if (inputEnded) {
                    return CompletableFuture.failedFuture(closedError());
                }
                waiters.add(reply);
            }
            send(value).whenComplete((ok, error) -> {
                if (error != null) {
                    reply.completeExceptionally(error);
                }
            });
        }
        return reply;
    }

    /** {@return the peer's address: host and port, or a unix socket path} */
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** {@return this side's address} */
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    /**
     * {@return the digest the peer proved its key with ({@link AuthDigest#MD5_LEGACY} for Python 3.11 and
     * earlier), or {@code null} without authentication}
     */
    public AuthDigest peerDigest() {
        return peerDigest;
    }

    /** {@return whether the connection is open (it may be closing)} */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** {@return whether a send now would be written at once rather than wait behind earlier ones} */
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** {@return a future that completes once the connection has closed and its close handler has run} */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /**
     * Starts closing gracefully: stops reading, lets handlers already given a message finish and
     * writes already made reach the socket, then closes. Returns at once; see {@link #closeFuture()}.
     */
    @Override
    public void close() {
        closeGracefully();
    }

    CompletableFuture<Void> closeGracefully() {
        CompletableFuture<Void> done;
        synchronized (lock) {
            if (closing && drained != null) {
                return closed;
            }
            closing = true;
            drained = new CompletableFuture<>();
            done = drained;
        }
        updateReading();
        awaitDrained(done);
        return closed;
    }

    /** Once no event waits for the executor, flushes and closes on the event loop. */
    private void awaitDrained(CompletableFuture<Void> done) {
        if (backlog.get() == 0) {
            done.complete(null);
        }
        done.thenRun(() -> {
            try {
                channel.eventLoop().execute(this::flushAndClose);
            } catch (RejectedExecutionException e) {
                channel.close();
            }
        });
    }

    /** Closes at once, dropping unwritten messages. */
    void abort() {
        closing = true;
        channel.close();
    }

    private void flushAndClose() {
        if (backlog.get() > 0) {
            // A read under way when closing began took more messages: they are in flight too.
            CompletableFuture<Void> done = new CompletableFuture<>();
            synchronized (lock) {
                drained = done;
            }
            awaitDrained(done);
            return;
        }
        writeOutgoing();
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        // An empty write at the head of the pipeline (unframed) completes once everything before it is written.
        channel.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String toString() {
        return "PickleConnection[" + peer() + "]";
    }

    private String peer() {
        return Addresses.peer(channel);
    }

    private void requireOffEventLoop() {
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("recv() would block the event loop of " + peer()
                    + "; use receive() or an onMessage handler, or give the builder a handlerExecutor");
        }
    }

    private static Object unwrap(Object item) {
        return item == PickleDecoder.NONE ? null : item;
    }

    private static Object join(CompletableFuture<Object> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new NetException(t.getMessage(), t);
    }

    private ConnectionClosedException closedError() {
        return new ConnectionClosedException("connection with " + peer() + " is closed");
    }

    private Throwable sendError(Throwable cause) {
        if (cause instanceof CodecException && cause.getCause() != null) {
            return cause.getCause();
        }
        if (cause instanceof ClosedChannelException) {
            return new ConnectionClosedException("cannot send to " + peer() + ": the connection is closed", cause);
        }
        return cause;
    }

    // ---- events, in order, on the event loop or one at a time on the handler executor ----

    private void dispatch(Runnable event) {
        if (events == null) {
            event.run();
            return;
        }
        int n = backlog.incrementAndGet();
        if (n >= settings.maxQueuedMessages && reading) {
            updateReading();
        }
        events.execute(() -> {
            try {
                event.run();
            } finally {
                int left = backlog.decrementAndGet();
                if (!reading && left <= settings.maxQueuedMessages / 2) {
                    updateReading();
                }
                if (left == 0 && closing) {
                    CompletableFuture<Void> done;
                    synchronized (lock) {
                        done = drained;
                    }
                    if (done != null) {
                        done.complete(null);
                    }
                }
            }
        });
    }

    /**
     * Stops reading while received messages wait (for the executor or for receive()) and, on the
     * serving side, while writes pile up; reads again once they have gone down. A client keeps reading
     * while its own writes wait: its sends do not depend on what it reads, and a client that stopped
     * reading because a server stopped reading its requests (whose replies it does not take) would
     * wait for that server forever.
     */
    private void updateReading() {
        synchronized (lock) {
            int load = backlog.get() + inbox.size();
            int max = settings.maxQueuedMessages;
            boolean writesPileUp = serverSide && !channel.isWritable();
            boolean read = !closing && !writesPileUp && (reading ? load < max : load <= max / 2);
            if (read != reading && channel.isActive()) {
                reading = read;
                channel.config().setAutoRead(read);
            }
        }
    }

    private void deliver(Object item) {
        for (;;) {
            CompletableFuture<Object> waiter;
            synchronized (lock) {
                waiter = waiters.poll();
                if (waiter == null) {
                    if (settings.onMessage == null) {
                        inbox.add(item);
                        if (reading && inbox.size() >= settings.maxQueuedMessages) {
                            updateReading();
                        }
                        return;
                    }
                    break;
                }
            }
            boolean taken = item instanceof Failed f ? waiter.completeExceptionally(f.error()) : waiter.complete(unwrap(item));
            if (taken) {
                return;
            }
        }
        if (item instanceof Failed f) {
            reportError(f.error());
        } else {
            call(() -> settings.onMessage.accept(this, unwrap(item)));
        }
    }

    private void call(Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException | Error e) {
            reportError(new NetException("handler failed on the connection with " + peer() + ": " + e, e));
        }
    }

    private void reportError(Throwable error) {
        if (settings.onError == null) {
            LOG.log(System.Logger.Level.WARNING, error.getMessage(), error instanceof NetException ? null : error);
            return;
        }
        try {
            settings.onError.accept(this, error);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "error handler failed on " + peer(), e);
        }
    }

    private void onConnected(AuthDigest digest) {
        peerDigest = digest;
        connected = true;
        Consumer<PickleConnection> onConnect = settings.onConnect;
        if (onConnect != null) {
            dispatch(() -> call(() -> onConnect.accept(this)));
        }
        ready.complete(this);
    }

    private void onInputEnded() {
        List<CompletableFuture<Object>> orphans;
        synchronized (lock) {
            inputEnded = true;
            orphans = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (CompletableFuture<Object> w : orphans) {
            w.completeExceptionally(closedError());
        }
    }

    /** The last handler of the pipeline: turns channel events into connection events. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
            peer();
            if (settings.authKey == null) {
                onConnected(null);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeHandler.Authenticated a) {
                onConnected(a.peerDigest());
            } else if (evt instanceof IdleStateEvent) {
                if (backlog.get() == 0 && !closing) {
                    NetException e = new NetException("closing the connection with " + peer() + ": no message either way for "
                            + settings.idleTimeout.toMillis() + " ms");
                    dispatch(() -> reportError(e));
                    ctx.close();
                }
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Object item = msg;
            if (msg instanceof ByteBuf frame) {
                try {
                    item = Pickled.wrap(ByteBufUtil.getBytes(frame));
                } finally {
                    ReferenceCountUtil.release(frame);
                }
            }
            Object message = item;
            dispatch(() -> deliver(message));
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            updateReading();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable error = cause instanceof CodecException && cause.getCause() != null ? cause.getCause() : cause;
            if (error instanceof NetException && error.getCause() instanceof PickleException) {
                // A message that did not unpickle takes its place in the order, like any message.
                Failed failed = new Failed(error);
                dispatch(() -> deliver(failed));
                return;
            }
            if (!(error instanceof NetException)) {
                error = new NetException("connection with " + peer() + " failed: " + error, error);
                ctx.close();
            }
            if (!connected && !serverSide) {
                ready.completeExceptionally(error);
                return;
            }
            Throwable reported = error;
            dispatch(() -> reportError(reported));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onInputEnded();
            if (!connected) {
                ready.completeExceptionally(new ConnectionClosedException("connection with " + peer()
                        + " closed before it was ready"));
            } else if (settings.onClose != null) {
                dispatch(() -> call(() -> settings.onClose.accept(PickleConnection.this)));
            }
            dispatch(() -> closed.complete(null));
            ctx.fireChannelInactive();
        }
    }
}
