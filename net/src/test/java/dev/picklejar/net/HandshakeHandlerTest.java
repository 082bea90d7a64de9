package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HandshakeHandlerTest {
    private static final byte[] KEY = "secret".getBytes(StandardCharsets.UTF_8);

    private final Capture serverSide = new Capture();
    private final Capture clientSide = new Capture();

    private static EmbeddedChannel channel(HandshakeHandler handshake, Capture capture) {
        return new EmbeddedChannel(new FrameDecoder(1 << 20), new FrameEncoder(), handshake, capture);
    }

    /** Carries bytes both ways until neither side has anything left to say. */
    private static void exchange(EmbeddedChannel a, EmbeddedChannel b) {
        boolean moved = true;
        while (moved) {
            moved = carry(a, b) | carry(b, a);
        }
    }

    private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (Object o; (o = from.readOutbound()) != null; ) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(o);
            } else {
                ((ByteBuf) o).release();
            }
        }
        return moved;
    }

    private AuthDigest authenticated(Capture capture) {
        assertTrue(capture.errors.isEmpty(), () -> "errors: " + capture.errors);
        return assertInstanceOf(HandshakeHandler.Authenticated.class, capture.events.get(0)).peerDigest();
    }

    @ParameterizedTest(name = "server asks {0}, client asks {1}")
    @CsvSource({
        "SHA256, SHA256, SHA256, SHA256",             // 3.12 and 3.12
        "MD5_LEGACY, MD5_LEGACY, MD5_LEGACY, MD5_LEGACY", // 3.11 and 3.11
        "MD5_LEGACY, SHA256, MD5_LEGACY, MD5_LEGACY", // 3.11 server: 20 bytes; it answers the client with bare MD5
        "SHA256, MD5_LEGACY, MD5_LEGACY, MD5_LEGACY", // 3.11 client: bare MD5 to {sha256}, which 3.12 accepts
        "SHA384, SHA3_256, SHA384, SHA3_256",
        "SHA3_384, MD5, SHA3_384, MD5",
    })
    void bothGenerationsAuthenticateEachOther(AuthDigest serverAsks, AuthDigest clientAsks,
                                              AuthDigest serverSees, AuthDigest clientSees) {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, serverAsks, null), serverSide);
        EmbeddedChannel client = channel(HandshakeHandler.forClient(KEY, clientAsks, null), clientSide);
        exchange(server, client);
        assertEquals(serverSees, authenticated(serverSide));
        assertEquals(clientSees, authenticated(clientSide));
        assertNull(server.pipeline().get(HandshakeHandler.class), "removes itself once done");
        assertNull(client.pipeline().get(HandshakeHandler.class));
    }

    @Test
    void theServerChallengeIsTheThreeTwelveFormat() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, null), serverSide);
        ByteBuf frame = server.readOutbound();
        String hex = Bytes.hex(frame);
        String prefix = "#CHALLENGE#{sha256}";
        assertEquals(4 + prefix.length() + 40, hex.length() / 2);
        assertTrue(hex.startsWith(String.format("%08x", prefix.length() + 40)
                + HexFormat.of().formatHex(prefix.getBytes(StandardCharsets.US_ASCII))), hex);
    }

    @Test
    void theLegacyServerChallengeIsTwentyBytesWithoutPrefix() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.MD5_LEGACY, null), serverSide);
        String hex = Bytes.hex((ByteBuf) server.readOutbound());
        assertEquals("0000001f" + HexFormat.of().formatHex("#CHALLENGE#".getBytes(StandardCharsets.US_ASCII)),
                hex.substring(0, 8 + 22));
        assertEquals(4 + 11 + 20, hex.length() / 2);
    }

    @Test
    void wrongKeysAreRefusedWithFailureAndAClearErrorOnBothSides() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, null), serverSide);
        EmbeddedChannel client = channel(HandshakeHandler.forClient("wrong".getBytes(StandardCharsets.UTF_8),
                AuthDigest.SHA256, null), clientSide);
        exchange(server, client);
        assertEquals("authentication with embedded failed: digest received was wrong",
                assertInstanceOf(AuthenticationException.class, serverSide.errors.get(0)).getMessage());
        assertEquals("authentication with embedded failed: digest sent was rejected (the keys differ)",
                assertInstanceOf(AuthenticationException.class, clientSide.errors.get(0)).getMessage());
        assertEquals(1, serverSide.errors.size());
        assertEquals(1, clientSide.errors.size());
        assertFalse(server.isOpen());
        assertFalse(client.isOpen());
        assertTrue(serverSide.events.isEmpty());
    }

    @Test
    void writesMadeBeforeAuthenticationWaitAndThenGoThroughInOrder() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, null), serverSide);
        EmbeddedChannel client = channel(HandshakeHandler.forClient(KEY, AuthDigest.SHA256, null), clientSide);
        client.writeAndFlush(Unpooled.copiedBuffer("early", StandardCharsets.US_ASCII));
        client.writeAndFlush(Unpooled.copiedBuffer("later", StandardCharsets.US_ASCII));
        exchange(server, client);
        authenticated(serverSide);
        assertEquals(2, serverSide.messages.size());
        assertEquals("6561726c79", Bytes.hex((ByteBuf) serverSide.messages.get(0)));
        assertEquals("6c61746572", Bytes.hex((ByteBuf) serverSide.messages.get(1)));
    }

    @Test
    void handshakeMessagesLongerThan256BytesAreRefusedBeforeTheyAreRead() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, null), serverSide);
        FrameDecoder frames = server.pipeline().get(FrameDecoder.class);
        assertEquals(256, frames.maxFrameLength(), "the handshake's limit while it lasts");
        server.readOutbound();
        server.writeInbound(Bytes.hex("00000101"));
        assertEquals("authentication with embedded failed: handshake message of 257 bytes exceeds 256 bytes",
                serverSide.errors.get(0).getMessage());
        assertEquals(1, serverSide.errors.size());
        assertFalse(server.isOpen());
        assertEquals(1 << 20, frames.maxFrameLength(), "limit restored");
    }

    @Test
    void anHttpRequestIsNotAHandshake() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, null), serverSide);
        server.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertEquals("authentication with embedded failed: handshake message of 1195725856 bytes exceeds 256 bytes",
                serverSide.errors.get(0).getMessage());
        assertFalse(server.isOpen());
    }

    @Test
    void aChallengeForADigestPythonDoesNotAllowIsRefused() {
        EmbeddedChannel client = channel(HandshakeHandler.forClient(KEY, AuthDigest.SHA256, null), clientSide);
        byte[] challenge = AuthProtocol.concat("#CHALLENGE#{sha512}".getBytes(StandardCharsets.US_ASCII), new byte[40]);
        client.writeInbound(Unpooled.wrappedBuffer(AuthProtocol.concat(new byte[] {0, 0, 0, (byte) challenge.length}, challenge)));
        String message = clientSide.errors.get(0).getMessage();
        assertTrue(message.startsWith("authentication with embedded failed: unsupported message length, missing digest "
                + "prefix, or unsupported digest: b'{sha512}"), message);
        assertFalse(client.isOpen());
    }

    @Test
    void somethingElseThanAChallengeIsAProtocolError() {
        EmbeddedChannel client = channel(HandshakeHandler.forClient(KEY, AuthDigest.SHA256, null), clientSide);
        client.writeInbound(Bytes.hex("00000002 6869"));
        assertEquals("authentication with embedded failed: protocol error, expected challenge: b'hi'",
                clientSide.errors.get(0).getMessage());
    }

    @Test
    void aShortChallengeIsRefused() {
        EmbeddedChannel client = channel(HandshakeHandler.forClient(KEY, AuthDigest.SHA256, null), clientSide);
        byte[] challenge = AuthProtocol.concat(AuthProtocol.CHALLENGE, new byte[5]);
        client.writeInbound(Unpooled.wrappedBuffer(AuthProtocol.concat(new byte[] {0, 0, 0, (byte) challenge.length}, challenge)));
        assertEquals("authentication with embedded failed: challenge too short: 5 bytes", clientSide.errors.get(0).getMessage());
    }

    @Test
    void aPeerThatSaysNothingTimesOut() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, Duration.ofSeconds(5)), serverSide);
        server.advanceTimeBy(6, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertEquals("authentication with embedded failed: no handshake within 5000 ms", serverSide.errors.get(0).getMessage());
        assertFalse(server.isOpen());
    }

    @Test
    void aPeerThatClosesDuringTheHandshakeIsOneError() {
        EmbeddedChannel server = channel(HandshakeHandler.forServer(KEY, AuthDigest.SHA256, null), serverSide);
        server.close();
        assertEquals(1, serverSide.errors.size());
        assertEquals("authentication with embedded failed: the peer closed the connection during the handshake",
                serverSide.errors.get(0).getMessage());
    }
}
