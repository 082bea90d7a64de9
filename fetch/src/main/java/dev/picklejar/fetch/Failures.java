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

    /** Netty's HTTP decoder fails a bad response with these, its own words being Java's. */
    private static final Pattern NOT_A_NUMBER = Pattern.compile("^For input string: \"(.*)\"$", Pattern.DOTALL);
    private static final String BAD_VERSION = "invalid version format: ";

    /** What was wrong with a response the HTTP decoder refused, in words; null for another failure. */
    private static String malformed(Throwable c) {
        String message = String.valueOf(c.getMessage());
        if (c instanceof NumberFormatException) {
            if (message.contains("chunk size")) {
                return "bad chunked encoding (a chunk size that is not a hexadecimal number)";
            }
            var m = NOT_A_NUMBER.matcher(message);
            return m.matches()
                    ? "the status line has \"" + m.group(1) + "\" where the status code (a number) should be"
                    : "a number in the status line or the headers is not a number";
        }
        if (c instanceof IllegalArgumentException && message.startsWith(BAD_VERSION)) {
            return "the server did not answer in HTTP (its reply began \"" + message.substring(BAD_VERSION.length())
                    + "\", not HTTP/1.x)";
        }
        return null;
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
            String malformed = malformed(c);
            if (malformed != null) {
                return "malformed response: " + malformed;
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
