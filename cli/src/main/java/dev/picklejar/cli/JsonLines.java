package dev.picklejar.cli;

import dev.picklejar.Repr;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines text, one JSON value per line: a strict reader (RFC 8259 over UTF-8, every error with
 * its line and column) and a writer that spells values as Python's
 * {@code json.dumps(value, ensure_ascii=False)} does. Neither recurses, so deep nesting costs memory,
 * never the thread stack.
 */
final class JsonLines {
    private JsonLines() {
    }

    /** A JSON object as the reader builds it: members in order, and where the object starts. */
    static final class JsonObject extends LinkedHashMap<String, Object> {
        final long line;
        final long column;

        JsonObject(long line, long column) {
            this.line = line;
            this.column = column;
        }
    }

    /** Malformed JSON text, or JSON that does not stand for a Python value; the message starts with {@code source:line:column:}. */
    static final class JsonException extends RuntimeException {
        JsonException(String source, long line, long column, String message) {
            super(source + ":" + line + ":" + column + ": " + message);
        }
    }

    /**
     * Reads one JSON value per line: objects become {@link JsonObject}s, arrays {@code ArrayList}s,
     * integers the smallest of {@code Integer}, {@code Long} and {@code BigInteger}, numbers with a
     * fraction or an exponent {@code Double}s, as Python's {@code json.loads} reads them. Lines
     * holding only whitespace are skipped; a value may not span lines. Within one value, equal
     * object keys are one {@code String}, as CPython's decoder memoizes them, and, as in CPython,
     * the empty string and each one-character Latin-1 string is one shared {@code String}: so
     * pickling what a line holds writes the same bytes as {@code pickle.dumps(json.loads(line))},
     * memo references included.
     */
    static final class Reader {
        /** What {@link #next()} returns after the last value. */
        static final Object END = new Object();
        /** Deepest nesting of arrays and objects one value may have. */
        static final int MAX_DEPTH = 100_000;
        /** The strings CPython keeps one object of: each one-character Latin-1 string. */
        private static final String[] LATIN1 = new String[256];

        static {
            for (int c = 0; c < LATIN1.length; c++) {
                LATIN1[c] = String.valueOf((char) c);
            }
        }

        private final InputStream in;
        private final String source;
        private final byte[] buf = new byte[1 << 16];
        private StringBuilder text = new StringBuilder();
        private final Map<String, String> keys = new HashMap<>();
        private int pos;
        private int limit;
        private boolean eof;
        private long line = 1;
        private long column = 1;
        private long valueLine;

        /** A reader of {@code in}; {@code source} names it in error messages. */
        Reader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        /** The line the last value returned by {@link #next()} is on. */
        long line() {
            return valueLine;
        }

        /** The line reading is at: where the next value starts, unless blank lines come first. */
        long nextLine() {
            return line;
        }

        /** The next value, or {@link #END} at the end of the input. */
        Object next() {
            if (line == 1 && column == 1 && peek() == 0xef) {
                skipByteOrderMark();
            }
            for (;;) {
                skipSpaces();
                int c = peek();
                if (c < 0) {
                    return END;
                }
                if (c == '\n') {
                    advance();
                    continue;
                }
                valueLine = line;
                keys.clear();
                Object value = parseValue();
                skipSpaces();
                c = peek();
                if (c == '\n') {
                    advance();
                } else if (c >= 0) {
                    throw error("expected the end of the line after a JSON value, found " + describeNext());
                }
                return value;
            }
        }

        /** A UTF-8 byte order mark at the very start is ignored, as RFC 8259 allows. */
        private void skipByteOrderMark() {
            if (fill(3) && (buf[pos + 1] & 0xff) == 0xbb && (buf[pos + 2] & 0xff) == 0xbf) {
                pos += 3;
            }
        }

        private static final class Frame {
            final Object container;
            String key;

            Frame(Object container) {
                this.container = container;
            }
        }

        private Object parseValue() {
            ArrayDeque<Frame> stack = new ArrayDeque<>();
            for (;;) {
                skipSpaces();
                Object value;
                int c = peek();
                switch (c) {
                    case '{' -> {
                        JsonObject object = new JsonObject(line, column);
                        advance();
                        skipSpaces();
                        if (peek() == '}') {
                            advance();
                            value = object;
                        } else {
                            Frame frame = push(stack, object, object.column);
                            frame.key = readKey();
                            continue;
                        }
                    }
                    case '[' -> {
                        List<Object> array = new ArrayList<>();
                        long at = column;
                        advance();
                        skipSpaces();
                        if (peek() == ']') {
                            advance();
                            value = array;
                        } else {
                            push(stack, array, at);
                            continue;
                        }
                    }
                    case '"' -> value = readString();
                    case 't' -> value = literal("true", Boolean.TRUE);
                    case 'f' -> value = literal("false", Boolean.FALSE);
                    case 'n' -> value = literal("null", null);
                    case 'N', 'I' -> throw error("NaN and Infinity are not JSON; write {\"$float\": \"nan\"}, "
                            + "{\"$float\": \"inf\"} or {\"$float\": \"-inf\"}");
                    default -> {
                        if (c == '-' || (c >= '0' && c <= '9')) {
                            value = readNumber();
                        } else {
                            throw error("expected a JSON value, found " + describeNext());
                        }
                    }
                }
                // A value is complete: add it to its container, then close every container that ends here.
                for (;;) {
                    Frame top = stack.peek();
                    if (top == null) {
                        return value;
                    }
                    boolean isObject = top.container instanceof JsonObject;
                    if (isObject) {
                        ((JsonObject) top.container).put(top.key, value);
                    } else {
                        @SuppressWarnings("unchecked")
                        List<Object> array = (List<Object>) top.container;
                        array.add(value);
                    }
                    skipSpaces();
                    c = peek();
                    if (c == ',') {
                        advance();
                        if (isObject) {
                            skipSpaces();
                            top.key = readKey();
                        }
                        break;
                    }
                    if (c == (isObject ? '}' : ']')) {
                        advance();
                        value = stack.pop().container;
                        continue;
                    }
                    throw error(isObject ? "expected ',' or '}' after an object member, found " + describeNext()
                            : "expected ',' or ']' after an array item, found " + describeNext());
                }
            }
        }

        private Frame push(ArrayDeque<Frame> stack, Object container, long at) {
            if (stack.size() >= MAX_DEPTH) {
                throw new JsonException(source, line, at, "arrays and objects nest deeper than " + MAX_DEPTH + " levels");
            }
            Frame frame = new Frame(container);
            stack.push(frame);
            return frame;
        }

        /** An object key and the colon after it. */
        private String readKey() {
            if (peek() != '"') {
                throw error("expected a string key in double quotes, found " + describeNext());
            }
            String key = keys.computeIfAbsent(readString(), k -> k);
            skipSpaces();
            if (peek() != ':') {
                throw error("expected ':' after an object key, found " + describeNext());
            }
            advance();
            return key;
        }

        private Object literal(String word, Object value) {
            long startColumn = column;
            for (int i = 0; i < word.length(); i++) {
                if (peek() != word.charAt(i)) {
                    throw new JsonException(source, line, startColumn, "expected '" + word + "'");
                }
                advance();
            }
            return value;
        }

        private Object readNumber() {
            long startColumn = column;
            text.setLength(0);
            boolean isFloat = false;
            if (peek() == '-') {
                take();
            }
            int c = peek();
            if (c == '0') {
                take();
                if (isDigit(peek())) {
                    throw error("a number may not start with 0 (leading zeros are not JSON)");
                }
            } else if (isDigit(c)) {
                takeDigits();
            } else {
                throw error("expected a digit, found " + describeNext());
            }
            if (peek() == '.') {
                isFloat = true;
                take();
                if (!isDigit(peek())) {
                    throw error("expected a digit after the decimal point, found " + describeNext());
                }
                takeDigits();
            }
            c = peek();
            if (c == 'e' || c == 'E') {
                isFloat = true;
                take();
                c = peek();
                if (c == '+' || c == '-') {
                    take();
                }
                if (!isDigit(peek())) {
                    throw error("expected a digit in the exponent, found " + describeNext());
                }
                takeDigits();
            }
            String number = text.toString();
            try {
                if (isFloat) {
                    return Double.parseDouble(number);
                }
                if (number.length() <= 18) {
                    long v = Long.parseLong(number);
                    return v == (int) v ? (Object) (int) v : (Object) v;
                }
                BigInteger big = new BigInteger(number);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            } catch (NumberFormatException e) {
                throw new JsonException(source, line, startColumn, "not a number: " + number);
            }
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private void takeDigits() {
            while (isDigit(peek())) {
                take();
            }
        }

        private void take() {
            text.append((char) buf[pos]);
            advance();
        }

        private String readString() {
            advance(); // the opening quote
            text.setLength(0);
            for (;;) {
                int c = peek();
                if (c == '"') {
                    advance();
                    if (text.length() <= 1) {
                        return text.length() == 0 ? "" : text.charAt(0) < LATIN1.length ? LATIN1[text.charAt(0)]
                                : text.toString();
                    }
                    String string = text.toString();
                    if (text.capacity() > 1 << 20) {
                        text = new StringBuilder(); // do not keep a huge buffer after a huge string
                    }
                    return string;
                }
                if (c < 0) {
                    throw error("the input ends inside a string");
                }
                if (c == '\n') {
                    throw error("the line ends inside a string (a JSON Lines value is one line)");
                }
                if (c < 0x20) {
                    throw error(String.format("a control character (U+%04X) inside a string; write it as an escape", c));
                }
                if (c == '\\') {
                    readEscape();
                } else if (c < 0x80) {
                    text.append((char) c);
                    advance();
                } else {
                    text.appendCodePoint(readUtf8());
                }
            }
        }

        private void readEscape() {
            advance();
            int c = peek();
            char decoded;
            switch (c) {
                case '"' -> decoded = '"';
                case '\\' -> decoded = '\\';
                case '/' -> decoded = '/';
                case 'b' -> decoded = '\b';
                case 'f' -> decoded = '\f';
                case 'n' -> decoded = '\n';
                case 'r' -> decoded = '\r';
                case 't' -> decoded = '\t';
                case 'u' -> {
                    advance();
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int h = Character.digit(peek(), 16);
                        if (h < 0) {
                            throw error("expected 4 hex digits after \\u, found " + describeNext());
                        }
                        v = v << 4 | h;
                        advance();
                    }
                    text.append((char) v); // a lone surrogate stays one, as in Python
                    return;
                }
                default -> throw error("not a JSON escape: \\" + (c < 0 ? "" : describeNext()));
            }
            text.append(decoded);
            advance();
        }

        /** One UTF-8 encoded code point, strictly: no overlong forms, no encoded surrogates. */
        private int readUtf8() {
            int b0 = peek();
            int count;
            int min;
            int max = 0xbf;
            int cp;
            if (b0 >= 0xc2 && b0 <= 0xdf) {
                count = 1;
                min = 0x80;
                cp = b0 & 0x1f;
            } else if (b0 >= 0xe0 && b0 <= 0xef) {
                count = 2;
                min = b0 == 0xe0 ? 0xa0 : 0x80;
                max = b0 == 0xed ? 0x9f : 0xbf;
                cp = b0 & 0x0f;
            } else if (b0 >= 0xf0 && b0 <= 0xf4) {
                count = 3;
                min = b0 == 0xf0 ? 0x90 : 0x80;
                max = b0 == 0xf4 ? 0x8f : 0xbf;
                cp = b0 & 0x07;
            } else {
                throw error(String.format("invalid UTF-8 (byte 0x%02x)", b0));
            }
            long startColumn = column;
            advance();
            for (int i = 0; i < count; i++) {
                int b = peek();
                if (b < min || b > max) {
                    throw new JsonException(source, line, startColumn, "invalid UTF-8 sequence");
                }
                cp = cp << 6 | (b & 0x3f);
                advance();
                min = 0x80;
                max = 0xbf;
            }
            return cp;
        }

        private void skipSpaces() {
            for (int c = peek(); c == ' ' || c == '\t' || c == '\r'; c = peek()) {
                advance();
            }
        }

        private int peek() {
            if (pos == limit && !fill(1)) {
                return -1;
            }
            return buf[pos] & 0xff;
        }

        /** Consumes the byte {@link #peek()} saw, keeping line and column (columns count characters). */
        private void advance() {
            byte b = buf[pos++];
            if (b == '\n') {
                line++;
                column = 1;
            } else if ((b & 0xc0) != 0x80) {
                column++;
            }
        }

        /** Whether at least {@code n} bytes are buffered (reading more when needed). */
        private boolean fill(int n) {
            if (limit - pos >= n) {
                return true;
            }
            if (eof) {
                return false;
            }
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
            try {
                while (limit < n) {
                    int read = in.read(buf, limit, buf.length - limit);
                    if (read < 0) {
                        eof = true;
                        return false;
                    }
                    limit += read;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }

        private String describeNext() {
            int c = peek();
            if (c < 0) {
                return "the end of the input";
            }
            if (c == '\n') {
                return "the end of the line";
            }
            if (c >= 0x20 && c < 0x7f) {
                return "'" + (char) c + "'";
            }
            return c < 0x80 ? String.format("U+%04X", c) : "a non-ASCII character";
        }

        private JsonException error(String message) {
            return new JsonException(source, line, column, message);
        }
    }

    /**
     * Writes JSON text as UTF-8, spelled as Python's {@code json.dumps(value, ensure_ascii=False)}
     * spells it ({@code ", "} and {@code ": "} separators, floats as {@code repr()}), except that a
     * lone surrogate is written as a {@code \}{@code udXXX} escape so that the output is valid UTF-8.
     * Callers emit values, keys and container bounds in order; the writer places the separators.
     */
    static final class Writer {
        private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        /** Bytes of a bytes value encoded at a time: a multiple of 3, so that no padding falls inside. */
        private static final int BASE64_CHUNK = 3 * 16 * 1024;

        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int len;
        private boolean[] hasItems = new boolean[32];
        private int depth;
        private boolean afterKey;

        Writer(OutputStream out) {
            this.out = out;
        }

        void beginArray() {
            open('[');
        }

        void endArray() {
            close(']');
        }

        void beginObject() {
            open('{');
        }

        void endObject() {
            close('}');
        }

        /** The key of the object member whose value comes next. */
        void key(String key) {
            separate();
            writeString(key);
            ascii(": ");
            afterKey = true;
        }

        void nullValue() {
            separate();
            ascii("null");
        }

        void value(boolean b) {
            separate();
            ascii(b ? "true" : "false");
        }

        void value(long n) {
            separate();
            ascii(Long.toString(n));
        }

        void value(BigInteger n) {
            separate();
            ascii(n.toString());
        }

        /** A finite float, as Python's {@code repr()} writes it (so {@code json.loads} reads back the same float). */
        void value(double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            separate();
            ascii(Repr.of(d));
        }

        void value(String s) {
            separate();
            writeString(s);
        }

        /** A JSON string holding the standard base64 (with padding) of the bytes. */
        void base64(byte[] bytes) {
            separate();
            byte1('"');
            Base64.Encoder encoder = Base64.getEncoder();
            for (int at = 0; at < bytes.length; at += BASE64_CHUNK) {
                byte[] chunk = encoder.encode(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + BASE64_CHUNK)));
                raw(chunk, 0, chunk.length);
            }
            byte1('"');
        }

        /** Ends the line (the value must be complete). */
        void endLine() {
            if (depth != 0) {
                throw new IllegalStateException("a JSON value is not complete");
            }
            byte1('\n');
        }

        /** Writes what is buffered to the stream (which is not flushed). */
        void flushBuffer() {
            try {
                out.write(buf, 0, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            len = 0;
        }

        private void open(char bracket) {
            separate();
            byte1(bracket);
            if (++depth == hasItems.length) {
                hasItems = Arrays.copyOf(hasItems, depth * 2);
            }
            hasItems[depth] = false;
        }

        private void close(char bracket) {
            depth--;
            byte1(bracket);
        }

        private void separate() {
            if (afterKey) {
                afterKey = false;
            } else if (depth > 0) {
                if (hasItems[depth]) {
                    ascii(", ");
                }
                hasItems[depth] = true;
            }
        }

        private void writeString(String s) {
            byte1('"');
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c >= 0x20 && c != '"' && c != '\\') {
                        byte1(c);
                    } else {
                        escape(c);
                    }
                } else if (c < 0x800) {
                    byte1(0xc0 | c >> 6);
                    byte1(0x80 | c & 0x3f);
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    byte1(0xf0 | cp >> 18);
                    byte1(0x80 | cp >> 12 & 0x3f);
                    byte1(0x80 | cp >> 6 & 0x3f);
                    byte1(0x80 | cp & 0x3f);
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c);
                } else {
                    byte1(0xe0 | c >> 12);
                    byte1(0x80 | c >> 6 & 0x3f);
                    byte1(0x80 | c & 0x3f);
                }
            }
            byte1('"');
        }

        /** The escapes of Python's json encoder: two-character ones where JSON has them, else {@code \}{@code u00XX}. */
        private void escape(char c) {
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                case '\b' -> ascii("\\b");
                case '\f' -> ascii("\\f");
                default -> unicodeEscape(c);
            }
        }

        private void unicodeEscape(char c) {
            ascii("\\u");
            byte1(HEX[c >> 12 & 0xf]);
            byte1(HEX[c >> 8 & 0xf]);
            byte1(HEX[c >> 4 & 0xf]);
            byte1(HEX[c & 0xf]);
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                byte1(s.charAt(i));
            }
        }

        private void byte1(int b) {
            if (len == buf.length) {
                flushBuffer();
            }
            buf[len++] = (byte) b;
        }

        private void raw(byte[] bytes, int offset, int length) {
            if (len + length > buf.length) {
                flushBuffer();
            }
            if (length > buf.length) {
                try {
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return;
            }
            System.arraycopy(bytes, offset, buf, len, length);
            len += length;
        }
    }
}
