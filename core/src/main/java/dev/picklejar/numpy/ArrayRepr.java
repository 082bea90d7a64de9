package dev.picklejar.numpy;

import dev.picklejar.PyComplex;
import dev.picklejar.Repr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * numpy 2's {@code repr(array)} with its default print options (precision 8, threshold 1000,
 * edgeitems 3, linewidth 75), after {@code numpy/_core/arrayprint.py}: {@code array([1. , 2.5])},
 * {@code array([0, 1, 2], dtype=int32)}, summaries with {@code ...} and {@code shape=}.
 * Floats use the shortest digits that read back to the same value, as numpy's Dragon4 does;
 * complex, structured and float16 items print their Python repr instead (a documented departure).
 */
final class ArrayRepr {
    private static final int PRECISION = 8;
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 75;

    private ArrayRepr() {
    }

    static String of(NdArray a) {
        String prefix = "array(";
        int[] shape = a.shape();
        boolean summarize = a.size() > THRESHOLD;
        String body;
        if (a.size() == 0) {
            body = "[]";
        } else {
            Function<Object, String> format = formatter(a.dtype(), shownValues(a, summarize), shape.length == 0);
            // array2string wraps at linewidth - len(suffix), the suffix being the closing ")"
            body = new Formatter(a, format, summarize).recurse(new int[0], " ".repeat(prefix.length() + 1), LINE_WIDTH - 1);
        }
        List<String> extras = new ArrayList<>();
        if ((a.size() == 0 && !(shape.length == 1 && shape[0] == 0)) || summarize) {
            extras.add("shape=" + shapeRepr(shape));
        }
        if (!dtypeIsImplied(a.dtype()) || a.size() == 0) {
            extras.add("dtype=" + shortRepr(a.dtype()));
        }
        if (extras.isEmpty()) {
            return prefix + body + ")";
        }
        String arr = prefix + body + ",";
        String extra = String.join(", ", extras) + ")";
        int lastLine = arr.length() - (arr.lastIndexOf('\n') + 1);
        String spacer = lastLine + extra.length() + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length()) : " ";
        return arr + spacer + extra;
    }

    private static String shapeRepr(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static boolean dtypeIsImplied(DType d) {
        if (d.isStructured() || !d.isNative()) {
            return false;
        }
        return d.kind() == 'b' || (d.kind() == 'i' && d.itemSize() == 8) || (d.kind() == 'f' && d.itemSize() == 8)
                || (d.kind() == 'c' && d.itemSize() == 16);
    }

    /** numpy's {@code dtype_short_repr}. */
    static String shortRepr(DType d) {
        if (d.names() != null) {
            return d.reprBody();
        }
        if (d.kind() == 'S' || d.kind() == 'U' || d.kind() == 'V') {
            return "'" + (d.subarrayBase() != null ? d.reprBody() : d.str()) + "'";
        }
        if (d.kind() == 'O') {
            return "object";
        }
        if (!d.isNative()) {
            return "'" + d.str() + "'";
        }
        String name = d.name();
        return name.chars().allMatch(Character::isLetterOrDigit) ? name : "'" + name + "'";
    }

    /** The values numpy formats to size its columns: all of them, or the corners of a summary. */
    private static List<Object> shownValues(NdArray a, boolean summarize) {
        int[] shape = a.shape();
        List<Object> out = new ArrayList<>();
        int[] index = new int[shape.length];
        int n = a.size();
        for (int k = 0; k < n; k++) {
            boolean shown = true;
            for (int i = 0; i < shape.length && summarize; i++) {
                if (shape[i] > 2 * EDGE && index[i] >= EDGE && index[i] < shape[i] - EDGE) {
                    shown = false;
                    break;
                }
            }
            if (shown) {
                out.add(a.getFlat(k));
            }
            for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
        return out;
    }

    static Function<Object, String> formatter(DType d, List<Object> values, boolean zeroD) {
        if (d.names() != null) {
            List<Function<Object, String>> fields = new ArrayList<>();
            for (int f = 0; f < d.names().size(); f++) {
                List<Object> column = new ArrayList<>();
                for (Object v : values) {
                    column.add(((List<?>) v).get(f));
                }
                fields.add(formatter(d.fields().get(d.names().get(f)).type(), column, false));
            }
            return v -> {
                List<?> record = (List<?>) v;
                StringBuilder b = new StringBuilder("(");
                for (int f = 0; f < fields.size(); f++) {
                    b.append(f > 0 ? ", " : "").append(fields.get(f).apply(record.get(f)));
                }
                return b.append(fields.size() == 1 ? ",)" : ")").toString();
            };
        }
        switch (d.kind()) {
            case 'M':
            case 'm': {
                List<String> texts = new ArrayList<>();
                for (Object v : values) {
                    texts.add(timelike(d, (Long) v));
                }
                int width = 0;
                for (String t : texts) {
                    width = Math.max(width, t.length());
                }
                int w = width;
                return v -> pad(timelike(d, (Long) v), w);
            }
            case 'b': {
                String t = zeroD ? "True" : " True";
                return v -> (Boolean) v ? t : "False";
            }
            case 'i':
            case 'u': {
                int width = 0;
                for (Object v : values) {
                    width = Math.max(width, v.toString().length());
                }
                int w = width;
                return v -> pad(v.toString(), w);
            }
            case 'f':
                if (d.itemSize() <= 8) {
                    return new FloatFormat(values, d.itemSize(), false)::format;
                }
                return Repr::of;
            case 'U':
            case 'S':
                return Repr::of;
            case 'O':
                return v -> v instanceof List && !(v instanceof dev.picklejar.PyTuple) ? "list(" + Repr.of(v) + ")" : Repr.of(v);
            case 'c': {
                if (d.itemSize() > 16) {
                    return Repr::of;
                }
                List<Object> re = new ArrayList<>();
                List<Object> im = new ArrayList<>();
                for (Object v : values) {
                    re.add(((PyComplex) v).real());
                    im.add(((PyComplex) v).imag());
                }
                FloatFormat real = new FloatFormat(re, d.itemSize() / 2, false);
                FloatFormat imag = new FloatFormat(im, d.itemSize() / 2, true);
                return v -> {
                    String r = real.format(((PyComplex) v).real());
                    String i = imag.format(((PyComplex) v).imag());
                    int sp = i.stripTrailing().length();
                    return r + i.substring(0, sp) + "j" + i.substring(sp);
                };
            }
            default:
                return Repr::of;
        }
    }

    /** The shortest decimal that reads back as the float (Java 17's Float.toString is not always shortest). */
    static String shortestFloat(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f) || f == 0) {
            return Float.toString(f);
        }
        BigDecimal exact = new BigDecimal(f);
        for (int p = 1; p < 12; p++) {
            BigDecimal r = exact.round(new java.math.MathContext(p, RoundingMode.HALF_EVEN));
            if (Float.parseFloat(r.toString()) == f) {
                return r.toString();
            }
        }
        return exact.toString();
    }

    /** A datetime64 as numpy prints it in an array ({@code '2020-01-01'}), a timedelta64 as its count. */
    static String timelike(DType d, long v) {
        if (v == Long.MIN_VALUE) {
            return "'NaT'";
        }
        if (d.kind() == 'm') {
            return Long.toString(v);
        }
        String unit = d.unit();
        java.time.LocalDateTime epoch = java.time.LocalDateTime.of(1970, 1, 1, 0, 0);
        try {
            String text = switch (unit) {
                case "Y" -> String.format("%04d", 1970 + v);
                case "M" -> epoch.plusMonths(v).toLocalDate().toString().substring(0, 7);
                case "D" -> epoch.plusDays(v).toLocalDate().toString();
                case "h" -> epoch.plusHours(v).toString().substring(0, 13);
                case "m" -> epoch.plusMinutes(v).toString().substring(0, 16);
                case "s" -> seconds(epoch, v, 1, 0);
                case "ms" -> seconds(epoch, v, 1000, 3);
                case "us" -> seconds(epoch, v, 1_000_000, 6);
                case "ns" -> seconds(epoch, v, 1_000_000_000, 9);
                default -> null;
            };
            return text == null ? Long.toString(v) : "'" + text + "'";
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return Long.toString(v);
        }
    }

    private static String seconds(java.time.LocalDateTime epoch, long v, long perSecond, int digits) {
        java.time.LocalDateTime t = epoch.plusSeconds(Math.floorDiv(v, perSecond));
        String base = String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
        if (digits == 0) {
            return base;
        }
        String frac = Long.toString(Math.floorMod(v, perSecond));
        return base + "." + "0".repeat(digits - frac.length()) + frac;
    }

    /** The shortest decimal that reads back as the float16 value. */
    static String shortestHalf(float f) {
        if (f == 0) {
            return Float.toString(f);
        }
        BigDecimal exact = new BigDecimal(f);
        short h = floatToHalf(f);
        for (int p = 1; p < 12; p++) {
            BigDecimal r = exact.round(new java.math.MathContext(p, RoundingMode.HALF_EVEN));
            if (floatToHalf(Float.parseFloat(r.toString())) == h) {
                return r.toString();
            }
        }
        return exact.toString();
    }

    /** float to IEEE 754 binary16, rounding to nearest even. */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (((bits >>> 23) & 0xff) == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        if (exp >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (exp << 10) | (mant >> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** numpy's {@code _formatArray}: nested brackets, line wrapping, the summary's {@code ...}. */
    private static final class Formatter {
        private final NdArray a;
        private final int[] shape;
        private final Function<Object, String> format;
        private final boolean summarize;

        Formatter(NdArray a, Function<Object, String> format, boolean summarize) {
            this.a = a;
            this.shape = a.shape();
            this.format = format;
            this.summarize = summarize;
        }

        String recurse(int[] index, String hanging, int width) {
            int axis = index.length;
            int left = shape.length - axis;
            if (left == 0) {
                return format.apply(a.get(index));
            }
            String nextHanging = hanging + " ";
            int nextWidth = width - 1;
            int len = shape[axis];
            boolean summary = summarize && 2 * EDGE < len;
            int leading = summary ? EDGE : 0;
            int trailing = summary ? EDGE : len;
            StringBuilder s = new StringBuilder();
            if (left == 1) {
                int elemWidth = width - 1;
                String[] line = {hanging};
                for (int i = 0; i < leading; i++) {
                    extend(s, line, recurse(with(index, i), nextHanging, nextWidth), elemWidth, hanging);
                    line[0] += ", ";
                }
                if (summary) {
                    extend(s, line, "...", elemWidth, hanging);
                    line[0] += ", ";
                }
                for (int i = trailing; i > 1; i--) {
                    extend(s, line, recurse(with(index, len - i), nextHanging, nextWidth), elemWidth, hanging);
                    line[0] += ", ";
                }
                extend(s, line, recurse(with(index, len - 1), nextHanging, nextWidth), elemWidth, hanging);
                s.append(line[0]);
            } else {
                String lineSep = "," + "\n".repeat(left - 1);
                for (int i = 0; i < leading; i++) {
                    s.append(hanging).append(recurse(with(index, i), nextHanging, nextWidth)).append(lineSep);
                }
                if (summary) {
                    s.append(hanging).append("...").append(lineSep);
                }
                for (int i = trailing; i > 1; i--) {
                    s.append(hanging).append(recurse(with(index, len - i), nextHanging, nextWidth)).append(lineSep);
                }
                s.append(hanging).append(recurse(with(index, len - 1), nextHanging, nextWidth));
            }
            return "[" + s.substring(hanging.length()) + "]";
        }

        private static int[] with(int[] index, int i) {
            int[] next = java.util.Arrays.copyOf(index, index.length + 1);
            next[index.length] = i;
            return next;
        }

        /** numpy's {@code _extendLine} (a word of several lines, an object array's, is not re-indented). */
        private static void extend(StringBuilder s, String[] line, String word, int width, String hanging) {
            boolean wrap = line[0].length() + word.length() > width && line[0].length() > hanging.length();
            if (wrap) {
                s.append(line[0].stripTrailing()).append('\n');
                line[0] = hanging;
            }
            line[0] += word;
        }
    }

    /** numpy's {@code FloatingFormat} in its default 'maxprec' mode. */
    private static final class FloatFormat {
        private final int size;
        private final boolean plus;
        private boolean exp;
        private int padLeft;
        private int padRight;
        private int precision = PRECISION;
        private int expSize = -1;

        FloatFormat(List<Object> values, int size, boolean plus) {
            this.size = size;
            this.plus = plus;
            List<BigDecimal> finite = new ArrayList<>();
            boolean nonFinite = false;
            boolean negInf = false;
            double max = 0;
            double min = Double.MAX_VALUE;
            for (Object v : values) {
                double x = ((Number) v).doubleValue();
                if (Double.isNaN(x) || Double.isInfinite(x)) {
                    nonFinite = true;
                    negInf |= x == Double.NEGATIVE_INFINITY;
                    continue;
                }
                finite.add(null);
                double ax = Math.abs(x);
                if (ax != 0) {
                    max = Math.max(max, ax);
                    min = Math.min(min, ax);
                }
            }
            if (max != 0) {
                double cutoff = size == 2 ? 1e3 : size == 4 ? 1e6 : 1e8;
                exp = max >= cutoff || min < 0.0001 || max / min > 1000.;
            }
            if (finite.isEmpty()) {
                padLeft = 0;
                padRight = 0;
            } else if (exp) {
                int frac = 0;
                int intPart = 0;
                int expLen = 0;
                for (Object v : values) {
                    double x = ((Number) v).doubleValue();
                    if (Double.isNaN(x) || Double.isInfinite(x)) {
                        continue;
                    }
                    String[] s = scientific(x, PRECISION, 0);
                    intPart = Math.max(intPart, s[0].length());
                    frac = Math.max(frac, s[1].length());
                    expLen = Math.max(expLen, s[2].length());
                }
                expSize = expLen - 1;
                precision = frac;
                padLeft = intPart;
                padRight = expSize + 2 + precision;
            } else {
                for (Object v : values) {
                    double x = ((Number) v).doubleValue();
                    if (Double.isNaN(x) || Double.isInfinite(x)) {
                        continue;
                    }
                    String[] s = positional(x);
                    padLeft = Math.max(padLeft, s[0].length());
                    padRight = Math.max(padRight, s[1].length());
                }
            }
            if (nonFinite) {
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf || plus ? 1 : 0) - offset));
            }
        }

        String format(Object v) {
            double x = ((Number) v).doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                String ret = Double.isNaN(x) ? (plus ? "+nan" : "nan") : x < 0 ? "-inf" : plus ? "+inf" : "inf";
                return " ".repeat(Math.max(0, padLeft + padRight + 1 - ret.length())) + ret;
            }
            if (exp) {
                String[] s = scientific(x, precision, precision);
                String e = s[2].substring(1);
                String digits = e.length() < expSize ? "0".repeat(expSize - e.length()) + e : e;
                return pad(s[0], padLeft) + "." + s[1] + "e" + s[2].charAt(0) + digits;
            }
            String[] s = positional(x);
            return pad(s[0], padLeft) + "." + s[1] + " ".repeat(padRight - s[1].length());
        }

        /** The shortest decimal that reads back as the value (in its own precision). */
        private BigDecimal shortest(double x) {
            return new BigDecimal(size == 8 ? Repr.of(x) : size == 4 ? shortestFloat((float) x) : shortestHalf((float) x));
        }

        private double exact(double x) {
            return size == 8 ? x : (float) x;
        }

        /** Dragon4 positional, unique, at most PRECISION fractional digits, trim '.': {int, frac}. */
        private String[] positional(double x) {
            BigDecimal d = shortest(x);
            if (d.scale() > PRECISION) {
                d = new BigDecimal(exact(x)).setScale(PRECISION, RoundingMode.HALF_EVEN);
            }
            d = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            String plain = d.scale() <= 0 ? d.setScale(0).toPlainString() : d.toPlainString();
            boolean negative = x < 0 || (x == 0 && 1 / x < 0);
            if (negative && !plain.startsWith("-")) {
                plain = "-" + plain;
            } else if (!negative && plus) {
                plain = "+" + plain;
            }
            int dot = plain.indexOf('.');
            return dot < 0 ? new String[] {plain, ""} : new String[] {plain.substring(0, dot), plain.substring(dot + 1)};
        }

        /** Dragon4 scientific, unique, at most {@code digits} fractional digits, padded to {@code min}: {int, frac, exp}. */
        private String[] scientific(double x, int digits, int min) {
            boolean negative = x < 0 || (x == 0 && 1 / x < 0);
            BigDecimal d = shortest(Math.abs(x));
            if (d.signum() == 0) {
                String frac = "0".repeat(min);
                return new String[] {negative ? "-0" : plus ? "+0" : "0", frac, "+00"};
            }
            d = d.stripTrailingZeros();
            int exponent = d.precision() - d.scale() - 1;
            if (d.precision() - 1 > digits) {
                BigDecimal exact = new BigDecimal(exact(Math.abs(x)));
                d = exact.round(new java.math.MathContext(digits + 1, RoundingMode.HALF_EVEN)).stripTrailingZeros();
                exponent = d.precision() - d.scale() - 1;
            }
            if (d.precision() - 1 < min) {
                // Dragon4's min_digits: the digits past the shortest come from the exact value, rounded
                BigDecimal exact = new BigDecimal(exact(Math.abs(x)));
                d = exact.round(new java.math.MathContext(min + 1, RoundingMode.HALF_EVEN));
                exponent = d.precision() - d.scale() - 1;
            }
            String unscaled = d.unscaledValue().toString();
            String frac = unscaled.substring(1);
            if (frac.length() < min) {
                frac = frac + "0".repeat(min - frac.length());
            }
            String e = Integer.toString(Math.abs(exponent));
            if (e.length() < 2) {
                e = "0" + e;
            }
            return new String[] {(negative ? "-" : plus ? "+" : "") + unscaled.charAt(0), frac, (exponent < 0 ? "-" : "+") + e};
        }
    }
}
