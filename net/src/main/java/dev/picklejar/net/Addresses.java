package dev.picklejar.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** How peers are named in messages: {@code host:port}, {@code [v6]:port}, or a socket path. */
final class Addresses {
    /** The peer's name, kept while the channel is open so that errors after it closes can still say it. */
    private static final AttributeKey<String> PEER = AttributeKey.valueOf(Addresses.class, "peer");

    private Addresses() {
    }

    /**
     * The peer of a channel. The accepted side of a unix socket has no name for its peer, so it is
     * named by the listening path instead.
     */
    static String peer(Channel channel) {
        String known = channel.attr(PEER).get();
        if (known != null) {
            return known;
        }
        SocketAddress remote = channel.remoteAddress();
        if (remote == null) {
            return describe(null);
        }
        String name = remote instanceof UnixDomainSocketAddress unix && unix.getPath().toString().isEmpty()
                ? "a peer on " + describe(channel.localAddress())
                : describe(remote);
        channel.attr(PEER).setIfAbsent(name);
        return name;
    }

    static String describe(SocketAddress address) {
        if (address == null) {
            return "an unconnected peer";
        }
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            String path = unix.getPath().toString();
            return path.isEmpty() ? "a unix socket peer" : path;
        }
        return address.toString();
    }
}
