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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * JSON Lines text, one JSON value per line, on jackson-core's streaming parser and generator: a
 * strict reader (RFC 8259 over UTF-8, every error with its line and column) and a writer that spells
 * values as Python's {@code json.dumps(value, ensure_ascii=False)} does. Neither recurses, so deep
 * nesting costs memory, never the thread stack.
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
     * Reads one JSON value per line with jackson-core's streaming {@link JsonParser}: objects become
     * {@link JsonObject}s, arrays {@code ArrayList}s, integers the smallest of {@code Integer},
     * {@code Long} and {@code BigInteger}, numbers with a fraction or an exponent {@code Double}s, as
     * Python's {@code json.loads} reads them. Lines holding only whitespace are skipped; a value may
     * not span lines. Within one value, equal object keys are one {@code String}, as CPython's decoder
     * memoizes them, and, as in CPython, the empty string and each one-character Latin-1 string is one
     * shared {@code String}: so pickling what a line holds writes the same bytes as
     * {@code pickle.dumps(json.loads(line))}, memo references included. Errors name the line and the
     * column (in characters) and say what was expected.
     */
    static final class Reader {
        /** What {@link #next()} returns after the last value. */
        static final Object END = new Object();
        /** Deepest nesting of arrays and objects one value may have. */
        static final int MAX_DEPTH = 100_000;
        /** The strings CPython keeps one object of: each one-character Latin-1 string. */
        private static final String[] LATIN1 = new String[256];
        /** Strict JSON (RFC 8259), with no limits on sizes but the nesting depth: a line may hold a large value. */
        private static final JsonFactory JSON = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .build())
                .build();

        static {
            for (int c = 0; c < LATIN1.length; c++) {
                LATIN1[c] = String.valueOf((char) c);
            }
        }

        private final InputStream in;
        private final String source;
        private byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private boolean eof;
        private final Map<String, String> keys = new HashMap<>();
        private long line;
        private long valueLine;
        /** The current line: its bytes are buf[lineStart, lineEnd), and whether a newline ended it. */
        private int lineStart;
        private int lineEnd;
        private boolean newline;
        /** Where character columns were last counted up to, so that counting is linear in the line. */
        private int countedFrom;
        private int countedTo;
        private long countedColumns;

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
            return line + 1;
        }

        /** The next value, or {@link #END} at the end of the input. */
        Object next() {
            while (readLine()) {
                int from = lineStart;
                if (line == 1 && lineEnd - from >= 3 && (buf[from] & 0xff) == 0xef && (buf[from + 1] & 0xff) == 0xbb
                        && (buf[from + 2] & 0xff) == 0xbf) {
                    from += 3;   // a UTF-8 byte order mark at the very start is ignored, as RFC 8259 allows
                }
                if (blank(from, lineEnd)) {
                    continue;
                }
                valueLine = line;
                keys.clear();
                countedFrom = countedTo = from;
                countedColumns = 0;
                return parse(from);
            }
            return END;
        }

        private boolean blank(int from, int to) {
            for (int i = from; i < to; i++) {
                if (!isSpace(buf[i])) {
                    return false;
                }
            }
            return true;
        }

        /** One line's value, built without recursion from the parser's tokens. */
        private Object parse(int from) {
            ArrayDeque<Object> stack = new ArrayDeque<>();
            ArrayDeque<String> names = new ArrayDeque<>();
            JsonToken last = null;
            try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), buf, from, lineEnd - from)) {
                try {
                    for (;;) {
                        JsonToken t = p.nextToken();
                        if (t == null) {
                            throw error(lineEnd, "the input ends inside a JSON value");
                        }
                        last = t;
                        Object value;
                        switch (t) {
                            case START_OBJECT -> {
                                stack.push(new JsonObject(line, column(from + (int) p.currentTokenLocation().getByteOffset())));
                                continue;
                            }
                            case START_ARRAY -> {
                                stack.push(new ArrayList<>());
                                continue;
                            }
                            case PROPERTY_NAME -> {
                                names.push(keys.computeIfAbsent(shared(p.currentName()), k -> k));
                                continue;
                            }
                            case END_OBJECT, END_ARRAY -> value = stack.pop();
                            case VALUE_STRING -> value = shared(p.getString());
                            case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                                case INT -> p.getIntValue();
                                case LONG -> p.getLongValue();
                                default -> p.getBigIntegerValue();
                            };
                            case VALUE_NUMBER_FLOAT -> value = p.getDoubleValue();
                            case VALUE_TRUE -> value = Boolean.TRUE;
                            case VALUE_FALSE -> value = Boolean.FALSE;
                            case VALUE_NULL -> value = null;
                            default -> throw error(from, "unexpected " + t);
                        }
                        Object top = stack.peek();
                        if (top == null) {
                            int end = from + (int) p.currentLocation().getByteOffset();
                            while (end < lineEnd && isSpace(buf[end])) {
                                end++;
                            }
                            if (end < lineEnd) {
                                throw error(end, "expected the end of the line after a JSON value, found " + describe(end));
                            }
                            return value;
                        }
                        if (top instanceof JsonObject object) {
                            object.put(names.pop(), value);
                        } else {
                            @SuppressWarnings("unchecked")
                            List<Object> array = (List<Object>) top;
                            array.add(value);
                        }
                    }
                } catch (StreamConstraintsException e) {
                    throw error(from + (int) p.currentTokenLocation().getByteOffset(),
                            "arrays and objects nest deeper than " + MAX_DEPTH + " levels");
                } catch (StreamReadException e) {
                    throw translate(e, from, p.streamReadContext(), last);
                }
            }
        }

        private static String shared(String s) {
            if (s.length() <= 1) {
                return s.isEmpty() ? "" : s.charAt(0) < LATIN1.length ? LATIN1[s.charAt(0)] : s;
            }
            return s;
        }

        private static final Pattern FOUND = Pattern.compile("Unexpected character \\('.*' \\(code (\\d+)\\)\\)");
        private static final Pattern TOKEN = Pattern.compile("(?:Non-standard|Unrecognized) token '([^']*)'");
        private static final Pattern CONTROL = Pattern.compile("Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\)");

        /** Jackson's error as this command has always said it: what was expected, what was found, where. */
        private JsonException translate(StreamReadException e, int from, TokenStreamContext context, JsonToken last) {
            String message = e.getOriginalMessage();
            int at = e.getLocation() == null ? lineEnd : from + (int) e.getLocation().getByteOffset();
            at = Math.min(at, lineEnd);
            Matcher token = TOKEN.matcher(message);
            if (token.lookingAt()) {
                String word = token.group(1);
                int start = Math.max(from, at - word.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                if (message.startsWith("Non-standard") || word.equals("NaN") || word.endsWith("Infinity")) {
                    return error(start, "NaN and Infinity are not JSON; write {\"$float\": \"nan\"}, "
                            + "{\"$float\": \"inf\"} or {\"$float\": \"-inf\"}");
                }
                return error(start, "expected a JSON value, found '" + word + "'");
            }
            if (message.startsWith("Invalid UTF-8")) {
                int lead = at - 1;
                while (lead > from && (buf[lead] & 0xc0) == 0x80) {
                    lead--;
                }
                while (lead > from && (buf[lead] & 0xff) < 0xc0 && (buf[lead - 1] & 0xff) >= 0x80) {
                    lead--;
                }
                return error(Math.max(from, lead), "invalid UTF-8 sequence");
            }
            Matcher control = CONTROL.matcher(message);
            if (control.lookingAt()) {
                return error(at, String.format("a control character (U+%04X) inside a string; write it as an escape",
                        Integer.parseInt(control.group(1))));
            }
            if (message.contains("Leading zeroes not allowed")) {
                return error(at, "a number may not start with 0 (leading zeros are not JSON)");
            }
            if (e instanceof UnexpectedEndOfInputException) {
                if (message.contains("VALUE_STRING")) {
                    return error(lineEnd, newline ? "the line ends inside a string (a JSON Lines value is one line)"
                            : "the input ends inside a string");
                }
                return error(lineEnd, expected(context, last) + ", found " + describe(lineEnd));
            }
            if (message.contains("Unrecognized character escape")) {
                return error(at, "not a JSON escape: \\" + (at < lineEnd ? (char) buf[at] : ""));
            }
            if (message.contains("hex-digit for character escape")) {
                return error(at, "expected 4 hex digits after \\u, found " + describe(at));
            }
            if (message.contains("Decimal point not followed by a digit")) {
                return error(at + 1, "expected a digit after the decimal point, found " + describe(at + 1));
            }
            if (message.contains("Exponent indicator not followed by a digit")) {
                return error(at, "expected a digit in the exponent, found " + describe(at));
            }
            if (FOUND.matcher(message).lookingAt() || message.startsWith("Unexpected close marker")) {
                return error(at, expected(context, last) + ", found " + describe(at));
            }
            return error(at, message);
        }

        /** What the grammar expected after the last token, in the words this command uses. */
        private static String expected(TokenStreamContext context, JsonToken last) {
            if (last == JsonToken.PROPERTY_NAME) {
                return "expected ':' after an object key";
            }
            if (context != null && context.inObject()) {
                return last == JsonToken.START_OBJECT || last == null ? "expected a string key in double quotes"
                        : "expected ',' or '}' after an object member";
            }
            if (context != null && context.inArray() && last != JsonToken.START_ARRAY && last != null) {
                return "expected ',' or ']' after an array item";
            }
            return "expected a JSON value";
        }

        private static boolean isSpace(byte b) {
            return b == ' ' || b == '\t' || b == '\r';
        }

        /** Reads the next line into buf[lineStart, lineEnd); false at the end of the input. */
        private boolean readLine() {
            pos = newline ? lineEnd + 1 : lineEnd;
            int scan = pos;
            for (;;) {
                for (int i = scan; i < limit; i++) {
                    if (buf[i] == '\n') {
                        lineStart = pos;
                        lineEnd = i;
                        newline = true;
                        line++;
                        return true;
                    }
                }
                if (eof) {
                    if (pos == limit) {
                        return false;
                    }
                    lineStart = pos;
                    lineEnd = limit;
                    newline = false;
                    line++;
                    return true;
                }
                scan = limit - pos;
                fill();
            }
        }

        /** Moves the unread bytes to the front of the buffer (growing it for long lines) and reads more. */
        private void fill() {
            int unread = limit - pos;
            if (unread == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            } else if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, unread);
            }
            limit = unread;
            lineEnd = lineStart = pos = 0;
            newline = false;
            try {
                int read = in.read(buf, limit, buf.length - limit);
                if (read < 0) {
                    eof = true;
                } else {
                    limit += read;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The column (1-based, in characters) of a byte of the current line. */
        private long column(int at) {
            if (at < countedTo) {
                countedTo = countedFrom;
                countedColumns = 0;
            }
            for (int i = countedTo; i < at; i++) {
                if ((buf[i] & 0xc0) != 0x80) {
                    countedColumns++;
                }
            }
            countedTo = at;
            return countedColumns + 1;
        }

        private String describe(int at) {
            if (at >= lineEnd) {
                return newline ? "the end of the line" : "the end of the input";
            }
            int c = buf[at] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                return "'" + (char) c + "'";
            }
            return c < 0x80 ? String.format("U+%04X", c) : "a non-ASCII character";
        }

        private JsonException error(int at, String message) {
            return new JsonException(source, line, column(Math.min(at, lineEnd)), message);
        }
    }

    /**
     * Writes JSON text as UTF-8 with jackson-core's streaming {@link JsonGenerator}, spelled as
     * Python's {@code json.dumps(value, ensure_ascii=False)} spells it ({@code ", "} and {@code ": "}
     * separators, floats as {@code repr()}, lower-case {@code \}{@code u00XX} escapes), except that a
     * lone surrogate is written as a {@code \}{@code udXXX} escape so that the output is valid UTF-8.
     * Callers emit values, keys and container bounds in order; the generator places the separators.
     */
    static final class Writer {
        private static final JsonFactory JSON = JsonFactory.builder()
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
                .build();

        private static final PrettyPrinter SEPARATORS = new PythonSeparators();

        private final JsonGenerator out;

        Writer(OutputStream out) {
            this.out = JSON.createGenerator(new ObjectWriteContext.Base() {
                @Override
                public PrettyPrinter getPrettyPrinter() {
                    return SEPARATORS;
                }

                @Override
                public boolean hasPrettyPrinter() {
                    return true;
                }
            }, out);
        }

        void beginArray() {
            out.writeStartArray();
        }

        void endArray() {
            out.writeEndArray();
        }

        void beginObject() {
            out.writeStartObject();
        }

        void endObject() {
            out.writeEndObject();
        }

        /** The key of the object member whose value comes next. */
        void key(String key) {
            out.writeName(key);
        }

        void nullValue() {
            out.writeNull();
        }

        void value(boolean b) {
            out.writeBoolean(b);
        }

        void value(long n) {
            out.writeNumber(n);
        }

        void value(BigInteger n) {
            out.writeNumber(n);
        }

        /** A finite float, as Python's {@code repr()} writes it (so {@code json.loads} reads back the same float). */
        void value(double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.writeNumber(Repr.of(d));
        }

        void value(String s) {
            out.writeString(s);
        }

        /** A JSON string holding the standard base64 (with padding) of the bytes. */
        void base64(byte[] bytes) {
            out.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
        }

        /** Ends the line (the value must be complete). */
        void endLine() {
            if (!out.streamWriteContext().inRoot()) {
                throw new IllegalStateException("a JSON value is not complete");
            }
            out.writeRaw('\n');
        }

        /** Writes what is buffered to the stream (which is not flushed). */
        void flushBuffer() {
            out.flush();
        }
    }

    /** Python's json.dumps separators: ", " between items, ": " after a key, nothing else. */
    private static final class PythonSeparators implements PrettyPrinter {
        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) {
            g.writeRaw('{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) {
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) {
            g.writeRaw(", ");
        }

        @Override
        public void writeObjectNameValueSeparator(JsonGenerator g) {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) {
            g.writeRaw('[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) {
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) {
            g.writeRaw(", ");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) {
        }
    }
}
