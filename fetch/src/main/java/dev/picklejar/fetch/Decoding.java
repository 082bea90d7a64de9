package dev.picklejar.fetch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * Turning a body into text by what the server declares: the {@code charset} of its Content-Type;
 * without one, UTF-8 for text types (text/*, JSON, XML, JavaScript); without a Content-Type at all,
 * UTF-8 when the bytes are valid UTF-8. Anything else stays bytes (no text). Bytes that are not
 * valid in the declared charset become U+FFFD, as Python's {@code errors='replace'} does.
 */
final class Decoding {
    private Decoding() {
    }

    /** The body as text, or null when it is not text (or its declared charset is unknown here). */
    static String text(String contentType, byte[] body) {
        if (body == null) {
            return null;
        }
        if (contentType == null || contentType.isBlank()) {
            return strictUtf8(body);
        }
        String charsetName = charset(contentType);
        if (charsetName != null) {
            Charset charset = lookup(charsetName);
            return charset == null ? null : new String(body, charset);
        }
        return isText(mediaType(contentType)) ? new String(body, StandardCharsets.UTF_8) : null;
    }

    /** The media type of a Content-Type, lower case, without parameters: {@code text/html}. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The value of the charset parameter of a Content-Type, unquoted, or null. */
    static String charset(String contentType) {
        int i = contentType.indexOf(';');
        while (i >= 0) {
            int next = nextSemicolon(contentType, i + 1);
            String param = contentType.substring(i + 1, next < 0 ? contentType.length() : next).trim();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String value = param.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).replace("\\", "");
                }
                return value.isEmpty() ? null : value;
            }
            i = next;
        }
        return null;
    }

    private static int nextSemicolon(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    static boolean isText(String mediaType) {
        return mediaType.startsWith("text/")
                || mediaType.equals("application/json")
                || mediaType.equals("application/xml")
                || mediaType.equals("application/javascript")
                || mediaType.equals("application/ecmascript")
                || mediaType.equals("application/x-www-form-urlencoded")
                || mediaType.endsWith("+json")
                || mediaType.endsWith("+xml");
    }

    private static Charset lookup(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private static String strictUtf8(byte[] body) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
