package dev.picklejar.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server that Python's {@code multiprocessing.connection.Client} (and {@link PickleClient}) connect
 * to, like Python's {@code Listener}, with handlers for connect, message, close and error.
 *
 * <pre>{@code
 * PickleServer server = PickleServer.builder()
 *         .authKey("secret".getBytes(UTF_8))
 *         .onMessage((connection, message) -> connection.send(message))   // echo
 *         .bind("127.0.0.1", 6000);
 * ...
 * server.close();   // stops accepting, finishes in-flight messages, closes every connection
 * }</pre>
 */
public final class PickleServer implements AutoCloseable {
    private final Settings settings;
    private final EventLoopGroup group;
    private final Channel listener;
    private final Set<PickleConnection> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closing;

    private PickleServer(Settings settings, SocketAddress address) {
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(settings.eventLoopThreads, NioIoHandler.newFactory());
        boolean unix = address instanceof UnixDomainSocketAddress;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (closing) {
                            channel.close();
                            return;
                        }
                        PickleConnection connection = PickleConnection.install(channel, settings, true);
                        connections.add(connection);
                        channel.closeFuture().addListener(f -> connections.remove(connection));
                    }
                });
        if (!unix) {
            bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
            bootstrap.option(ChannelOption.SO_REUSEADDR, true);
        }
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new NetException("cannot listen on " + Addresses.describe(address) + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        this.listener = bound.channel();
    }

    /** {@return a builder with the defaults: no authentication, protocol 4, one event loop thread per processor} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the address the server listens on (with the actual port when bound to port 0)} */
    public SocketAddress localAddress() {
        return listener.localAddress();
    }

    /** {@return the port the server listens on, or -1 for a unix socket} */
    public int port() {
        return localAddress() instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /** {@return the connections open now} */
    public List<PickleConnection> connections() {
        return List.copyOf(connections);
    }

    /** {@return a future that completes once {@link #close()} has finished} */
    public CompletableFuture<Void> closeFuture() {
        return terminated;
    }

    /**
     * Shuts down gracefully: stops accepting, stops reading, lets every handler already given a message
     * finish and every write reach its socket, then closes all connections and the event loops. Waits up
     * to the builder's {@code shutdownTimeout} before dropping what is left. Safe to call more than once.
     * Called from a handler on the server's event loop it returns at once and closes in the background.
     */
    @Override
    public void close() {
        boolean first;
        synchronized (this) {
            first = !closing;
            closing = true;
        }
        if (!first) {
            if (!onEventLoop()) {
                terminated.join();
            }
            return;
        }
        if (onEventLoop()) {
            // Called from a handler on the event loop: waiting here would wait for this very thread.
            Thread stopper = new Thread(this::shutDown, "picklejar-server-close");
            stopper.start();
            return;
        }
        shutDown();
    }

    private boolean onEventLoop() {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private void shutDown() {
        long deadline = System.nanoTime() + settings.shutdownTimeout.toNanos();
        listener.close().awaitUninterruptibly();
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (PickleConnection c : connections) {
            closes.add(c.closeGracefully());
        }
        try {
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            connections.forEach(PickleConnection::abort);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.forEach(PickleConnection::abort);
        } catch (ExecutionException e) {
            connections.forEach(PickleConnection::abort);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        terminated.complete(null);
    }

    /** Options for a {@link PickleServer}; {@code bind} starts one. */
    public static final class Builder extends SettingsBuilder<Builder> {
        private Builder() {
        }

        /**
         * Starts a server on a host and port (0 picks a free port).
         * @param host the host name or IP address to listen on ({@code "0.0.0.0"} for every interface)
         * @param port the TCP port, 0 for a free one ({@link PickleServer#port()} tells which)
         * @return the running server
         * @throws NetException when the address cannot be bound
         */
        public PickleServer bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        /**
         * Starts a server on an address: an {@link InetSocketAddress}, or a
         * {@link UnixDomainSocketAddress} for a unix socket (Python's {@code family='AF_UNIX'}).
         *
         * @param address where to listen; not null
         * @return the running server
         * @throws NetException when the address cannot be bound
         */
        public PickleServer bind(SocketAddress address) {
            return new PickleServer(new Settings(this), address);
        }
    }
}
