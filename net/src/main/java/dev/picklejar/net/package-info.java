/**
 * Event-driven exchange of pickled objects with Python's {@code multiprocessing.connection} peers
 * ({@code Listener}, {@code Client}, {@code Connection.send/recv}), on Netty.
 *
 * <p>{@link dev.picklejar.net.PickleServer} and {@link dev.picklejar.net.PickleClient} give
 * {@link dev.picklejar.net.PickleConnection}s; handlers for connect, message, close and error run
 * off the event loop when given an executor. The pipeline handlers they are built from are public
 * so that they can be reused in other Netty pipelines: {@link dev.picklejar.net.FrameDecoder} and
 * {@link dev.picklejar.net.FrameEncoder} (the length-prefixed frames),
 * {@link dev.picklejar.net.HandshakeHandler} (the HMAC challenge of Python 3.11 and of 3.12+), and
 * {@link dev.picklejar.net.PickleDecoder} and {@link dev.picklejar.net.PickleEncoder} (one pickle per
 * frame).
 */
package dev.picklejar.net;
