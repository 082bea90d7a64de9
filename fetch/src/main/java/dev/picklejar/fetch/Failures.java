package dev.picklejar.fetch;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import reactor.netty.http.client.PrematureCloseException;

/** What went wrong with an exchange, in words for the result, and whether trying again may help. */
final class Failures {
    /** What Netty's native transport puts before the system's words: "finishConnect(..) failed with error(-111): ". */
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private Failures() {
    }

    /**
     * Connection errors are worth a retry: refused, reset, timed out while connecting, closed
     * before the response was complete. An unknown host, a TLS failure, a malformed response or a
     * body over the limit are not: the same request would fail the same way.
     */
    static boolean retryable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof SSLException || c instanceof BodyTooLargeException) {
                return false;
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** One line of at most about 200 characters: what went wrong, not a dump of the bytes it met. */
    static String describe(Throwable e) {
        String d = describeFully(e);
        int newline = d.indexOf('\n');
        if (newline >= 0) {
            d = d.substring(0, newline).stripTrailing();
        }
        return d.length() <= 200 ? d : d.substring(0, 200) + "...";
    }

    private static String describeFully(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BodyTooLargeException) {
                return c.getMessage();
            }
            if (c instanceof UnknownHostException) {
                return "unknown host: " + c.getMessage();
            }
            if (c instanceof NotSslRecordException) {
                return "TLS failed: the server did not answer in TLS (is it plain HTTP?)";
            }
            if (c instanceof SSLException) {
                return "TLS failed: " + c.getMessage();
            }
            if (c instanceof ConnectTimeoutException) {
                return "connect timed out: " + c.getMessage();
            }
            if (c instanceof ConnectException) {
                return "connection failed: " + NATIVE_PREFIX.matcher(String.valueOf(c.getMessage())).replaceFirst("");
            }
            if (c instanceof PrematureCloseException) {
                return "connection closed by the server before the response was complete";
            }
            if (c instanceof ClosedChannelException) {
                return "connection closed";
            }
            if (c instanceof IOException) {
                return "connection error: " + NATIVE_PREFIX.matcher(String.valueOf(c.getMessage())).replaceFirst("");
            }
            if (c instanceof DecoderException) {
                return "malformed response: " + (c.getCause() != null ? c.getCause().getMessage() : c.getMessage());
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
