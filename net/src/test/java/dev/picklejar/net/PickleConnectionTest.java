package dev.picklejar.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.picklejar.Pickle;
import dev.picklejar.PickleException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The connection's own handler, on an {@link EmbeddedChannel} with the full pipeline and no handshake. */
class PickleConnectionTest {
    private EmbeddedChannel ch;

    private PickleConnection open(SettingsBuilder<?> builder) throws Exception {
        ch = new EmbeddedChannel(false, false);
        PickleConnection c = PickleConnection.install(ch, new Settings(builder), true);
        ch.register();
        return c;
    }

    /** One message as a Python peer frames it. */
    private static ByteBuf frame(Object value) {
        byte[] p = Pickle.dumps(value, 4);
        return Unpooled.buffer().writeInt(p.length).writeBytes(p);
    }

    /** Every message written so far, loaded. */
    private List<Object> sent() {
        ch.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            all.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        List<Object> messages = new ArrayList<>();
        while (all.isReadable()) {
            byte[] body = new byte[all.readInt()];
            all.readBytes(body);
            messages.add(Pickle.loads(body));
        }
        return messages;
    }

    @Test
    void messagesWaitForReceiveInOrderWithNoneAsNull() throws Exception {
        PickleConnection c = open(PickleServer.builder());
        ch.writeInbound(frame("a"), frame(null), frame(List.of(1)));
        assertEquals("a", c.receive().join());
        assertNull(c.receive().join());
        assertEquals(List.of(1), c.receive().join());
        CompletableFuture<Object> next = c.receive();
        assertFalse(next.isDone());
        ch.writeInbound(frame(3));
        assertEquals(3, next.join());
    }

    @Test
    void requestsPairWithRepliesInOrder() throws Exception {
        PickleConnection c = open(PickleServer.builder());
        CompletableFuture<Object> first = c.request("q1");
        CompletableFuture<Object> second = c.request("q2");
        assertEquals(List.of("q1", "q2"), sent());
        ch.writeInbound(frame("r1"), frame("r2"));
        assertEquals("r1", first.join());
        assertEquals("r2", second.join());
    }

    @Test
    void aMessageThatDoesNotUnpickleFailsTheReceiveWaitingForItAndNoOther() throws Exception {
        PickleConnection c = open(PickleServer.builder());
        ch.writeInbound(frame("before"), Unpooled.buffer().writeInt(3).writeBytes(new byte[] {1, 2, 3}), frame("after"));
        assertEquals("before", c.receive().join());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> c.receive().join());
        assertInstanceOf(PickleException.class, e.getCause().getCause());
        assertTrue(e.getCause().getMessage().startsWith("message 2 from embedded could not be unpickled"));
        assertEquals("after", c.receive().join());
        assertTrue(ch.isOpen());
    }

    @Test
    void handlersGetConnectMessagesErrorsAndCloseInOrder() throws Exception {
        List<String> events = new ArrayList<>();
        open(PickleServer.builder()
                .onConnect(c -> events.add("connect"))
                .onMessage((c, m) -> events.add("message " + m))
                .onError((c, e) -> events.add("error " + e.getMessage()))
                .onClose(c -> events.add("close")));
        ch.writeInbound(frame(1), Unpooled.buffer().writeInt(1).writeByte(0), frame(2));
        ch.close();
        assertEquals(5, events.size(), events::toString);
        assertEquals("connect", events.get(0));
        assertEquals("message 1", events.get(1));
        assertTrue(events.get(2).startsWith("error message 2 from embedded could not be unpickled"), events.get(2));
        assertEquals("message 2", events.get(3));
        assertEquals("close", events.get(4));
    }

    @Test
    void aHandlerThatThrowsIsReportedAndTheConnectionGoesOn() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        open(PickleServer.builder()
                .onMessage((c, m) -> {
                    throw new IllegalStateException("boom");
                })
                .onError((c, e) -> errors.add(e)));
        ch.writeInbound(frame(1));
        assertEquals("boom", errors.get(0).getCause().getMessage());
        assertTrue(ch.isOpen());
    }

    @Test
    void stopsReadingWhileWritesPileUpAndReadsAgainOnceTheyDrain() throws Exception {
        PickleConnection c = open(PickleServer.builder().writeBufferWaterMark(8, 16));
        assertTrue(ch.config().isAutoRead());
        ch.write(Pickled.of(new byte[100]));  // written but not flushed: it waits in the outbound buffer
        assertFalse(ch.isWritable());
        assertFalse(ch.config().isAutoRead());
        ch.flush();
        ch.runPendingTasks();
        assertTrue(ch.isWritable());
        assertTrue(ch.config().isAutoRead());
        assertTrue(c.isWritable());
    }

    @Test
    void stopsReadingWhileReceivedMessagesPileUp() throws Exception {
        PickleConnection c = open(PickleServer.builder().maxQueuedMessages(4));
        ch.writeInbound(frame(1), frame(2), frame(3));
        assertTrue(ch.config().isAutoRead());
        ch.writeInbound(frame(4));
        assertFalse(ch.config().isAutoRead());
        c.receive();
        assertFalse(ch.config().isAutoRead(), "reads again only below half");
        c.receive();
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void afterCloseQueuedMessagesCanStillBeReceivedThenItSaysClosed() throws Exception {
        PickleConnection c = open(PickleServer.builder());
        CompletableFuture<Object> pending = c.request("q");
        ch.writeInbound(frame("reply"), frame("extra"));
        ch.close();
        assertEquals("reply", pending.join());
        assertEquals("extra", c.receive().join());
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> c.receive().join());
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
        assertTrue(c.closeFuture().isDone());
    }

    @Test
    void aWaitingReceiveFailsWhenTheConnectionCloses() throws Exception {
        PickleConnection c = open(PickleServer.builder());
        CompletableFuture<Object> next = c.receive();
        ch.close();
        assertInstanceOf(ConnectionClosedException.class,
                org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, next::join).getCause());
    }

    @Test
    void rawMessagesArriveAsTheirBytes() throws Exception {
        PickleConnection c = open(PickleServer.builder().rawMessages(true));
        ch.writeInbound(Unpooled.buffer().writeInt(3).writeBytes(new byte[] {1, 2, 3}));
        assertEquals(Pickled.of(new byte[] {1, 2, 3}), c.receive().join());
    }

    @Test
    void sendCompletesOnceWrittenAndFailsForWhatCannotBePickled() throws Exception {
        PickleConnection c = open(PickleServer.builder());
        CompletableFuture<Void> ok = c.send(List.of(1, 2));
        ch.runPendingTasks();
        assertTrue(ok.isDone() && !ok.isCompletedExceptionally());
        assertEquals(List.of(List.of(1, 2)), sent());
        CompletableFuture<Void> bad = c.send(new Object());
        assertTrue(bad.isCompletedExceptionally());
        assertTrue(ch.isOpen());
    }
}
