package dev.picklejar.net;

import dev.picklejar.Pickler;
import dev.picklejar.Unpickler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The options servers and clients share. Handlers run on the connection's event loop unless a
 * {@link #handlerExecutor(Executor)} is given; either way one connection's events arrive one at a
 * time, in order: connect, its messages, close.
 */
abstract class SettingsBuilder<B extends SettingsBuilder<B>> {
    byte[] authKey;
    AuthDigest authDigest = AuthDigest.SHA256;
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Pickler pickler = Pickler.standard(4);
    Unpickler unpickler = Unpickler.standard();
    boolean rawMessages;
    boolean closeOnBadMessage;
    long maxMessageSize = 64L << 20;
    Duration idleTimeout;
    int maxQueuedMessages = 1024;
    int writeBufferLow = 64 << 10;
    int writeBufferHigh = 256 << 10;
    Executor handlerExecutor;
    int eventLoopThreads;
    Duration shutdownTimeout = Duration.ofSeconds(10);
    Consumer<PickleConnection> onConnect;
    BiConsumer<PickleConnection, Object> onMessage;
    Consumer<PickleConnection> onClose;
    BiConsumer<PickleConnection, Throwable> onError;

    SettingsBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The shared secret both sides prove they hold (Python's {@code authkey}); {@code null}, the
     * default, skips the handshake. An empty key still authenticates, as Python's {@code Client} does.
     * @param authKey the secret, copied; {@code null} for no handshake
     * @return this builder
     */
    public B authKey(byte[] authKey) {
        this.authKey = authKey == null ? null : authKey.clone();
        return self();
    }

    /**
     * The digest this side's challenge asks for: {@link AuthDigest#SHA256} (the default, as Python
     * 3.12+), another named digest, or {@link AuthDigest#MD5_LEGACY} to behave as Python 3.11.
     * @param authDigest the digest to ask the peer for; not null
     * @return this builder
     */
    public B authDigest(AuthDigest authDigest) {
        this.authDigest = Objects.requireNonNull(authDigest, "authDigest");
        return self();
    }

    /**
     * How long the handshake may take before the connection is dropped (default 10 s; zero: forever).
     * @param timeout the longest handshake; not null, not negative, zero for no limit
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public B handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = requireNonNegative(timeout, "handshakeTimeout");
        return self();
    }

    /**
     * Pickles outgoing messages with this protocol (default 4, as Python 3.8–3.13's {@code send}).
     * @param protocol the pickle protocol, 0 to 5
     * @return this builder
     * @throws IllegalArgumentException if {@code protocol} is out of that range
     */
    public B protocol(int protocol) {
        this.pickler = Pickler.builder().protocol(protocol).build();
        return self();
    }

    /**
     * Pickles outgoing messages with this pickler (its protocol, registrations...).
     * @param pickler the writer of every outgoing message; not null
     * @return this builder
     */
    public B pickler(Pickler pickler) {
        this.pickler = Objects.requireNonNull(pickler, "pickler");
        return self();
    }

    /**
     * Loads incoming messages with this unpickler (strict mode, limits, encoding...).
     * @param unpickler the reader of every incoming message; not null
     * @return this builder
     */
    public B unpickler(Unpickler unpickler) {
        this.unpickler = Objects.requireNonNull(unpickler, "unpickler");
        return self();
    }

    /**
     * Deliver each incoming message as a {@link Pickled} (its bytes) instead of loading it.
     * @param raw true to get {@link Pickled} messages, false (the default) for loaded values
     * @return this builder
     */
    public B rawMessages(boolean raw) {
        this.rawMessages = raw;
        return self();
    }

    /**
     * Close a connection whose message does not unpickle. By default the error is reported and the
     * connection goes on, since the frame itself was complete.
     * @param close true to close the connection on a message that does not unpickle (default false)
     * @return this builder
     */
    public B closeOnBadMessage(boolean close) {
        this.closeOnBadMessage = close;
        return self();
    }

    /**
     * The longest message accepted, in bytes (default 64 MiB, at most {@link FrameDecoder#LARGEST_FRAME}).
     * A longer one is reported as a {@link MessageTooLargeException} and closes the connection.
     * @param bytes the longest message, at least 1; larger values mean {@link FrameDecoder#LARGEST_FRAME}
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is less than 1
     */
    public B maxMessageSize(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + bytes);
        }
        this.maxMessageSize = Math.min(bytes, FrameDecoder.LARGEST_FRAME);
        return self();
    }

    /**
     * Close a connection after this long without a message either way (default: never).
     * @param timeout the longest silence; {@code null} or zero for no limit
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = timeout == null || timeout.isZero() ? null : requireNonNegative(timeout, "idleTimeout");
        return self();
    }

    /**
     * How many received messages one connection may hold before it stops reading from the peer:
     * messages waiting for a handler on the executor, or for {@code receive()} (default 1024).
     * @param count the most messages held per connection, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public B maxQueuedMessages(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be positive: " + count);
        }
        this.maxQueuedMessages = count;
        return self();
    }

    /**
     * Back-pressure on writes: a server's connection stops reading requests once more than {@code high}
     * bytes of replies wait to be written to its peer, and reads again below {@code low} (defaults
     * 64 KiB and 256 KiB). {@link PickleConnection#isWritable()} tells senders the same.
     * @param low the queued bytes below which reading resumes, at least 0
     * @param high the queued bytes above which reading stops, at least {@code low}
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public B writeBufferWaterMark(int low, int high) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need 0 <= low <= high, got " + low + " and " + high);
        }
        this.writeBufferLow = low;
        this.writeBufferHigh = high;
        return self();
    }

    /**
     * Runs the handlers on this executor instead of the event loop: give one whenever a handler
     * blocks (files, databases, {@code recv()}). Each connection's events still run one at a time, in order.
     * @param executor where handlers run; {@code null} (the default) for the event loop
     * @return this builder
     */
    public B handlerExecutor(Executor executor) {
        this.handlerExecutor = executor;
        return self();
    }

    /**
     * The number of event loop threads (default: one per processor).
     * @param threads how many event loop threads, or 0 for one per processor
     * @return this builder
     * @throws IllegalArgumentException if {@code threads} is negative
     */
    public B eventLoopThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("eventLoopThreads must not be negative: " + threads);
        }
        this.eventLoopThreads = threads;
        return self();
    }

    /**
     * How long {@code close()} waits for in-flight messages and writes before it drops connections (default 10 s).
     * @param timeout the longest wait; not null, not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public B shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = requireNonNegative(timeout, "shutdownTimeout");
        return self();
    }

    /**
     * Called when a connection is authenticated and ready.
     * @param handler runs with the new connection; {@code null} for none
     * @return this builder
     */
    public B onConnect(Consumer<PickleConnection> handler) {
        this.onConnect = handler;
        return self();
    }

    /**
     * Called with each message (Python's {@code None} as {@code null}). Without it messages wait for
     * {@link PickleConnection#receive()}. Messages a {@code receive()} or {@code request()} waits for
     * go there first.
     * @param handler runs with the connection and the loaded message (or the {@link Pickled} one, with
     *     {@link #rawMessages(boolean)}); {@code null} for none
     * @return this builder
     */
    public B onMessage(BiConsumer<PickleConnection, Object> handler) {
        this.onMessage = handler;
        return self();
    }

    /**
     * Called once a connection that was connected has closed, after its last message.
     * @param handler runs with the closed connection; {@code null} for none
     * @return this builder
     */
    public B onClose(Consumer<PickleConnection> handler) {
        this.onClose = handler;
        return self();
    }

    /**
     * Called with what went wrong on a connection: a failed handshake (server side; a client's
     * {@code connect} fails instead), a message that does not unpickle (when there is an
     * {@code onMessage} handler), an oversized or truncated message, an idle time-out, an I/O error, or
     * an exception a handler threw. Without it errors are logged through {@link System.Logger}.
     * @param handler runs with the connection and the error; {@code null} to log errors instead
     * @return this builder
     */
    public B onError(BiConsumer<PickleConnection, Throwable> handler) {
        this.onError = handler;
        return self();
    }

    private static Duration requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }
}
