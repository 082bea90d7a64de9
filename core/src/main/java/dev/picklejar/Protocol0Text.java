package dev.picklejar;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** The text arguments of protocol 0: decimal integers, float text, quoted and escaped strings. */
final class Protocol0Text {
    private Protocol0Text() {
    }

    /** Python's {@code int(text, 0)}: optional sign, then decimal digits or a 0x/0o/0b literal. */
    static Object parseInt(String text) {
        String s = text.strip();
        boolean negative = false;
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        int radix = 10;
        if (s.length() > i + 1 && s.charAt(i) == '0') {
            char p = Character.toLowerCase(s.charAt(i + 1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                i += 2;
            }
        }
        String digits = s.substring(i).replace("_", "");
        if (digits.isEmpty() || s.startsWith("_", i) || s.endsWith("_") || s.contains("__")
                || digits.charAt(0) == '-' || digits.charAt(0) == '+') {
            throw new NumberFormatException("invalid literal for int() with base 0: '" + text + "'");
        }
        if (radix == 10 && digits.length() > 1 && digits.charAt(0) == '0' && !digits.chars().allMatch(c -> c == '0')) {
            throw new NumberFormatException("invalid literal for int() with base 0: '" + text + "'");
        }
        // BigInteger's own complaint ("For input string: ...") is Java's wording, not the reader's.
        for (int k = 0; k < digits.length(); k++) {
            if (Character.digit(digits.charAt(k), radix) < 0 || digits.charAt(k) > 0x7f) {
                throw new NumberFormatException("invalid literal for int() with base 0: '" + text + "'");
            }
        }
        BigInteger value = new BigInteger(digits, radix);
        return Numbers.smallest(negative ? value.negate() : value);
    }

    /**
     * The FLOAT opcode's argument as CPython's C unpickler reads it (PyOS_string_to_double): an
     * optional sign, then digits with an optional point and exponent, or inf, infinity or nan in any
     * case. No spaces, underscores or hex, which Java's parser would accept; too large is an error.
     */
    static double parseFloat(String text) {
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        String word = text.substring(i).toLowerCase(java.util.Locale.ROOT);
        if (word.equals("inf") || word.equals("infinity")) {
            return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (word.equals("nan")) {
            return Double.NaN;
        }
        int digits = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits > 0 && i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int mark = ++i;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                i = mark - 1; // "1e" reads as 1 followed by junk, as strtod does
            }
        }
        if (digits == 0 || i != n) {
            throw new NumberFormatException("could not convert string to float: '" + text + "'");
        }
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw new NumberFormatException("value too large to convert to float: '" + text + "'");
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The STRING opcode's argument: a Python 2 string literal in single or double quotes, decoded as
     * Python's {@code codecs.escape_decode} does.
     */
    static byte[] unquoteString(byte[] line) {
        int n = line.length;
        if (n < 2 || line[0] != line[n - 1] || (line[0] != '\'' && line[0] != '"')) {
            throw new IllegalArgumentException("the STRING opcode argument must be quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        int end = n - 1;
        for (int i = 1; i < end; i++) {
            int c = line[i] & 0xff;
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i >= end) {
                throw new IllegalArgumentException("Trailing \\ in string");
            }
            c = line[i] & 0xff;
            switch (c) {
                case '\n' -> { }
                case '\\', '\'', '"' -> out.write(c);
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case 'x' -> {
                    int hi = i + 1 < end ? Character.digit(line[i + 1], 16) : -1;
                    int lo = i + 2 < end ? Character.digit(line[i + 2], 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw new IllegalArgumentException("invalid \\x escape at position " + (i - 2));
                    }
                    out.write(hi * 16 + lo);
                    i += 2;
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int value = c - '0';
                        for (int k = 0; k < 2 && i + 1 < end && line[i + 1] >= '0' && line[i + 1] <= '7'; k++) {
                            value = value * 8 + (line[++i] - '0');
                        }
                        out.write(value & 0xff);
                    } else {
                        out.write('\\');
                        out.write(c);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** Python's raw-unicode-escape decoding: Latin-1, except \\uXXXX and \\UXXXXXXXX after an odd run of backslashes. */
    static String rawUnicodeEscape(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int c = bytes[i] & 0xff;
            if (c != '\\') {
                out.append((char) c);
                i++;
                continue;
            }
            int run = 0;
            while (i < end && bytes[i] == '\\') {
                run++;
                i++;
            }
            boolean escape = (run & 1) == 1 && i < end && (bytes[i] == 'u' || bytes[i] == 'U');
            for (int k = 0; k < (escape ? run - 1 : run); k++) {
                out.append('\\');
            }
            if (escape) {
                int digits = bytes[i] == 'u' ? 4 : 8;
                if (i + digits >= end) {
                    throw new IllegalArgumentException("truncated \\" + (char) bytes[i] + " escape");
                }
                int cp = 0;
                for (int k = 1; k <= digits; k++) {
                    int d = Character.digit(bytes[i + k], 16);
                    if (d < 0) {
                        throw new IllegalArgumentException("truncated \\" + (char) bytes[i] + " escape");
                    }
                    cp = cp * 16 + d;
                }
                if (cp < 0 || cp > Character.MAX_CODE_POINT) {
                    throw new IllegalArgumentException("\\U escape out of range");
                }
                out.appendCodePoint(cp);
                i += digits + 1;
            }
        }
        return out.toString();
    }
}
