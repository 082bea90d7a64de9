package dev.picklejar.net;

import dev.picklejar.Pickler;
import dev.picklejar.Unpickler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The options of a server or client, fixed when it is built; see {@link SettingsBuilder} for each. */
final class Settings {
    final byte[] authKey;
    final AuthDigest authDigest;
    final Duration handshakeTimeout;
    final Pickler pickler;
    final Unpickler unpickler;
    final boolean rawMessages;
    final boolean closeOnBadMessage;
    final long maxMessageSize;
    final Duration idleTimeout;
    final int maxQueuedMessages;
    final int writeBufferLow;
    final int writeBufferHigh;
    final Executor handlerExecutor;
    final int eventLoopThreads;
    final Duration shutdownTimeout;
    final Consumer<PickleConnection> onConnect;
    final BiConsumer<PickleConnection, Object> onMessage;
    final Consumer<PickleConnection> onClose;
    final BiConsumer<PickleConnection, Throwable> onError;

    Settings(SettingsBuilder<?> b) {
        this.authKey = b.authKey == null ? null : b.authKey.clone();
        this.authDigest = b.authDigest;
        this.handshakeTimeout = b.handshakeTimeout;
        this.pickler = b.pickler;
        this.unpickler = b.unpickler;
        this.rawMessages = b.rawMessages;
        this.closeOnBadMessage = b.closeOnBadMessage;
        this.maxMessageSize = b.maxMessageSize;
        this.idleTimeout = b.idleTimeout;
        this.maxQueuedMessages = b.maxQueuedMessages;
        this.writeBufferLow = b.writeBufferLow;
        this.writeBufferHigh = b.writeBufferHigh;
        this.handlerExecutor = b.handlerExecutor;
        this.eventLoopThreads = b.eventLoopThreads > 0 ? b.eventLoopThreads
                : Math.max(1, Runtime.getRuntime().availableProcessors());
        this.shutdownTimeout = b.shutdownTimeout;
        this.onConnect = b.onConnect;
        this.onMessage = b.onMessage;
        this.onClose = b.onClose;
        this.onError = b.onError;
    }
}
