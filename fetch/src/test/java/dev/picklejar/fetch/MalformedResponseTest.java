package dev.picklejar.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Responses that are not HTTP, or not quite: a real socket server sends the bytes, and the result's
 * error says in words what was wrong with them, never a Java exception's text.
 */
class MalformedResponseTest {
    static Fetcher fetcher;

    @BeforeAll
    static void start() {
        fetcher = Fetcher.builder().retries(0).build();
    }

    @AfterAll
    static void stop() {
        fetcher.close();
    }

    /** Fetches from a server that answers every request with {@code reply} and closes. */
    private static FetchResult fetchAnswered(String reply) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        s.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                        Thread.sleep(200);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            answerer.setDaemon(true);
            answerer.start();
            return fetcher.fetch("http://127.0.0.1:" + server.getLocalPort() + "/page").join();
        }
    }

    @Test
    void aStatusLineWithoutANumberIsNamed() throws IOException {
        FetchResult r = fetchAnswered("HTTP/1.1 OK-ish\r\nContent-Length: 2\r\n\r\nhi");
        assertNull(r.status());
        assertEquals("malformed response: the status line has \"OK-ish\" where the status code (a number) should be", r.error());
    }

    @Test
    void aReplyThatIsNotHttpIsNamed() throws IOException {
        FetchResult r = fetchAnswered("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
        assertNull(r.status());
        assertEquals("malformed response: the server did not answer in HTTP (its reply began "
                + "\"SSH-2.0-OPENSSH_9.2P1\", not HTTP/1.x)", r.error());
    }

    @Test
    void badChunkedEncodingIsNamed() throws IOException {
        FetchResult r = fetchAnswered("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        assertEquals("malformed response: bad chunked encoding (a chunk size that is not a hexadecimal number)", r.error());
    }

    @Test
    void aPortOutOfRangeIsAnInvalidUrl() {
        FetchResult r = fetcher.fetch("http://127.0.0.1:99999/").join();
        assertNull(r.status());
        assertEquals("invalid URL: port 99999 is out of range (0 to 65535): http://127.0.0.1:99999/", r.error());
    }
}
