package dev.picklejar.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects to Python's {@code multiprocessing.connection.Listener} (or a {@link PickleServer}), like
 * Python's {@code Client}. One client holds the event loops for any number of connections.
 *
 * <pre>{@code
 * try (PickleClient client = PickleClient.builder().authKey("secret".getBytes(UTF_8)).build()) {
 *     PickleConnection connection = client.connect("127.0.0.1", 6000);
 *     connection.send(List.of(1, 2, 3)).join();
 *     Object reply = connection.recv();
 * }
 * }</pre>
 */
public final class PickleClient implements AutoCloseable {
    private final Settings settings;
    private final Duration connectTimeout;
    private final EventLoopGroup group;
    private final Set<PickleConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PickleClient(Builder builder) {
        this.settings = new Settings(builder);
        this.connectTimeout = builder.connectTimeout;
        this.group = new MultiThreadIoEventLoopGroup(settings.eventLoopThreads, NioIoHandler.newFactory());
    }

    /** {@return a builder with the defaults: no authentication, protocol 4, one event loop thread per processor} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects and authenticates, waiting until the connection is ready.
     *
     * @param host the server's host name or IP address
     * @param port the server's TCP port
     * @return the connection, authenticated when the client has a key
     * @throws AuthenticationException when the handshake fails (a wrong key, say)
     * @throws NetException when the peer cannot be reached
     * @throws IllegalStateException when the client is closed
     */
    public PickleConnection connect(String host, int port) {
        return connect(new InetSocketAddress(host, port));
    }

    /**
     * {@link #connect(String, int)} to an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}.
     * @param address the server's address; not null
     * @return the connection, authenticated when the client has a key
     * @throws AuthenticationException when the handshake fails (a wrong key, say)
     * @throws NetException when the peer cannot be reached
     * @throws IllegalStateException when the client is closed
     */
    public PickleConnection connect(SocketAddress address) {
        try {
            return connectAsync(address).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new NetException(String.valueOf(cause.getMessage()), cause);
        }
    }

    /**
     * Connects and authenticates; the future completes (on the event loop) once the connection is ready.
     * @param address the server's address: an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress};
     *     not null
     * @return the connection, or a failure: {@link AuthenticationException}, {@link NetException}, or
     *     {@link IllegalStateException} when the client is closed
     */
    public CompletableFuture<PickleConnection> connectAsync(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the client is closed"));
        }
        boolean unix = address instanceof UnixDomainSocketAddress;
        PickleConnection[] made = new PickleConnection[1];
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(unix ? NioDomainSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        PickleConnection connection = PickleConnection.install(channel, settings, false);
                        made[0] = connection;
                        connections.add(connection);
                        channel.closeFuture().addListener(f -> connections.remove(connection));
                    }
                });
        if (!unix) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        CompletableFuture<PickleConnection> result = new CompletableFuture<>();
        bootstrap.connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new NetException("cannot connect to " + Addresses.describe(address) + ": "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            made[0].ready().whenComplete((connection, error) -> {
                if (error == null) {
                    result.complete(connection);
                } else {
                    result.completeExceptionally(error);
                }
            });
        });
        return result;
    }

    /**
     * Closes every connection gracefully (pending writes are flushed, handlers given a message finish),
     * waiting up to the builder's {@code shutdownTimeout}, then stops the event loops. Called from a
     * handler on the client's event loop it returns at once and closes in the background.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                // Called from a handler on the event loop: waiting here would wait for this very thread.
                new Thread(this::shutDown, "picklejar-client-close").start();
                return;
            }
        }
        shutDown();
    }

    private void shutDown() {
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (PickleConnection c : connections) {
            closes.add(c.closeGracefully());
        }
        try {
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
                    .get(settings.shutdownTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            connections.forEach(PickleConnection::abort);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.forEach(PickleConnection::abort);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Options for a {@link PickleClient}. */
    public static final class Builder extends SettingsBuilder<Builder> {
        private Duration connectTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * How long to wait for the TCP connection (default 30 s); the handshake has its own time-out.
         * @param timeout how long a connection attempt may take; not negative, zero for no limit
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "connectTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout must not be negative: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** {@return a client with these options; it holds event loop threads until closed} */
        public PickleClient build() {
            return new PickleClient(this);
        }
    }
}
