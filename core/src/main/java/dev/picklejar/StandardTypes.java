package dev.picklejar;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Python globals that picklejar turns into Java values instead of inert {@link PyObject}s:
 * {@code set}, {@code frozenset}, {@code bytes}, {@code bytearray}, {@code complex}, the
 * {@code datetime} types, {@code Decimal} and {@code UUID}. Each conversion is pure data work; it
 * never runs anything named by the stream. Strict mode admits only these globals.
 */
final class StandardTypes {
    private StandardTypes() {
    }

    static final PyGlobal SET = new PyGlobal("builtins", "set");
    static final PyGlobal FROZENSET = new PyGlobal("builtins", "frozenset");
    static final PyGlobal BYTES = new PyGlobal("builtins", "bytes");
    static final PyGlobal BYTEARRAY = new PyGlobal("builtins", "bytearray");
    static final PyGlobal COMPLEX = new PyGlobal("builtins", "complex");
    static final PyGlobal OBJECT = new PyGlobal("builtins", "object");
    static final PyGlobal ENCODE = new PyGlobal("_codecs", "encode");
    static final PyGlobal RECONSTRUCTOR = new PyGlobal("copyreg", "_reconstructor");
    static final PyGlobal DATETIME = new PyGlobal("datetime", "datetime");
    static final PyGlobal DATE = new PyGlobal("datetime", "date");
    static final PyGlobal TIME = new PyGlobal("datetime", "time");
    static final PyGlobal TIMEDELTA = new PyGlobal("datetime", "timedelta");
    static final PyGlobal TIMEZONE = new PyGlobal("datetime", "timezone");
    static final PyGlobal DECIMAL = new PyGlobal("decimal", "Decimal");
    static final PyGlobal UUID_CLASS = new PyGlobal("uuid", "UUID");
    static final PyGlobal ARRAY = new PyGlobal("array", "array");
    static final PyGlobal ARRAY_RECONSTRUCTOR = new PyGlobal("array", "_array_reconstructor");
    static final PyGlobal FRACTION = new PyGlobal("fractions", "Fraction");
    static final PyGlobal GETATTR = new PyGlobal("builtins", "getattr");
    static final PyGlobal ZONEINFO = new PyGlobal("zoneinfo", "ZoneInfo");
    static final PyGlobal IPV4_ADDRESS = new PyGlobal("ipaddress", "IPv4Address");
    static final PyGlobal IPV6_ADDRESS = new PyGlobal("ipaddress", "IPv6Address");

    /** The globals strict mode admits. */
    static final Set<PyGlobal> KNOWN = Set.of(SET, FROZENSET, BYTES, BYTEARRAY, COMPLEX, OBJECT, ENCODE,
            RECONSTRUCTOR, DATETIME, DATE, TIME, TIMEDELTA, TIMEZONE, DECIMAL, UUID_CLASS, ARRAY, ARRAY_RECONSTRUCTOR,
            FRACTION, IPV4_ADDRESS, IPV6_ADDRESS);

    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
    private static final java.util.regex.Pattern PYTHON_DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * The Java value for {@code callable(*args)} when the callable is a known global, or null to keep
     * the call as an inert PyObject. Throws IllegalArgumentException where Python itself would fail.
     */
    static Object reduce(PyGlobal callable, PyTuple args) {
        if (!isKnownModule(callable.module())) {
            return null;
        }
        int n = args.size();
        if (callable.equals(SET)) {
            return n == 0 ? new LinkedHashSet<>() : n == 1 && args.get(0) instanceof Collection<?> c ? toSet(c) : null;
        }
        if (callable.equals(FROZENSET)) {
            return n == 0 ? PyFrozenSet.wrap(new LinkedHashSet<>())
                    : n == 1 && args.get(0) instanceof Collection<?> c ? PyFrozenSet.wrap(toSet(c)) : null;
        }
        if (callable.equals(ENCODE)) {
            return n == 2 && args.get(0) instanceof String text && args.get(1) instanceof String enc
                    ? encode(text, enc) : null;
        }
        if (callable.equals(BYTES)) {
            return n == 0 ? new byte[0] : null;
        }
        if (callable.equals(BYTEARRAY)) {
            return bytearray(args);
        }
        if (callable.equals(COMPLEX)) {
            return n == 2 && args.get(0) instanceof Double re && args.get(1) instanceof Double im
                    ? new PyComplex(re, im) : null;
        }
        if (callable.equals(DATETIME)) {
            return datetime(args);
        }
        if (callable.equals(DATE)) {
            byte[] s = n == 1 ? DateTimes.state(args.get(0), 4) : null;
            return s == null || !DateTimes.inPythonYears(s) ? null : DateTimes.orNull(() -> DateTimes.date(s));
        }
        if (callable.equals(TIME)) {
            return time(args);
        }
        if (callable.equals(TIMEDELTA)) {
            return timedelta(args);
        }
        if (callable.equals(TIMEZONE)) {
            return n == 1 && args.get(0) instanceof Duration d ? DateTimes.offset(d) : null;
        }
        if (callable.equals(ARRAY)) {
            return n == 2 && args.get(0) instanceof String code && args.get(1) instanceof java.util.List<?> items
                    ? StandardLibrary.array(code, items) : null;
        }
        if (callable.equals(ARRAY_RECONSTRUCTOR)) {
            return n == 4 && ARRAY.equals(args.get(0)) && args.get(1) instanceof String code
                    && args.get(2) instanceof Integer format && args.get(3) instanceof byte[] bytes
                    ? StandardLibrary.array(code, format, bytes) : null;
        }
        if (callable.equals(FRACTION)) {
            return n == 2 ? StandardLibrary.fraction(args.get(0), args.get(1)) : null;
        }
        if (callable.equals(IPV4_ADDRESS)) {
            return n == 1 ? StandardLibrary.ipv4(args.get(0)) : null;
        }
        if (callable.equals(IPV6_ADDRESS)) {
            return n == 1 && args.get(0) instanceof String text ? StandardLibrary.ipv6(text) : null;
        }
        if (callable.equals(GETATTR)) {
            // getattr(cls, 'NAME'): an enum member by name. Names with an underscore are methods and
            // other attributes (ZoneInfo._unpickle), which stay calls.
            return n == 2 && args.get(0) instanceof PyGlobal cls && args.get(1) instanceof String name
                    && !name.isEmpty() && name.charAt(0) != '_' ? new PyEnumMember(cls, name) : null;
        }
        if (callable.equals(DECIMAL)) {
            if (n == 1 && args.get(0) instanceof byte[]) {
                throw new IllegalArgumentException("conversion from bytes to Decimal is not supported");
            }
            return n == 1 && args.get(0) instanceof String text ? decimal(text) : null;
        }
        return null;
    }

    private static boolean isKnownModule(String module) {
        return switch (module) {
            case "builtins", "_codecs", "datetime", "decimal", "array", "fractions", "ipaddress" -> true;
            default -> false;
        };
    }

    private static Set<Object> toSet(Collection<?> items) {
        Set<Object> set = new LinkedHashSet<>(Math.max(16, (int) (items.size() / 0.75f) + 1));
        for (Object item : items) {
            if (!Values.isHashable(item)) {
                throw new IllegalArgumentException("unhashable type: '" + Values.typeName(item) + "'");
            }
            set.add(item);
        }
        return set;
    }

    private static byte[] encode(String text, String encoding) {
        Charset charset = switch (encoding.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1" -> StandardCharsets.ISO_8859_1;
            case "ascii", "us-ascii" -> StandardCharsets.US_ASCII;
            default -> null;
        };
        if (charset == null) {
            return null;
        }
        byte[] bytes = new byte[text.length()];
        int max = charset == StandardCharsets.US_ASCII ? 0x7f : 0xff;
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            if (c > max) {
                throw new IllegalArgumentException("'" + encoding + "' codec can't encode character at position " + i);
            }
            bytes[i] = (byte) c;
        }
        return bytes;
    }

    private static Object bytearray(PyTuple args) {
        if (args.isEmpty()) {
            return new PyByteArray(new byte[0]);
        }
        if (args.size() == 1 && args.get(0) instanceof byte[] b) {
            return new PyByteArray(b.clone());
        }
        if (args.size() == 2 && args.get(0) instanceof String text && args.get(1) instanceof String enc) {
            byte[] b = encode(text, enc);
            return b == null ? null : new PyByteArray(b);
        }
        return null;
    }

    private static Object datetime(PyTuple args) {
        int n = args.size();
        byte[] s = n == 1 || n == 2 ? DateTimes.state(args.get(0), 10) : null;
        if (s == null || (s[2] & 0x7f) < 1 || (s[2] & 0x7f) > 12 || !DateTimes.inPythonYears(s)) {
            return null;
        }
        if (DateTimes.fold(s, 2)) {
            // java.time has no fold: keep the PyObject so nothing is lost, but for a named zone,
            // where fold=1 in an overlap is the later offset.
            LocalDateTime local = DateTimes.orNull(() -> DateTimes.dateTime(s));
            return local != null && n == 2 && args.get(1) instanceof java.time.ZoneId zone
                    && !(zone instanceof ZoneOffset) ? StandardLibrary.zoned(local, zone, true) : null;
        }
        LocalDateTime local = DateTimes.orNull(() -> DateTimes.dateTime(s));
        if (local == null) {
            return null;
        }
        if (n == 1 || args.get(1) == null) {
            return local;
        }
        if (args.get(1) instanceof ZoneOffset offset) {
            return local.atOffset(offset);
        }
        return args.get(1) instanceof java.time.ZoneId zone ? StandardLibrary.zoned(local, zone, false) : null;
    }

    private static Object time(PyTuple args) {
        int n = args.size();
        byte[] s = n == 1 || n == 2 ? DateTimes.state(args.get(0), 6) : null;
        if (s == null || (s[0] & 0x7f) >= 24 || DateTimes.fold(s, 0)) {
            return null;
        }
        LocalTime local = DateTimes.orNull(() -> DateTimes.time(s));
        if (local == null) {
            return null;
        }
        if (n == 1 || args.get(1) == null) {
            return local;
        }
        return args.get(1) instanceof ZoneOffset offset ? local.atOffset(offset) : null;
    }

    private static Object timedelta(PyTuple args) {
        if (args.size() != 3) {
            return null;
        }
        for (Object a : args) {
            if (!(a instanceof Integer || a instanceof Long)) {
                return null;
            }
        }
        try {
            Duration d = DateTimes.timedelta(((Number) args.get(0)).longValue(), ((Number) args.get(1)).longValue(),
                    ((Number) args.get(2)).longValue());
            if (d == null) {
                throw new IllegalArgumentException("days must be in -999999999..999999999");
            }
            return d;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timedelta out of range", e);
        }
    }

    /** A Decimal from its str(): BigDecimal when it can hold the value exactly, else PyDecimal. */
    static Object decimal(String text) {
        String t = text.strip();
        String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("nan") || lower.startsWith("snan") || lower.startsWith("inf")) {
            return new PyDecimal(t);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(t);
        } catch (NumberFormatException e) {
            // Valid for Python but beyond BigDecimal's int scale (1E+2147483648): kept as text.
            return PYTHON_DECIMAL.matcher(t).matches() ? new PyDecimal(t) : null;
        }
        if (value.signum() == 0 && t.startsWith("-")) {
            return new PyDecimal(t);
        }
        // Only keep a BigDecimal when writing it back gives the very same text.
        return value.toString().equals(t) ? value : new PyDecimal(t);
    }

    /** A uuid.UUID built by NEWOBJ or copyreg._reconstructor with a state of exactly {'int': n}. */
    static UUID uuid(PyObject object, Object state) {
        if (!isUuidClass(object) || !(state instanceof Map<?, ?> map)) {
            return null;
        }
        if (!map.containsKey("int")) {
            // UUID.__setstate__ reads state['int'] (a Python 2 pickle loaded with encoding='bytes' has b'int').
            throw new IllegalArgumentException("KeyError: 'int' in the state of uuid.UUID");
        }
        if (map.size() != 1) {
            return null;
        }
        Object value = map.get("int");
        if (!Numbers.isInt(value)) {
            return null;
        }
        BigInteger n = Numbers.toBigInteger(value);
        if (n.signum() < 0 || n.compareTo(TWO_128) >= 0) {
            return null;
        }
        return new UUID(n.shiftRight(64).longValue(), n.longValue());
    }

    /** Whether an object is uuid.UUID's, built before its state: what BUILD may turn into a {@link UUID}. */
    static boolean isUuidClass(PyObject object) {
        PyTuple args = object.args();
        return switch (object.construction()) {
            case NEWOBJ -> UUID_CLASS.equals(object.callable()) && args.isEmpty();
            case REDUCE -> RECONSTRUCTOR.equals(object.callable()) && args.size() == 3
                    && UUID_CLASS.equals(args.get(0)) && OBJECT.equals(args.get(1)) && args.get(2) == null;
            default -> false;
        };
    }
}
