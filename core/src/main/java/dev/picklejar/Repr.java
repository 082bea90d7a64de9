package dev.picklejar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Python's {@code repr()} of the value a Java value stands for, character for character what
 * CPython 3.11 prints: {@code None}, {@code 0.1}, {@code 'it\'s'}, {@code b'\x00'},
 * {@code (1,)}, {@code {'a': [1, 2]}}, {@code datetime.datetime(2024, 1, 2, 3, 4)},
 * {@code OrderedDict([('a', 1)])}, and so on.
 *
 * <p>Java values map to Python values as picklejar loads and writes them: {@code null} is
 * {@code None}; {@code Boolean} bool; {@code Byte}..{@code BigInteger} int; {@code Double} and
 * {@code Float} float; {@code String} and {@code Character} str; {@code byte[]} bytes;
 * {@link PyByteArray} bytearray; {@link PyTuple} (and {@code Object[]}) tuple; other lists list;
 * maps dict; {@link PyFrozenSet} frozenset; other sets set; {@link PyComplex} complex;
 * {@code BigDecimal} and {@link PyDecimal} Decimal; {@code UUID} UUID; the {@code java.time} types
 * datetime, date, time, timedelta and timezone ({@code ZonedDateTime} with a region zone and a bare
 * region {@code ZoneId} print as {@code zoneinfo.ZoneInfo}). Cycles print as CPython prints them
 * ({@code [...]}, {@code {...}}, {@code (...)}, {@code set(...)}), and nothing recurses on the Java
 * stack, so a value nested a million deep prints without a {@code StackOverflowError}.
 *
 * <p>{@link PyGlobal}s and {@link PyObject}s of the standard library print as CPython prints them:
 * built-in classes, functions and constants ({@code <class 'int'>}, {@code <built-in function len>},
 * {@code Ellipsis}), well-known classes ({@code <class 'collections.OrderedDict'>}),
 * {@code OrderedDict}, {@code Counter}, {@code deque}, {@code defaultdict}, {@code range},
 * {@code slice}, {@code complex(1, 2)} calls, built-in exceptions (OSError with an errno becomes
 * the subclass CPython on Linux makes of it), UUIDs built from their state, and the
 * {@code datetime}, {@code time}, {@code date}, {@code timedelta}, {@code timezone} and
 * {@code zoneinfo.ZoneInfo} objects that stay {@code PyObject}s (fold=1, named time zones).
 * Python itself would print any other global or object with a memory address, so picklejar prints
 * a single line of pseudo-Python instead:
 * <ul>
 *   <li>a global: its dotted name, {@code mymod.Point};</li>
 *   <li>an object built by REDUCE, INST or OBJ: the call, {@code mymod.Point(1, 2)} (a callable in
 *       {@code builtins} is shown by its bare name, {@code getattr(mymod.Point, 'make')});</li>
 *   <li>an object built by NEWOBJ or NEWOBJ_EX: {@code mymod.Point.__new__(mymod.Point, 1, k=2)};</li>
 *   <li>then, in the order a pickle applies them, the items appended, {@code .extend([1, 2])}, the
 *       items set, {@code .update({'a': 1})}, the items added, {@code .update({1, 2})}, and the
 *       state given to BUILD, {@code .__setstate__({'x': 1})};</li>
 *   <li>an object met again inside itself: {@code ...}.</li>
 * </ul>
 * Any other Java value prints as its {@code toString()}. {@code Repr.of} never throws.
 *
 * <p>A graph that shares values prints each share in full, as Python does, so a pickle of a few
 * hundred bytes (a list holding one list twice, sixty levels deep) can have a repr longer than any
 * memory: {@link #of(Object, long)} refuses to go past a length, and {@link #abbreviated(Object)}
 * prints a short line whatever the value, as Python's {@code reprlib.repr} does.
 */
public final class Repr {
    /** Python's {@code reprlib.Repr} defaults, and the node budget that bounds one abbreviated line. */
    private static final int MAX_LEVEL = 6;
    private static final int MAX_ITEMS = 6;
    private static final int MAX_DICT = 4;
    private static final int MAX_STRING = 30;
    private static final int MAX_LONG = 40;
    private static final int MAX_OTHER = 30;
    /** Most values one abbreviated line shows; the rest print as {@code ...}. */
    static final int NODE_BUDGET = 200;

    private Repr() {
    }

    /**
     * Python's {@code repr()} of the value. Its length has no bound: see {@link #of(Object, long)}.
     * @param value a loaded value, or any value picklejar writes
     * @return the repr, as Python prints it
     */
    public static String of(Object value) {
        StringBuilder out = new StringBuilder();
        new Printer(out, null, Long.MAX_VALUE).print(value);
        return out.toString();
    }

    /**
     * Python's {@code repr()} of the value, or {@link TooLongException} as soon as it passes
     * {@code maxLength} characters: memory and time stay proportional to {@code maxLength}, even for
     * a value whose shared references expand exponentially.
     * @param value a loaded value, or any value picklejar writes
     * @param maxLength the longest repr allowed, in characters
     * @return the repr
     * @throws TooLongException if the repr would be longer than {@code maxLength}
     */
    public static String of(Object value, long maxLength) {
        StringBuilder out = new StringBuilder();
        new Printer(out, null, maxLength).print(value);
        return out.toString();
    }

    /**
     * Writes Python's {@code repr()} of the value to {@code sink} as it is made, a few tens of
     * kilobytes at a time, so a huge repr never exists whole in memory; {@link TooLongException} as
     * soon as it passes {@code maxLength} characters, when up to that many have been written.
     *
     * @param value a loaded value, or any value picklejar writes
     * @param maxLength the longest repr allowed, in characters
     * @param sink where the repr goes, a piece at a time (a {@code Writer}, a {@code StringBuilder}...)
     * @throws TooLongException if the repr would be longer than {@code maxLength}
     * @throws IOException when the sink fails
     */
    public static void write(Object value, long maxLength, Appendable sink) throws IOException {
        StringBuilder out = new StringBuilder(CHUNK + 1024);
        Printer printer = new Printer(out, null, maxLength);
        printer.sink = sink;
        try {
            printer.print(value);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        sink.append(out);
    }

    /** How many characters {@link #write} gathers before it hands them to its sink. */
    private static final int CHUNK = 1 << 15;

    /**
     * A short repr for a log or an event line, abbreviated as Python's {@code reprlib.repr} abbreviates
     * (its default {@code Repr}: six items of a list, tuple, set, frozenset or deque and four of a
     * dict, then {@code ...}; six levels of nesting, then {@code [...]}; a str cut to 30 characters,
     * an int to 40 digits and any other scalar's repr to 30, keeping both ends around {@code ...}),
     * and within a budget of 200 values in all, so its length and cost have a bound whatever the
     * value. Objects print in the pseudo-Python of {@link #of(Object)}, their parts abbreviated.
     * Unlike reprlib, which sorts the keys of a dict and the items of a set when it can, the items
     * keep their stream order (the order {@link #of(Object)} and Python's own repr print).
     * @param value any value
     * @return the abbreviated repr
     */
    public static String abbreviated(Object value) {
        StringBuilder out = new StringBuilder();
        new Printer(out, new Budget(), Long.MAX_VALUE).print(value);
        return out.toString();
    }

    /** A repr would pass the length it was allowed ({@link #of(Object, long)}). */
    public static final class TooLongException extends RuntimeException {
        /** The length the repr was allowed. */
        private final long maxLength;

        TooLongException(long maxLength) {
            super("its repr is longer than " + maxLength + " characters"
                    + " (shared values repeat in a repr, as many times as they are reached)");
            this.maxLength = maxLength;
        }

        /** {@return the length that was passed} */
        public long maxLength() {
            return maxLength;
        }
    }

    /** What an abbreviated repr has left to spend. */
    private static final class Budget {
        int nodes = NODE_BUDGET;
    }

    /** Python's {@code repr()} of a float, for example {@code 0.1}, {@code 1e+16} or {@code -inf}. */
    static String ofFloat(double value) {
        StringBuilder out = new StringBuilder(24);
        appendFloat(out, value, true);
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------
    // Scalars

    /**
     * Appends Python's repr of a float. Without {@code dotZero}, integral values print without
     * {@code .0}, as the parts of a complex number do.
     */
    static void appendFloat(StringBuilder out, double value, boolean dotZero) {
        if (value != value) {
            out.append("nan");
            return;
        }
        long bits = Double.doubleToRawLongBits(value);
        if (bits < 0) {
            out.append('-');
        }
        if (Double.isInfinite(value)) {
            out.append("inf");
            return;
        }
        if (value == 0) {
            out.append(dotZero ? "0.0" : "0");
            return;
        }
        Shortest.append(out, bits, dotZero);
    }

    /** Appends Python's repr of a str: quotes chosen as CPython chooses them, escapes as it makes them. */
    static void appendStr(StringBuilder out, CharSequence s) {
        int n = s.length();
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                single = true;
            } else if (c == '"') {
                dbl = true;
            }
        }
        char quote = single && !dbl ? '"' : '\'';
        out.append(quote);
        appendStrBody(out, s, quote);
        out.append(quote);
    }

    /** The characters of a str repr between the quotes; {@code quote} is -1 for a bare name. */
    private static void appendStrBody(StringBuilder out, CharSequence s, int quote) {
        int n = s.length();
        for (int i = 0; i < n; ) {
            char c = s.charAt(i++);
            if (c < 0x7f) {
                if (c == quote || c == '\\') {
                    out.append('\\').append(c);
                } else if (c >= ' ') {
                    out.append(c);
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else {
                    appendHex(out.append("\\x"), c, 2);
                }
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(s.charAt(i))) {
                cp = Character.toCodePoint(c, s.charAt(i++));
            }
            if (Printable.isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp < 0x100) {
                appendHex(out.append("\\x"), cp, 2);
            } else if (cp < 0x10000) {
                appendHex(out.append("\\u"), cp, 4);
            } else {
                appendHex(out.append("\\U"), cp, 8);
            }
        }
    }

    /**
     * Appends Python's repr of bytes ({@code b'...'}). CPython's bytearray repr escapes a single
     * quote even inside double quotes ({@code bytearray(b"\'")}); bytes escapes only its own quote.
     */
    static void appendBytes(StringBuilder out, byte[] bytes, boolean bytearray) {
        char quote = bytesQuote(bytes);
        out.append('b').append(quote);
        appendBytesBody(out, bytes, 0, bytes.length, quote, bytearray);
        out.append(quote);
    }

    private static char bytesQuote(byte[] bytes) {
        boolean single = false;
        boolean dbl = false;
        for (byte b : bytes) {
            if (b == '\'') {
                single = true;
            } else if (b == '"') {
                dbl = true;
            }
        }
        return single && !dbl ? '"' : '\'';
    }

    private static void appendBytesBody(StringBuilder out, byte[] bytes, int from, int to, char quote,
            boolean bytearray) {
        for (int k = from; k < to; k++) {
            int c = bytes[k] & 0xff;
            if (c == quote || c == '\\' || bytearray && c == '\'') {
                out.append('\\').append((char) c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < ' ' || c >= 0x7f) {
                appendHex(out.append("\\x"), c, 2);
            } else {
                out.append((char) c);
            }
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void appendHex(StringBuilder out, int value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(value >>> shift) & 0xf]);
        }
    }

    /** complex.__repr__: parts without {@code .0}; the real part only when it is not +0.0. */
    private static void appendComplex(StringBuilder out, PyComplex z) {
        double re = z.real();
        double im = z.imag();
        if (Double.doubleToRawLongBits(re) == 0) {
            appendFloat(out, im, false);
            out.append('j');
            return;
        }
        out.append('(');
        appendFloat(out, re, false);
        if (im != im || Double.doubleToRawLongBits(im) >= 0) {
            out.append('+'); // a NaN prints unsigned, whatever its sign bit
        }
        appendFloat(out, im, false);
        out.append("j)");
    }

    /** timedelta.__repr__ of a normalized days/seconds/microseconds triple. */
    private static void appendTimedelta(StringBuilder out, long days, long seconds, long micros) {
        out.append("datetime.timedelta(");
        String sep = "";
        if (days != 0) {
            out.append("days=").append(days);
            sep = ", ";
        }
        if (seconds != 0) {
            out.append(sep).append("seconds=").append(seconds);
            sep = ", ";
        }
        if (micros != 0) {
            out.append(sep).append("microseconds=").append(micros);
            sep = ", ";
        }
        if (sep.isEmpty()) {
            out.append('0');
        }
        out.append(')');
    }

    /** Python keeps microseconds; a Duration's extra nanoseconds are dropped (loading never makes them). */
    private static void appendDuration(StringBuilder out, Duration d) {
        long seconds = d.getSeconds();
        appendTimedelta(out, Math.floorDiv(seconds, 86400L), Math.floorMod(seconds, 86400L), d.getNano() / 1000);
    }

    /** The end of an aware datetime's or time's repr: {@code , tzinfo=...)}. */
    private static void appendTzinfo(StringBuilder out, ZoneOffset offset) {
        out.append(", tzinfo=");
        appendZoneOffset(out, offset);
        out.append(')');
    }

    private static void appendZoneOffset(StringBuilder out, ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            out.append("datetime.timezone.utc");
            return;
        }
        out.append("datetime.timezone(");
        appendTimedelta(out, Math.floorDiv(seconds, 86400), Math.floorMod(seconds, 86400), 0);
        out.append(')');
    }

    private static void appendZone(StringBuilder out, ZoneId zone) {
        if (zone instanceof ZoneOffset offset) {
            appendZoneOffset(out, offset);
        } else {
            out.append("zoneinfo.ZoneInfo(key=");
            appendStr(out, zone.getId());
            out.append(')');
        }
    }

    /** The part of datetime.__repr__ before fold and tzinfo, without the closing parenthesis. */
    private static void appendDateTimeFields(StringBuilder out, int year, int month, int day, int hour, int minute,
                                             int second, int micro) {
        out.append("datetime.datetime(").append(year).append(", ").append(month).append(", ").append(day)
                .append(", ").append(hour).append(", ").append(minute);
        appendSecondAndMicro(out, second, micro);
    }

    /** The part of time.__repr__ before tzinfo and fold, without the closing parenthesis. */
    private static void appendTimeFields(StringBuilder out, int hour, int minute, int second, int micro) {
        out.append("datetime.time(").append(hour).append(", ").append(minute);
        appendSecondAndMicro(out, second, micro);
    }

    private static void appendSecondAndMicro(StringBuilder out, int second, int micro) {
        if (micro != 0) {
            out.append(", ").append(second).append(", ").append(micro);
        } else if (second != 0) {
            out.append(", ").append(second);
        }
    }

    private static void appendDate(StringBuilder out, int year, int month, int day) {
        out.append("datetime.date(").append(year).append(", ").append(month).append(", ").append(day).append(')');
    }

    private static void appendDateTime(StringBuilder out, LocalDateTime t) {
        appendDateTimeFields(out, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
                t.getSecond(), t.getNano() / 1000);
    }

    private static void appendTime(StringBuilder out, LocalTime t) {
        appendTimeFields(out, t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    }

    private static void appendZoned(StringBuilder out, ZonedDateTime t) {
        appendDateTime(out, t.toLocalDateTime());
        if (!(t.getZone() instanceof ZoneOffset)) {
            // In a repeated hour Python's fold=1 picks the later offset, as Java's withLaterOffsetAtOverlap.
            ZoneOffsetTransition transition = t.getZone().getRules().getTransition(t.toLocalDateTime());
            if (transition != null && transition.isOverlap() && t.getOffset().equals(transition.getOffsetAfter())) {
                out.append(", fold=1");
            }
        }
        out.append(", tzinfo=");
        appendZone(out, t.getZone());
        out.append(')');
    }

    /** A global's module or name, escaped like str contents so that the line stays one line. */
    private static void appendName(StringBuilder out, String name) {
        appendStrBody(out, name, -1);
    }

    private static void appendDottedName(StringBuilder out, PyGlobal g) {
        appendName(out, g.module());
        out.append('.');
        appendName(out, g.name());
    }

    private static boolean isBuiltins(String module) {
        return module.equals("builtins") || module.equals("__builtin__");
    }

    /** The classes in builtins, as {@code dir(builtins)} lists them (the aliases map to their class). */
    private static final Map<String, String> BUILTIN_CLASSES = classMap(
            "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
            "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
            "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
            "DeprecationWarning", "EOFError", "EncodingWarning", "EnvironmentError=OSError", "Exception",
            "ExceptionGroup", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
            "GeneratorExit", "IOError=OSError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
            "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
            "ModuleNotFoundError", "NameError", "NotADirectoryError", "NotImplementedError", "OSError",
            "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError", "RecursionError",
            "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning", "StopAsyncIteration",
            "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit", "TabError",
            "TimeoutError", "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError",
            "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError", "Warning",
            "ZeroDivisionError",
            "bool", "bytearray", "bytes", "classmethod", "complex", "dict", "enumerate", "filter", "float",
            "frozenset", "int", "list", "map", "memoryview", "object", "property", "range", "reversed", "set",
            "slice", "staticmethod", "str", "super", "tuple", "type", "zip");

    /** Built-in classes that are not exceptions; every other built-in class is one. */
    private static final Set<String> BUILTIN_NON_EXCEPTIONS = Set.of(
            "bool", "bytearray", "bytes", "classmethod", "complex", "dict", "enumerate", "filter", "float",
            "frozenset", "int", "list", "map", "memoryview", "object", "property", "range", "reversed", "set",
            "slice", "staticmethod", "str", "super", "tuple", "type", "zip");

    private static final Set<String> BUILTIN_FUNCTIONS = Set.of(
            "__build_class__", "__import__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "breakpoint",
            "callable", "chr", "compile", "delattr", "dir", "divmod", "eval", "exec", "format", "getattr",
            "globals", "hasattr", "hash", "hex", "id", "input", "isinstance", "issubclass", "iter", "len", "locals",
            "max", "min", "next", "oct", "open", "ord", "pow", "print", "repr", "round", "setattr", "sorted", "sum",
            "vars");

    private static final Set<String> BUILTIN_CONSTANTS = Set.of("Ellipsis", "NotImplemented", "None", "True", "False");

    /** OSError and its subclasses, which share OSError's constructor. */
    private static final Set<String> OS_ERRORS = Set.of(
            "OSError", "BlockingIOError", "ChildProcessError", "ConnectionError", "BrokenPipeError",
            "ConnectionAbortedError", "ConnectionRefusedError", "ConnectionResetError", "FileExistsError",
            "FileNotFoundError", "InterruptedError", "IsADirectoryError", "NotADirectoryError", "PermissionError",
            "ProcessLookupError", "TimeoutError");

    /** The OSError subclass CPython on Linux makes for an errno, as {@code type(OSError(n, 'x'))} shows. */
    private static final Map<Long, String> LINUX_ERRNO_CLASSES = Map.ofEntries(
            Map.entry(1L, "PermissionError"), Map.entry(2L, "FileNotFoundError"), Map.entry(3L, "ProcessLookupError"),
            Map.entry(4L, "InterruptedError"), Map.entry(10L, "ChildProcessError"), Map.entry(11L, "BlockingIOError"),
            Map.entry(13L, "PermissionError"), Map.entry(17L, "FileExistsError"), Map.entry(20L, "NotADirectoryError"),
            Map.entry(21L, "IsADirectoryError"), Map.entry(32L, "BrokenPipeError"),
            Map.entry(103L, "ConnectionAbortedError"), Map.entry(104L, "ConnectionResetError"),
            Map.entry(108L, "BrokenPipeError"), Map.entry(110L, "TimeoutError"),
            Map.entry(111L, "ConnectionRefusedError"), Map.entry(114L, "BlockingIOError"),
            Map.entry(115L, "BlockingIOError"));

    /** Standard-library classes whose repr is {@code <class 'module.Name'>}. */
    private static final Set<String> KNOWN_CLASSES = Set.of(
            "collections.OrderedDict", "collections.Counter", "collections.deque", "collections.defaultdict",
            "collections.ChainMap", "collections.UserDict", "collections.UserList", "collections.UserString",
            "datetime.date", "datetime.time", "datetime.datetime", "datetime.timedelta", "datetime.timezone",
            "datetime.tzinfo", "decimal.Decimal", "fractions.Fraction", "uuid.UUID", "zoneinfo.ZoneInfo",
            "functools.partial", "pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePath",
            "pathlib.PurePosixPath", "pathlib.PureWindowsPath", "array.array", "operator.itemgetter",
            "operator.attrgetter", "types.SimpleNamespace", "re.Pattern", "ipaddress.IPv4Address");

    /** The typecodes of array.array. */
    private static final String ARRAY_CODES = "bBuhHiIlLqQfd";

    /** Standard-library functions written in C, whose repr is {@code <built-in function name>}. */
    private static final Set<String> KNOWN_BUILTIN_FUNCTIONS = Set.of(
            "_codecs.encode", "codecs.encode", "functools.reduce", "_functools.reduce",
            "array._array_reconstructor", "operator.getitem", "_operator.getitem");

    private static Map<String, String> classMap(String... names) {
        Map<String, String> map = new HashMap<>();
        for (String n : names) {
            int eq = n.indexOf('=');
            map.put(eq < 0 ? n : n.substring(0, eq), eq < 0 ? n : n.substring(eq + 1));
        }
        return Map.copyOf(map);
    }

    private static void appendGlobal(StringBuilder out, PyGlobal g) {
        String module = g.module();
        String name = g.name();
        if (isBuiltins(module)) {
            String cls = BUILTIN_CLASSES.get(name);
            if (cls != null) {
                out.append("<class '").append(cls).append("'>");
                return;
            }
            if (BUILTIN_FUNCTIONS.contains(name)) {
                out.append("<built-in function ").append(name).append('>');
                return;
            }
            if (BUILTIN_CONSTANTS.contains(name)) {
                out.append(name);
                return;
            }
        } else {
            String dotted = module + "." + name;
            if (KNOWN_CLASSES.contains(dotted)) {
                out.append("<class '").append(dotted).append("'>");
                return;
            }
            if (KNOWN_BUILTIN_FUNCTIONS.contains(dotted)) {
                out.append("<built-in function ").append(name).append('>');
                return;
            }
        }
        appendDottedName(out, g);
    }

    private static boolean isGlobal(Object o, String module, String name) {
        return o instanceof PyGlobal g && g.name().equals(name)
                && (g.module().equals(module) || module.equals("builtins") && isBuiltins(g.module()));
    }

    /** An int of any Java integer type as a long, or null when it is not one or does not fit. */
    private static Long asLong(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        return null;
    }

    /** A str key's value, found without Map.get, which a sorted map of other keys would throw on. */
    private static Object entry(Map<?, ?> map, String key) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (key.equals(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean within(long value, long bound) {
        return -bound <= value && value <= bound;
    }

    private static boolean isInt(Object o) {
        return o instanceof Integer || o instanceof Long || o instanceof BigInteger || o instanceof Short
                || o instanceof Byte;
    }

    /**
     * The bytes of a pickled datetime/time/date state: {@code bytes}, a str of chars below 256 (a
     * Python 2 pickle loaded with encoding latin1), or an unconverted {@code _codecs.encode(s, 'latin1')}.
     */
    private static int[] stateBytes(Object state, int length) {
        if (state instanceof byte[] b) {
            if (b.length != length) {
                return null;
            }
            int[] v = new int[length];
            for (int i = 0; i < length; i++) {
                v[i] = b[i] & 0xff;
            }
            return v;
        }
        if (state instanceof PyObject p && isGlobal(p.callable(), "_codecs", "encode") && p.args().size() == 2
                && "latin1".equals(p.args().get(1))) {
            state = p.args().get(0);
        }
        if (state instanceof String s && s.length() == length) {
            int[] v = new int[length];
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                if (c > 0xff) {
                    return null;
                }
                v[i] = c;
            }
            return v;
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // reprlib's abbreviations

    /** reprlib's repr_str: a str longer than 30 characters keeps 13 at the start and 14 at the end. */
    private static void appendAbbreviatedStr(StringBuilder out, String s) {
        StringBuilder full = new StringBuilder();
        appendStr(full, s.length() > MAX_STRING ? s.substring(0, MAX_STRING) : s);
        if (full.length() <= MAX_STRING) {
            out.append(full);
            return;
        }
        int i = (MAX_STRING - 3) / 2;
        int j = MAX_STRING - 3 - i;
        StringBuilder cut = new StringBuilder();
        // x[:i] + x[len(x)-j:], with Python's clamping: a short str full of escapes is taken twice.
        appendStr(cut, s.substring(0, Math.min(i, s.length())) + s.substring(Math.max(0, s.length() - j)));
        out.append(cut, 0, i).append("...").append(cut, cut.length() - j, cut.length());
    }

    /**
     * reprlib's repr_instance for bytes and bytearray: the whole repr cut to 13 characters, {@code ...}
     * and 14, made from the bytes at both ends only (each byte prints as one to four characters).
     */
    private static void appendAbbreviatedBytes(StringBuilder out, String prefix, byte[] b, boolean bytearray,
            String suffix) {
        int ends = MAX_OTHER;
        if (b.length <= 2 * ends) {
            int start = out.length();
            out.append(prefix);
            appendBytes(out, b, bytearray);
            out.append(suffix);
            cutMiddle(out, start, MAX_OTHER);
            return;
        }
        // The quote depends on every byte; the text at each end, only on the bytes there.
        char quote = bytesQuote(b);
        StringBuilder head = new StringBuilder(prefix).append('b').append(quote);
        appendBytesBody(head, b, 0, ends, quote, bytearray);
        StringBuilder tail = new StringBuilder();
        appendBytesBody(tail, b, b.length - ends, b.length, quote, bytearray);
        tail.append(quote).append(suffix);
        int i = (MAX_OTHER - 3) / 2;
        int j = MAX_OTHER - 3 - i;
        out.append(head, 0, i).append("...").append(tail, tail.length() - j, tail.length());
    }

    private static void appendAbbreviatedBigInt(StringBuilder out, BigInteger n) {
        int i = (MAX_LONG - 3) / 2;
        int j = MAX_LONG - 3 - i;
        BigInteger abs = n.abs();
        String low = abs.mod(BigInteger.TEN.pow(j)).toString();
        low = "0".repeat(j - low.length()) + low;
        // The leading digits: divide by a power of ten that leaves about i of them.
        int digits = (int) Math.floor((abs.bitLength() - 1) * Math.log10(2)) + 1;
        String high = abs.divide(BigInteger.TEN.pow(Math.max(0, digits - i - 2))).toString();
        out.append(n.signum() < 0 ? "-" : "").append(high, 0, n.signum() < 0 ? i - 1 : i).append("...").append(low);
    }

    /** Cuts what was appended since {@code start} to its first and last characters around {@code ...}. */
    private static void cutMiddle(StringBuilder out, int start, int max) {
        int length = out.length() - start;
        if (length <= max) {
            return;
        }
        int i = (max - 3) / 2;
        int j = max - 3 - i;
        out.replace(start + i, out.length() - j, "...");
    }

    // ---------------------------------------------------------------------------------------
    // Containers and objects: an explicit stack of frames, never Java recursion

    private static final Object END = new Object();

    /** Literal text inside a {@link Parts} frame (a str value is a plain String, never a Text). */
    private record Text(String text) {
    }

    private static final Text CLOSE_PAREN = new Text(")");
    private static final Text COMMA = new Text(", ");

    /** A container or object being printed: yields its values one by one and writes the punctuation. */
    private abstract static class Frame {
        /** Written when the frame starts. */
        String open = "";
        /** Marked as being printed while the frame runs: met again, it prints as a cycle. */
        Object guard;
        /** Whether {@link #guard} is a defaultdict factory rather than a container. */
        boolean factoryGuard;
        /** Most items shown before {@code ...} (abbreviated reprs only). */
        int limit = Integer.MAX_VALUE;
        /** Items shown so far. */
        int shown;

        /** The text that closes the frame when it is cut short; null when it cannot be cut. */
        String close() {
            return null;
        }

        /** Writes punctuation and returns the next value to print, a {@link Frame} to run first, or END. */
        abstract Object next(StringBuilder out);
    }

    /** Comma-separated values, then {@code close}. */
    private static final class Items extends Frame {
        private final Iterator<?> items;
        private final String close;
        private boolean started;

        Items(String open, Iterator<?> items, String close) {
            this.open = open;
            this.items = items;
            this.close = close;
        }

        @Override
        String close() {
            return close;
        }

        @Override
        Object next(StringBuilder out) {
            if (!items.hasNext()) {
                out.append(close);
                return END;
            }
            if (started) {
                out.append(", ");
            }
            started = true;
            if (shown++ == limit) {
                out.append("...").append(close);
                return END;
            }
            return items.next();
        }
    }

    /** {@code key: value} entries, or {@code (key, value)} pairs, comma-separated, then {@code close}. */
    private static final class Entries extends Frame {
        private final Iterator<? extends Map.Entry<?, ?>> entries;
        private final String close;
        private final boolean pairs;
        private Object pendingValue;
        private int state; // 0: before an entry, 1: key printed, 2: value printed (pairs only)
        private boolean started;

        Entries(String open, Iterator<? extends Map.Entry<?, ?>> entries, String close, boolean pairs) {
            this.open = open;
            this.entries = entries;
            this.close = close;
            this.pairs = pairs;
        }

        @Override
        String close() {
            return close;
        }

        @Override
        Object next(StringBuilder out) {
            if (state == 1) {
                out.append(pairs ? ", " : ": ");
                state = pairs ? 2 : 0;
                Object value = pendingValue;
                pendingValue = null;
                return value;
            }
            if (state == 2) {
                out.append(')');
                state = 0;
            }
            if (!entries.hasNext()) {
                out.append(close);
                return END;
            }
            if (started) {
                out.append(", ");
            }
            started = true;
            if (shown++ == limit) {
                out.append("...").append(close);
                return END;
            }
            Map.Entry<?, ?> e = entries.next();
            if (pairs) {
                out.append('(');
            }
            pendingValue = e.getValue();
            state = 1;
            return e.getKey();
        }
    }

    /** A fixed sequence of values, {@link Text}s and sub-frames. */
    private static final class Parts extends Frame {
        private final Object[] parts;
        private int index;

        Parts(String open, Object... parts) {
            this.open = open;
            this.parts = parts;
        }

        @Override
        Object next(StringBuilder out) {
            while (index < parts.length) {
                Object part = parts[index++];
                if (part instanceof Text t) {
                    out.append(t.text());
                } else {
                    return part;
                }
            }
            return END;
        }
    }

    /** Prints one value into a StringBuilder, keeping the cycle guard and the frame stack. */
    private static final class Printer {
        private final StringBuilder out;
        private final ArrayDeque<Frame> stack = new ArrayDeque<>();
        private final Set<Object> active = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Object> activeFactories = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Null for a full repr. */
        private final Budget budget;
        private final long maxLength;
        /** Where {@link Repr#write} sends each full chunk of {@link #out}; null when the repr is returned whole. */
        Appendable sink;
        /** Characters already sent to the sink. */
        private long written;

        Printer(StringBuilder out, Budget budget, long maxLength) {
            this.out = out;
            this.budget = budget;
            this.maxLength = maxLength;
        }

        void print(Object value) {
            emit(value);
            while (!stack.isEmpty()) {
                if (written + out.length() > maxLength) {
                    throw new TooLongException(maxLength);
                }
                if (sink != null && out.length() >= CHUNK) {
                    flushChunk();
                }
                Frame frame = stack.peek();
                Object next = frame.next(out);
                if (next == END) {
                    stack.pop();
                    if (frame.guard != null) {
                        (frame.factoryGuard ? activeFactories : active).remove(frame.guard);
                    }
                } else if (next instanceof Frame sub) {
                    push(sub);
                } else {
                    emit(next);
                }
            }
            if (written + out.length() > maxLength) {
                throw new TooLongException(maxLength);
            }
        }

        private void flushChunk() {
            try {
                sink.append(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written += out.length();
            out.setLength(0);
        }

        private void push(Frame frame) {
            if (budget != null) {
                String close = frame.close();
                if (stack.size() >= MAX_LEVEL) {
                    // reprlib's maxlevel: a container this deep shows as [...], an object as ...
                    out.append(close == null ? "..." : frame.open + "..." + close);
                    return;
                }
                if (close != null) {
                    frame.limit = frame instanceof Entries e && !e.pairs ? MAX_DICT : MAX_ITEMS;
                }
            }
            out.append(frame.open);
            if (frame.guard != null) {
                (frame.factoryGuard ? activeFactories : active).add(frame.guard);
            }
            stack.push(frame);
        }

        private void push(Frame frame, Object guard) {
            frame.guard = guard;
            push(frame);
        }

        /** Prints a scalar at once; starts a frame for a container. */
        private void emit(Object v) {
            if (budget == null) {
                emitFull(v);
                if (written + out.length() > maxLength) {
                    throw new TooLongException(maxLength);
                }
                return;
            }
            if (budget.nodes-- <= 0) {
                out.append("...");
                return;
            }
            if (v instanceof String s) {
                appendAbbreviatedStr(out, s);
                return;
            }
            if (v instanceof byte[] b) {
                appendAbbreviatedBytes(out, "", b, false, "");
                return;
            }
            if (v instanceof PyByteArray b) {
                appendAbbreviatedBytes(out, "bytearray(", b.bytes(), true, ")");
                return;
            }
            if (v instanceof BigInteger n && n.bitLength() > 4 * MAX_LONG * 4) {
                // Only both ends of the digits show: no need to print a huge int whole (quadratic).
                appendAbbreviatedBigInt(out, n);
                return;
            }
            int start = out.length();
            int depth = stack.size();
            emitFull(v);
            if (stack.size() == depth) {
                int max = v instanceof Number && !(v instanceof Double || v instanceof Float || v instanceof BigDecimal)
                        ? MAX_LONG : MAX_OTHER;
                cutMiddle(out, start, max);
            }
        }

        private void emitFull(Object v) {
            if (v == null) {
                out.append("None");
            } else if (v instanceof String s) {
                appendStr(out, s);
            } else if (v instanceof Integer || v instanceof Long) {
                out.append(v);
            } else if (v instanceof Double d) {
                appendFloat(out, d, true);
            } else if (v instanceof Boolean b) {
                out.append(b ? "True" : "False");
            } else if (v instanceof PyTuple t) {
                emitTuple(t, t);
            } else if (v instanceof List<?> list) {
                if (list.isEmpty()) {
                    out.append("[]");
                } else if (active.contains(list)) {
                    out.append("[...]");
                } else {
                    push(new Items("[", list.iterator(), "]"), list);
                }
            } else if (v instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    out.append("{}");
                } else if (active.contains(map)) {
                    out.append("{...}");
                } else {
                    push(new Entries("{", map.entrySet().iterator(), "}", false), map);
                }
            } else if (v instanceof Set<?> set) {
                String type = set instanceof PyFrozenSet ? "frozenset" : "set";
                if (set.isEmpty()) {
                    out.append(type).append("()");
                } else if (active.contains(set)) {
                    out.append(type).append("(...)");
                } else if (set instanceof PyFrozenSet) {
                    push(new Items("frozenset({", set.iterator(), "})"), set);
                } else {
                    push(new Items("{", set.iterator(), "}"), set);
                }
            } else if (v instanceof byte[] b) {
                appendBytes(out, b, false);
            } else if (v instanceof PyObject o) {
                emitObject(o);
            } else if (v instanceof PyGlobal g) {
                appendGlobal(out, g);
            } else if (v instanceof BigInteger || v instanceof Short || v instanceof Byte) {
                out.append(v);
            } else if (v instanceof Float f) {
                appendFloat(out, f, true);
            } else if (v instanceof Character c) {
                appendStr(out, String.valueOf(c.charValue()));
            } else if (v instanceof PyByteArray b) {
                out.append("bytearray(");
                appendBytes(out, b.bytes(), true);
                out.append(')');
            } else if (v instanceof PyComplex z) {
                appendComplex(out, z);
            } else if (v instanceof Object[] array) {
                emitTuple(Arrays.asList(array), array);
            } else if (v instanceof BigDecimal d) {
                out.append("Decimal(");
                appendStr(out, d.toString());
                out.append(')');
            } else if (v instanceof PyDecimal d) {
                out.append("Decimal(");
                appendStr(out, d.text());
                out.append(')');
            } else if (v instanceof UUID u) {
                out.append("UUID('").append(u).append("')");
            } else if (v instanceof LocalDateTime t) {
                appendDateTime(out, t);
                out.append(')');
            } else if (v instanceof OffsetDateTime t) {
                appendDateTime(out, t.toLocalDateTime());
                appendTzinfo(out, t.getOffset());
            } else if (v instanceof ZonedDateTime t) {
                appendZoned(out, t);
            } else if (v instanceof LocalDate d) {
                appendDate(out, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            } else if (v instanceof LocalTime t) {
                appendTime(out, t);
                out.append(')');
            } else if (v instanceof OffsetTime t) {
                appendTime(out, t.toLocalTime());
                appendTzinfo(out, t.getOffset());
            } else if (v instanceof Duration d) {
                appendDuration(out, d);
            } else if (v instanceof ZoneId z) {
                appendZone(out, z);
            } else if (v instanceof PyArray a) {
                emitArray(a);
            } else if (PyArray.typecodeOf(v) != 0) {
                emitArray(PyArray.of(PyArray.typecodeOf(v), v)); // how the Pickler writes it by default
            } else if (v instanceof PyFraction f) {
                out.append(f);
            } else if (v instanceof java.net.Inet4Address ip) {
                out.append("IPv4Address('").append(ip.getHostAddress()).append("')");
            } else if (v instanceof java.net.Inet6Address ip) {
                out.append("IPv6Address(");
                appendStr(out, StandardLibrary.ipv6Text(ip));
                out.append(')');
            } else if (v instanceof PyEnumMember m) {
                // Python prints <Color.RED: 1>, but the value is not in a pickle by name.
                appendDottedName(out, m.enumClass());
                out.append('.');
                appendName(out, m.name());
            } else {
                appendForeign(v);
            }
        }

        private void emitTuple(List<?> items, Object identity) {
            if (items.isEmpty()) {
                out.append("()");
            } else if (active.contains(identity)) {
                out.append("(...)");
            } else {
                push(new Items("(", items.iterator(), items.size() == 1 ? ",)" : ")"), identity);
            }
        }

        private void appendForeign(Object v) {
            String text;
            try {
                text = String.valueOf(v);
            } catch (RuntimeException | StackOverflowError e) {
                text = null;
            }
            if (text == null) {
                text = v.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(v));
            }
            out.append(text);
        }

        // -------------------------------------------------------------------------------------
        // PyObjects

        private void emitObject(PyObject o) {
            PyGlobal g = o.global();
            boolean called = o.construction() != PyObject.Construction.NEWOBJ
                    && o.construction() != PyObject.Construction.NEWOBJ_EX;
            if (g != null && called && g.module().equals("collections") && g.name().equals("defaultdict")
                    && emitDefaultDict(o)) {
                return;
            }
            if (active.contains(o)) {
                out.append(g != null && called && g.module().equals("collections") && g.name().equals("deque")
                        ? "[...]" : "...");
                return;
            }
            if (!(called && emitKnownObject(o, g)) && !emitKnownInstance(o)) {
                emitGeneric(o);
            }
        }

        /**
         * Instances made without calling their class (NEWOBJ, or the protocol 0-1 spelling
         * {@code copyreg._reconstructor(cls, object, None)}) and then given a state: a UUID whose
         * {@code is_safe} is known stays such an object, and prints as {@code UUID('...')}.
         */
        private boolean emitKnownInstance(PyObject o) {
            PyGlobal cls = null;
            PyTuple args = o.args();
            if (o.construction() == PyObject.Construction.NEWOBJ && args.isEmpty()) {
                cls = o.global();
            } else if (o.construction() == PyObject.Construction.REDUCE
                    && isGlobal(o.callable(), "copyreg", "_reconstructor") && args.size() == 3
                    && isGlobal(args.get(1), "builtins", "object") && args.get(2) == null
                    && args.get(0) instanceof PyGlobal g) {
                cls = g;
            }
            if (cls == null || !cls.module().equals("uuid") || !cls.name().equals("UUID")
                    || !(o.state() instanceof Map<?, ?> state) || !isInt(entry(state, "int"))) {
                return false;
            }
            Object n = entry(state, "int");
            BigInteger value = n instanceof BigInteger b ? b : BigInteger.valueOf(((Number) n).longValue());
            if (value.signum() < 0 || value.bitLength() > 128) {
                return false;
            }
            out.append("UUID('").append(new UUID(value.shiftRight(64).longValue(), value.longValue())).append("')");
            return true;
        }

        /** The standard-library objects whose repr CPython prints without an address. */
        private boolean emitKnownObject(PyObject o, PyGlobal g) {
            PyTuple args = o.args();
            if (g == null) {
                return emitZoneInfo(o);
            }
            String module = g.module();
            String name = g.name();
            if (isBuiltins(module)) {
                switch (name) {
                    case "range", "xrange":
                        return emitRange(args);
                    case "slice":
                        return emitSlice(o, args);
                    case "complex":
                        return emitComplexCall(args);
                    default:
                        String cls = BUILTIN_CLASSES.get(name);
                        return cls != null && !BUILTIN_NON_EXCEPTIONS.contains(cls) && emitException(o, cls, args);
                }
            }
            switch (module) {
                case "collections":
                    switch (name) {
                        case "OrderedDict":
                            return emitOrderedDict(o, args);
                        case "Counter":
                            return emitCounter(o, args);
                        case "deque":
                            return emitDeque(o, args);
                        default:
                            return false;
                    }
                case "datetime":
                    switch (name) {
                        case "datetime":
                            return emitDateTimeObject(o, args);
                        case "time":
                            return emitTimeObject(o, args);
                        case "date":
                            return emitDateObject(args);
                        case "timedelta":
                            return emitTimedeltaObject(args);
                        case "timezone":
                            return emitTimezoneObject(o, args);
                        default:
                            return false;
                    }
                case "zoneinfo":
                    return name.equals("ZoneInfo._unpickle") && emitZoneInfoKey(o, args);
                case "fractions", "array", "re", "functools", "pathlib", "ipaddress":
                    return emitStandardLibraryObject(o, module, name, args);
                default:
                    return false;
            }
        }

        // The standard library's other types, as their reduce calls pickle them (CPython 3.11).

        private boolean emitStandardLibraryObject(PyObject o, String module, String name, PyTuple args) {
            if (o.construction() != PyObject.Construction.REDUCE && o.construction() != PyObject.Construction.INST
                    && o.construction() != PyObject.Construction.OBJ) {
                return false;
            }
            boolean noState = !o.hasState() && o.listItems().isEmpty() && o.dictItems().isEmpty();
            switch (module + "." + name) {
                case "fractions.Fraction":
                    return noState && emitFraction(args);
                case "array.array":
                    return noState && emitArrayOfList(o, args);
                case "array._array_reconstructor":
                    return noState && emitArrayOfBytes(args);
                case "re._compile":
                    return noState && emitPattern(args);
                case "functools.partial":
                    return emitPartial(o, args);
                case "pathlib.PurePosixPath", "pathlib.PosixPath":
                    return noState && emitPath(name, args, false);
                case "pathlib.PureWindowsPath", "pathlib.WindowsPath":
                    return noState && emitPath(name, args, true);
                case "ipaddress.IPv4Address":
                    if (noState && args.size() == 1 && isInt(args.get(0))) {
                        long ip = ((Number) args.get(0)).longValue();
                        if (args.get(0) instanceof Boolean || ip < 0 || ip > 0xffffffffL) {
                            return false;
                        }
                        out.append("IPv4Address('").append(ip >>> 24).append('.').append((ip >>> 16) & 0xff).append('.')
                                .append((ip >>> 8) & 0xff).append('.').append(ip & 0xff).append("')");
                        return true;
                    }
                    return false;
                case "ipaddress.IPv6Address", "ipaddress.IPv4Network", "ipaddress.IPv6Network",
                        "ipaddress.IPv4Interface", "ipaddress.IPv6Interface":
                    if (noState && args.size() == 1 && args.get(0) instanceof String text) {
                        out.append(name).append('(');
                        appendStr(out, text);
                        out.append(')');
                        return true;
                    }
                    return false;
                default:
                    return false;
            }
        }

        /** Fraction.__repr__: {@code Fraction(3, 7)}, of the value Fraction(n, d) normalizes to. */
        private boolean emitFraction(PyTuple args) {
            if (args.size() != 2 || !isInt(args.get(0)) || !isInt(args.get(1))
                    || args.get(0) instanceof Boolean || args.get(1) instanceof Boolean) {
                return false;
            }
            BigInteger n = Numbers.toBigInteger(args.get(0));
            BigInteger d = Numbers.toBigInteger(args.get(1));
            if (d.signum() == 0 || n.bitLength() > StandardLibrary.MAX_FRACTION_BITS
                    || d.bitLength() > StandardLibrary.MAX_FRACTION_BITS) {
                return false;
            }
            BigInteger g = n.gcd(d);
            if (d.signum() < 0) {
                g = g.negate();
            }
            out.append("Fraction(").append(n.divide(g)).append(", ").append(d.divide(g)).append(')');
            return true;
        }

        /** array.__repr__ of {@code array.array(typecode, list)}, how protocols 0-2 pickle an array. */
        private boolean emitArrayOfList(PyObject o, PyTuple args) {
            if (args.size() != 2 || !(args.get(0) instanceof String code) || code.length() != 1
                    || ARRAY_CODES.indexOf(code.charAt(0)) < 0 || !(args.get(1) instanceof List<?> items)) {
                return false;
            }
            if (code.equals("u")) {
                StringBuilder text = new StringBuilder();
                for (Object item : items) {
                    if (!(item instanceof String c) || c.codePointCount(0, c.length()) != 1) {
                        return false;
                    }
                    text.append(c);
                }
                return emitArray(code, text.toString());
            }
            for (Object item : items) {
                if (!(code.equals("f") || code.equals("d") ? item instanceof Double : isInt(item) && !(item instanceof Boolean))) {
                    return false;
                }
            }
            if (items.isEmpty()) {
                out.append("array('").append(code).append("')");
                return true;
            }
            push(new Parts("array('" + code + "', ", items, CLOSE_PAREN), o);
            return true;
        }

        /**
         * array.__repr__ of {@code array._array_reconstructor(array.array, typecode, mformat_code, bytes)},
         * how protocol 3 and up pickle an array; mformat_code is the machine format of the bytes.
         */
        private boolean emitArrayOfBytes(PyTuple args) {
            if (args.size() != 4 || !isGlobal(args.get(0), "array", "array") || !(args.get(1) instanceof String code)
                    || code.length() != 1 || ARRAY_CODES.indexOf(code.charAt(0)) < 0 || !isInt(args.get(2))
                    || !(args.get(3) instanceof byte[] bytes)) {
                return false;
            }
            long format = ((Number) args.get(2)).longValue();
            if (format < 0 || format > 21) {
                return false;
            }
            int f = (int) format;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes)
                    .order(f % 2 == 0 || f < 2 ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
            int size = f < 2 ? 1 : f < 6 ? 2 : f < 10 ? 4 : f < 14 ? 8 : f < 16 ? 4 : f < 18 ? 8 : f < 20 ? 2 : 4;
            if (bytes.length % size != 0) {
                return false;
            }
            if (f >= 18) {
                if (!code.equals("u")) {
                    return false;
                }
                StringBuilder text = new StringBuilder();
                while (b.hasRemaining()) {
                    int c = size == 2 ? b.getChar() : b.getInt();
                    if (size == 4 && !Character.isValidCodePoint(c)) {
                        return false;
                    }
                    text.appendCodePoint(c);
                }
                return emitArray(code, text.toString());
            }
            if (bytes.length == 0) {
                out.append("array('").append(code).append("')");
                return true;
            }
            out.append("array('").append(code).append("', [");
            boolean signed = f == 1 || (f >= 4 && f <= 5) || (f >= 8 && f <= 9) || (f >= 12 && f <= 13);
            for (int i = 0; b.hasRemaining(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                if (f >= 14) {
                    appendFloat(out, size == 4 ? b.getFloat() : b.getDouble(), true);
                } else {
                    long v = size == 1 ? b.get() : size == 2 ? b.getShort() : size == 4 ? b.getInt() : b.getLong();
                    if (signed) {
                        out.append(v);
                    } else if (size == 8) {
                        out.append(Long.toUnsignedString(v));
                    } else {
                        out.append(v & ((1L << (8 * size)) - 1));
                    }
                }
            }
            out.append("])");
            return true;
        }

        /** array.__repr__: {@code array('i', [1, -2, 3])}, {@code array('u', 'text')}, {@code array('d')}. */
        private void emitArray(PyArray a) {
            String code = String.valueOf(a.typecode());
            if (a.typecode() == 'u') {
                emitArray(code, a.text());
                return;
            }
            out.append("array('").append(code).append('\'');
            int n = a.length();
            if (n > 0) {
                out.append(", [");
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    Object item = a.item(i);
                    if (item instanceof Double d) {
                        appendFloat(out, d, true);
                    } else {
                        out.append(item);
                    }
                }
                out.append(']');
            }
            out.append(')');
        }

        private boolean emitArray(String code, String text) {
            out.append("array('").append(code).append('\'');
            if (!text.isEmpty()) {
                out.append(", ");
                appendStr(out, text);
            }
            out.append(')');
            return true;
        }

        /**
         * Pattern.__repr__ of {@code re._compile(pattern, flags)}: {@code re.compile('\\d+', re.IGNORECASE)},
         * the pattern's repr cut at 200 characters as CPython's {@code %.200R} cuts it, and
         * re.UNICODE left out for str patterns, where it is the default.
         */
        private boolean emitPattern(PyTuple args) {
            if (args.size() != 2 || !(args.get(0) instanceof String || args.get(0) instanceof byte[])
                    || !isInt(args.get(1)) || args.get(1) instanceof Boolean) {
                return false;
            }
            long flags = ((Number) args.get(1)).longValue();
            if (flags < 0 || flags > Integer.MAX_VALUE) {
                return false;
            }
            StringBuilder pattern = new StringBuilder();
            if (args.get(0) instanceof String text) {
                appendStr(pattern, text);
                if ((flags & (4 | 32 | 256)) == 32) {
                    flags &= ~32L;
                }
            } else {
                appendBytes(pattern, (byte[]) args.get(0), false);
            }
            out.append("re.compile(").append(pattern, 0, Math.min(200, pattern.length()));
            if (flags != 0) {
                out.append(", ");
                String[] names = {"re.TEMPLATE", "re.IGNORECASE", "re.LOCALE", "re.MULTILINE", "re.DOTALL",
                    "re.UNICODE", "re.VERBOSE", "re.DEBUG", "re.ASCII"};
                boolean first = true;
                for (int bit = 0; bit < names.length; bit++) {
                    if ((flags & (1L << bit)) != 0) {
                        out.append(first ? "" : "|").append(names[bit]);
                        first = false;
                        flags &= ~(1L << bit);
                    }
                }
                if (flags != 0) {
                    out.append(first ? "" : "|").append("0x").append(Long.toHexString(flags));
                }
            }
            out.append(')');
            return true;
        }

        /**
         * partial.__repr__: {@code functools.partial(<class 'int'>, 1, base=2)}, from the state
         * {@code (func, args, kwds, dict)} that BUILD gives {@code functools.partial(func)}.
         */
        private boolean emitPartial(PyObject o, PyTuple args) {
            if (args.size() != 1 || !o.hasState() || !(o.state() instanceof PyTuple state) || state.size() != 4
                    || !(state.get(1) instanceof PyTuple callArgs)
                    || !(state.get(2) == null || state.get(2) instanceof Map<?, ?>)
                    || o.stateSetter() != null || !o.listItems().isEmpty() || !o.dictItems().isEmpty()) {
                return false;
            }
            List<Object> parts = new ArrayList<>();
            parts.add(state.get(0));
            for (Object a : callArgs) {
                parts.add(COMMA);
                parts.add(a);
            }
            if (state.get(2) instanceof Map<?, ?> kwargs) {
                for (Map.Entry<?, ?> e : kwargs.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        return false;
                    }
                    parts.add(new Text(", " + key + "="));
                    parts.add(e.getValue());
                }
            }
            parts.add(CLOSE_PAREN);
            push(new Parts("functools.partial(", parts.toArray()), o);
            return true;
        }

        /** PurePath.__repr__: {@code PurePosixPath('a/b')}, the class name and as_posix() of the parts. */
        private boolean emitPath(String name, PyTuple args, boolean windows) {
            List<String> parts = new ArrayList<>();
            for (Object a : args) {
                if (!(a instanceof String part) || part.isEmpty()) {
                    return false;
                }
                parts.add(part);
            }
            StringBuilder path = new StringBuilder();
            if (parts.isEmpty()) {
                path.append('.');
            }
            for (int i = 0; i < parts.size(); i++) {
                String part = parts.get(i);
                path.append(part);
                // The first part may be the anchor (a root, a drive, or both), which ends the separator itself.
                boolean anchor = i == 0 && (windows ? part.endsWith("\\") || part.length() == 2 && part.charAt(1) == ':'
                        : part.startsWith("/"));
                if (i < parts.size() - 1 && !anchor) {
                    path.append('/');
                }
            }
            out.append(name).append('(');
            appendStr(out, windows ? path.toString().replace('\\', '/') : path.toString());
            out.append(')');
            return true;
        }

        /** OrderedDict.__repr__ (3.11): {@code OrderedDict([('a', 1)])}; a cycle prints {@code ...}. */
        private boolean emitOrderedDict(PyObject o, PyTuple args) {
            List<Map.Entry<Object, Object>> items = dictItems(args, o);
            if (items == null) {
                return false;
            }
            if (items.isEmpty()) {
                out.append("OrderedDict()");
            } else {
                push(new Entries("OrderedDict([", items.iterator(), "])", true), o);
            }
            return true;
        }

        /**
         * Counter.__repr__: the items in most_common() order (a stable sort by count, descending),
         * or in insertion order when the counts do not compare; a cycle prints {@code ...}.
         */
        private boolean emitCounter(PyObject o, PyTuple args) {
            if (args.size() == 1 && !(args.get(0) instanceof Map)) {
                return false; // Counter(iterable) counts elements: not how a Counter pickles itself
            }
            List<Map.Entry<Object, Object>> items = dictItems(args, o);
            if (items == null) {
                return false;
            }
            if (items.isEmpty()) {
                out.append("Counter()");
                return true;
            }
            Comparator<Object> order = countOrder(items);
            if (order != null) {
                items = new ArrayList<>(items);
                items.sort((a, b) -> order.compare(b.getValue(), a.getValue()));
            }
            push(new Entries("Counter({", items.iterator(), "})", false), o);
            return true;
        }

        /** deque.__repr__: {@code deque([1, 2])}, {@code deque([2], maxlen=1)}; a cycle prints {@code [...]}. */
        private boolean emitDeque(PyObject o, PyTuple args) {
            if (args.size() > 2) {
                return false;
            }
            Object source = args.isEmpty() ? null : args.get(0);
            Long maxlen = null;
            if (args.size() == 2 && args.get(1) != null) {
                maxlen = asLong(args.get(1));
                if (maxlen == null || maxlen < 0) {
                    return false;
                }
            }
            List<Object> items = new ArrayList<>();
            if (source instanceof Map<?, ?> m) {
                items.addAll(m.keySet());
            } else if (source instanceof Collection<?> c) {
                items.addAll(c);
            } else if (source != null) {
                return false;
            }
            items.addAll(o.listItems());
            if (maxlen != null && items.size() > maxlen) {
                items = items.subList(items.size() - (int) (long) maxlen, items.size());
            }
            String close = maxlen == null ? "])" : "], maxlen=" + maxlen + ")";
            if (items.isEmpty()) {
                out.append("deque([").append(close);
            } else {
                push(new Items("deque([", items.iterator(), close), o);
            }
            return true;
        }

        /**
         * defaultdict.__repr__: {@code defaultdict(<class 'list'>, {'a': [1]})}. As in CPython the
         * guard covers the dict part only, so a defaultdict inside itself prints
         * {@code defaultdict(<class 'list'>, {...})}.
         */
        private boolean emitDefaultDict(PyObject o) {
            PyTuple args = o.args();
            if (args.size() > 1) {
                return false;
            }
            Object factory = args.isEmpty() ? null : args.get(0);
            Object factoryPart;
            if (factory == null) {
                factoryPart = new Text("None");
            } else if (activeFactories.contains(factory)) {
                factoryPart = new Text("...");
            } else {
                Parts p = new Parts("", factory);
                p.guard = factory;
                p.factoryGuard = true;
                factoryPart = p;
            }
            Object dictPart;
            if (active.contains(o)) {
                dictPart = new Text("{...}");
            } else {
                List<Map.Entry<Object, Object>> items = dictItems(PyTuple.EMPTY, o);
                if (items.isEmpty()) {
                    dictPart = new Text("{}");
                } else {
                    Entries e = new Entries("{", items.iterator(), "}", false);
                    e.guard = o;
                    dictPart = e;
                }
            }
            push(new Parts("defaultdict(", factoryPart, COMMA, dictPart, CLOSE_PAREN));
            return true;
        }

        /** range.__repr__: {@code range(0, 10)}, {@code range(0, 10, 2)}. */
        private boolean emitRange(PyTuple args) {
            if (args.isEmpty() || args.size() > 3) {
                return false;
            }
            for (Object a : args) {
                if (!isInt(a)) {
                    return false;
                }
            }
            Object start = args.size() == 1 ? Integer.valueOf(0) : args.get(0);
            Object stop = args.size() == 1 ? args.get(0) : args.get(1);
            out.append("range(").append(start).append(", ").append(stop);
            if (args.size() == 3 && !Long.valueOf(1).equals(asLong(args.get(2)))) {
                out.append(", ").append(args.get(2));
            }
            out.append(')');
            return true;
        }

        /** slice.__repr__: always three parts, {@code slice(None, 3, None)}. */
        private boolean emitSlice(PyObject o, PyTuple args) {
            Object start;
            Object stop;
            Object step = null;
            switch (args.size()) {
                case 1:
                    start = null;
                    stop = args.get(0);
                    break;
                case 2:
                    start = args.get(0);
                    stop = args.get(1);
                    break;
                case 3:
                    start = args.get(0);
                    stop = args.get(1);
                    step = args.get(2);
                    break;
                default:
                    return false;
            }
            push(new Parts("slice(", start, COMMA, stop, COMMA, step, CLOSE_PAREN), o);
            return true;
        }

        /** {@code complex(real, imag)} with numbers, as INST and OBJ pickles of protocols 0 and 1 build one. */
        private boolean emitComplexCall(PyTuple args) {
            if (args.size() > 2) {
                return false;
            }
            double[] parts = new double[2];
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof Boolean b) {
                    parts[i] = b ? 1 : 0;
                } else if (a instanceof Double || a instanceof Float) {
                    parts[i] = ((Number) a).doubleValue();
                } else if (isInt(a) && Double.isFinite(((Number) a).doubleValue())) {
                    parts[i] = ((Number) a).doubleValue();
                } else {
                    return false;
                }
            }
            appendComplex(out, new PyComplex(parts[0], parts[1]));
            return true;
        }

        /**
         * BaseException.__repr__: {@code ValueError('x')} for one argument, else the name and the
         * args tuple. Calling OSError does more, and so does its repr here: with an errno it makes
         * the subclass that errno names ({@code OSError(2, 'x')} is a {@code FileNotFoundError}, as
         * protocols 0-2 pickle one), and a filename is dropped from the args.
         */
        private boolean emitException(PyObject o, String cls, PyTuple args) {
            List<Object> shown = args;
            if (OS_ERRORS.contains(cls) && args.size() >= 2 && args.size() <= 5) {
                Object errno = args.get(0);
                if (cls.equals("OSError") && (isInt(errno) || errno instanceof Boolean)) {
                    Long key = errno instanceof Boolean b ? Long.valueOf(b ? 1 : 0) : asLong(errno);
                    if (key != null) {
                        cls = LINUX_ERRNO_CLASSES.getOrDefault(key, cls);
                    }
                }
                Object filename = args.size() >= 3 ? args.get(2) : null;
                boolean written = cls.equals("BlockingIOError")
                        && (filename instanceof Number || filename instanceof Boolean);
                if (filename != null && !written) {
                    shown = args.subList(0, 2);
                }
            }
            if (shown.size() == 1) {
                push(new Parts(cls + "(", shown.get(0), CLOSE_PAREN), o);
            } else {
                push(new Parts(cls + "(", new Items("", shown.iterator(), ""), CLOSE_PAREN), o);
            }
            return true;
        }

        /** datetime.__repr__ of a pickled datetime: (state[, tzinfo]); fold comes before tzinfo. */
        private boolean emitDateTimeObject(PyObject o, PyTuple args) {
            if (args.isEmpty() || args.size() > 2) {
                return false;
            }
            int[] b = stateBytes(args.get(0), 10);
            if (b == null) {
                return false;
            }
            appendDateTimeFields(out, b[0] << 8 | b[1], b[2] & 0x7f, b[3], b[4], b[5], b[6],
                    b[7] << 16 | b[8] << 8 | b[9]);
            if ((b[2] & 0x80) != 0) {
                out.append(", fold=1");
            }
            Object tz = args.size() == 2 ? args.get(1) : null;
            if (tz == null) {
                out.append(')');
            } else {
                push(new Parts(", tzinfo=", tz, CLOSE_PAREN), o);
            }
            return true;
        }

        /** time.__repr__ of a pickled time: (state[, tzinfo]); tzinfo comes before fold. */
        private boolean emitTimeObject(PyObject o, PyTuple args) {
            if (args.isEmpty() || args.size() > 2) {
                return false;
            }
            int[] b = stateBytes(args.get(0), 6);
            if (b == null) {
                return false;
            }
            appendTimeFields(out, b[0] & 0x7f, b[1], b[2], b[3] << 16 | b[4] << 8 | b[5]);
            Text tail = new Text((b[0] & 0x80) != 0 ? ", fold=1)" : ")");
            Object tz = args.size() == 2 ? args.get(1) : null;
            if (tz == null) {
                out.append(tail.text());
            } else {
                push(new Parts(", tzinfo=", tz, tail), o);
            }
            return true;
        }

        private boolean emitDateObject(PyTuple args) {
            int[] b = args.size() == 1 ? stateBytes(args.get(0), 4) : null;
            if (b == null) {
                return false;
            }
            appendDate(out, b[0] << 8 | b[1], b[2], b[3]);
            return true;
        }

        /** timedelta(days, seconds, microseconds), normalized as Python normalizes it. */
        private boolean emitTimedeltaObject(PyTuple args) {
            if (args.size() != 3) {
                return false;
            }
            Long days = asLong(args.get(0));
            Long seconds = asLong(args.get(1));
            Long micros = asLong(args.get(2));
            if (days == null || seconds == null || micros == null || !within(days, 1L << 40)
                    || !within(seconds, 1L << 50) || !within(micros, 1L << 50)) {
                return false;
            }
            long s = seconds + Math.floorDiv(micros, 1_000_000L);
            long d = days + Math.floorDiv(s, 86400L);
            appendTimedelta(out, d, Math.floorMod(s, 86400L), Math.floorMod(micros, 1_000_000L));
            return true;
        }

        /** timezone.__repr__: {@code datetime.timezone(datetime.timedelta(seconds=32400), 'KST')}. */
        private boolean emitTimezoneObject(PyObject o, PyTuple args) {
            if (args.isEmpty() || args.size() > 2) {
                return false;
            }
            Object offset = args.get(0);
            if (args.size() == 1 && offset instanceof Duration d && d.isZero()) {
                out.append("datetime.timezone.utc");
                return true;
            }
            if (args.size() == 1) {
                push(new Parts("datetime.timezone(", offset, CLOSE_PAREN), o);
            } else {
                push(new Parts("datetime.timezone(", offset, COMMA, args.get(1), CLOSE_PAREN), o);
            }
            return true;
        }

        /** A ZoneInfo pickles as {@code getattr(zoneinfo.ZoneInfo, '_unpickle')(key, from_cache)}. */
        private boolean emitZoneInfo(PyObject o) {
            if (o.callable() instanceof PyObject f && f.construction() == PyObject.Construction.REDUCE
                    && isGlobal(f.callable(), "builtins", "getattr") && f.args().size() == 2
                    && isGlobal(f.args().get(0), "zoneinfo", "ZoneInfo") && "_unpickle".equals(f.args().get(1))) {
                return emitZoneInfoKey(o, o.args());
            }
            return false;
        }

        private boolean emitZoneInfoKey(PyObject o, PyTuple args) {
            if (args.size() != 2) {
                return false;
            }
            push(new Parts("zoneinfo.ZoneInfo(key=", args.get(0), CLOSE_PAREN), o);
            return true;
        }

        /** The pseudo-Python call of an object picklejar has no repr for (see the class comment). */
        private void emitGeneric(PyObject o) {
            List<Object> parts = new ArrayList<>();
            Object callable = o.callable();
            boolean newObj = o.construction() == PyObject.Construction.NEWOBJ
                    || o.construction() == PyObject.Construction.NEWOBJ_EX;
            StringBuilder text = new StringBuilder();
            if (callable instanceof PyGlobal g) {
                if (isBuiltins(g.module())) {
                    appendName(text, g.name());
                } else {
                    appendDottedName(text, g);
                }
                if (newObj) {
                    String name = text.toString();
                    text.append(".__new__(").append(name);
                    if (!o.args().isEmpty()) {
                        text.append(", ");
                    }
                } else {
                    text.append('(');
                }
                parts.add(new Text(text.toString()));
            } else {
                parts.add(callable);
                if (newObj) {
                    parts.add(new Text(".__new__("));
                    parts.add(callable);
                    if (!o.args().isEmpty()) {
                        parts.add(COMMA);
                    }
                } else {
                    parts.add(new Text("("));
                }
            }
            parts.add(new Items("", o.args().iterator(), ""));
            if (o.construction() == PyObject.Construction.NEWOBJ_EX) {
                addKeywords(parts, o.kwargs());
            }
            parts.add(CLOSE_PAREN);
            if (!o.listItems().isEmpty()) {
                parts.add(new Items(".extend([", o.listItems().iterator(), "])"));
            }
            if (!o.dictItems().isEmpty()) {
                parts.add(new Entries(".update({", o.dictItems().iterator(), "})", false));
            }
            if (!o.setItems().isEmpty()) {
                parts.add(new Items(".update({", o.setItems().iterator(), "})"));
            }
            if (o.hasState()) {
                parts.add(new Text(".__setstate__("));
                parts.add(o.state());
                parts.add(CLOSE_PAREN);
            }
            push(new Parts("", parts.toArray()), o);
        }

        /** The keyword arguments of NEWOBJ_EX, which always follow the class argument. */
        private void addKeywords(List<Object> parts, Object kwargs) {
            if (kwargs == null) {
                return;
            }
            if (kwargs instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    return;
                }
                boolean identifiers = true;
                for (Object key : map.keySet()) {
                    identifiers &= key instanceof String s && isIdentifier(s);
                }
                if (identifiers) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        parts.add(new Text(", " + e.getKey() + "="));
                        parts.add(e.getValue());
                    }
                    return;
                }
            }
            parts.add(new Text(", **"));
            parts.add(kwargs);
        }

        /**
         * The items of a dict-like object: those its arguments give (a dict, or a list of pairs as
         * Python 2 pickles OrderedDict) followed by those SETITEMS stored, a repeated key keeping
         * its first place and taking the last value. Null when the arguments have another shape.
         */
        private List<Map.Entry<Object, Object>> dictItems(PyTuple args, PyObject o) {
            if (args.size() > 1) {
                return null;
            }
            List<Map.Entry<Object, Object>> items = new ArrayList<>();
            boolean unique = true;
            Object source = args.isEmpty() ? null : args.get(0);
            if (source instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    items.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
                }
            } else if (source instanceof List<?> pairs) {
                for (Object pair : pairs) {
                    if (!(pair instanceof List<?> kv) || kv.size() != 2) {
                        return null;
                    }
                    items.add(new AbstractMap.SimpleImmutableEntry<>(kv.get(0), kv.get(1)));
                }
                unique = items.size() < 2;
            } else if (source != null) {
                return null;
            }
            List<Map.Entry<Object, Object>> stored = o.dictItems();
            if (!stored.isEmpty()) {
                items.addAll(stored);
                unique = items.size() < 2;
            }
            return unique ? items : withoutRepeatedKeys(items);
        }
    }

    private static List<Map.Entry<Object, Object>> withoutRepeatedKeys(List<Map.Entry<Object, Object>> items) {
        Map<KeyRef, Integer> index = new HashMap<>();
        List<Map.Entry<Object, Object>> result = new ArrayList<>(items.size());
        for (Map.Entry<Object, Object> e : items) {
            Integer at = index.putIfAbsent(new KeyRef(e.getKey()), result.size());
            if (at == null) {
                result.add(e);
            } else {
                result.set(at, new AbstractMap.SimpleImmutableEntry<>(result.get(at).getKey(), e.getValue()));
            }
        }
        return result;
    }

    /** A dict key compared as Python compares hashable keys; anything else by identity. */
    private static final class KeyRef {
        private final Object key;
        private final boolean byValue;

        KeyRef(Object key) {
            this.key = key;
            this.byValue = Values.isHashable(key) && !(key instanceof PyObject) && Values.nesting(key) < 256;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof KeyRef other)) {
                return false;
            }
            return byValue && other.byValue ? Values.pyEquals(key, other.key) : key == other.key;
        }

        @Override
        public int hashCode() {
            return byValue ? Values.pyHash(key) : System.identityHashCode(key);
        }
    }

    /** How Counter.most_common compares counts, or null when Python's sort would raise TypeError. */
    private static Comparator<Object> countOrder(List<Map.Entry<Object, Object>> items) {
        boolean numbers = true;
        boolean strings = true;
        for (Map.Entry<Object, Object> e : items) {
            Object v = e.getValue();
            boolean number = isInt(v) || v instanceof Boolean || v instanceof Double || v instanceof Float;
            if ((v instanceof Double || v instanceof Float) && Double.isNaN(((Number) v).doubleValue())) {
                return null; // no total order: Python's result depends on its sort's comparisons
            }
            numbers &= number;
            strings &= v instanceof String;
        }
        if (numbers) {
            return Repr::compareNumbers;
        }
        if (strings) {
            return (a, b) -> compareCodePoints((String) a, (String) b);
        }
        return null;
    }

    private static int compareNumbers(Object a, Object b) {
        if ((a instanceof Integer || a instanceof Long) && (b instanceof Integer || b instanceof Long)) {
            return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        }
        int infiniteA = infinity(a);
        int infiniteB = infinity(b);
        if (infiniteA != 0 || infiniteB != 0) {
            return Integer.compare(infiniteA, infiniteB);
        }
        return exact(a).compareTo(exact(b));
    }

    /** 1 for a float +inf, -1 for -inf, 0 for any other number. */
    private static int infinity(Object n) {
        if (n instanceof Double || n instanceof Float) {
            double d = ((Number) n).doubleValue();
            return Double.isInfinite(d) ? (d > 0 ? 1 : -1) : 0;
        }
        return 0;
    }

    private static BigDecimal exact(Object n) {
        if (n instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (n instanceof Double || n instanceof Float) {
            return new BigDecimal(((Number) n).doubleValue());
        }
        return BigDecimal.valueOf(((Number) n).longValue());
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Floats

    /**
     * The shortest decimal that reads back as the same double and, among the shortest, the
     * closest to it (what Python's repr prints, and what Java 17's Double.toString sometimes
     * misses: JDK-4511638). This is Raffaello Giulietti's Schubfach ("The Schubfach way to render
     * doubles", 2020), which JDK 19 adopted, except that it always looks for a shorter decimal
     * where the JDK insists on two digits.
     */
    private static final class Shortest {
        private static final int Q_MIN = -1074;
        private static final long C_MIN = 1L << 52;
        private static final int K_MIN = flog10pow2(Q_MIN);
        private static final int K_MAX = flog10pow2(971);
        private static final long MASK_63 = (1L << 63) - 1;
        /** For each k, g = floor(10^-k 2^(125 - floor(log2 10^-k))) + 1 as its high and low 63 bits. */
        private static final long[] G = table();

        private static long[] table() {
            long[] g = new long[2 * (K_MAX - K_MIN + 1)];
            for (int k = K_MIN; k <= K_MAX; k++) {
                BigInteger num = k <= 0 ? BigInteger.TEN.pow(-k) : BigInteger.ONE;
                BigInteger den = k > 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
                int shift = 125 - flog2pow10(-k);
                if (shift >= 0) {
                    num = num.shiftLeft(shift);
                } else {
                    den = den.shiftLeft(-shift);
                }
                BigInteger v = num.divide(den).add(BigInteger.ONE);
                g[2 * (k - K_MIN)] = v.shiftRight(63).longValueExact();
                g[2 * (k - K_MIN) + 1] = v.longValue() & MASK_63;
            }
            return g;
        }

        /** floor(q log10 2). */
        private static int flog10pow2(int q) {
            return (int) (q * 661_971_961_083L >> 41);
        }

        /** floor(q log10 2 + log10 3/4). */
        private static int flog10threeQuartersPow2(int q) {
            return (int) (q * 661_971_961_083L + (-274_743_187_321L) >> 41);
        }

        /** floor(e log2 10). */
        private static int flog2pow10(int e) {
            return (int) (e * 913_124_641_741L >> 38);
        }

        /** Appends the digits of a finite non-zero double (the sign is already written). */
        static void append(StringBuilder out, long bits, boolean dotZero) {
            long t = bits & (C_MIN - 1);
            int bq = (int) (bits >>> 52) & 0x7ff;
            if (bq != 0) {
                int mq = 1075 - bq;
                long c = C_MIN | t;
                if (0 < mq && mq < 53 && (c >> mq) << mq == c) {
                    layout(out, c >> mq, 0, dotZero); // an integer below 2^53: its digits are exact
                } else {
                    toDecimal(out, -mq, c, dotZero);
                }
            } else if (t == 1) {
                layout(out, 5, -324, dotZero); // too few bits for Schubfach's bounds
            } else if (t == 2) {
                layout(out, 1, -323, dotZero);
            } else {
                toDecimal(out, Q_MIN, t, dotZero);
            }
        }

        private static void toDecimal(StringBuilder out, int q, long c, boolean dotZero) {
            long open = c & 1; // an odd significand's rounding interval excludes its bounds
            long cb = c << 2;
            long cbr = cb + 2;
            long cbl;
            int k;
            if (c != C_MIN || q == Q_MIN) {
                cbl = cb - 2;
                k = flog10pow2(q);
            } else {
                cbl = cb - 1; // at a power of two the gap below is half the gap above
                k = flog10threeQuartersPow2(q);
            }
            int h = q + flog2pow10(-k) + 2;
            long g1 = G[2 * (k - K_MIN)];
            long g0 = G[2 * (k - K_MIN) + 1];
            long vb = rop(g1, g0, cb << h);
            long vbl = rop(g1, g0, cbl << h);
            long vbr = rop(g1, g0, cbr << h);
            long s = vb >> 2;
            // One digit fewer: the multiples of 10^(k+1) around v; at most one is in the interval.
            long sp10 = s / 10 * 10;
            long tp10 = sp10 + 10;
            boolean upin = vbl + open <= sp10 << 2;
            boolean wpin = (tp10 << 2) + open <= vbr;
            if (upin != wpin) {
                layout(out, upin ? sp10 : tp10, k, dotZero);
                return;
            }
            long t = s + 1;
            boolean uin = vbl + open <= s << 2;
            boolean win = (t << 2) + open <= vbr;
            if (uin != win) {
                layout(out, uin ? s : t, k, dotZero);
                return;
            }
            long cmp = vb - (s + t << 1);
            layout(out, cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k, dotZero);
        }

        /** Rounds cp g 2^-127 to odd, where g = g1 2^63 + g0. */
        private static long rop(long g1, long g0, long cp) {
            long x1 = Math.multiplyHigh(g0, cp);
            long y0 = g1 * cp;
            long y1 = Math.multiplyHigh(g1, cp);
            long z = (y0 >>> 1) + x1;
            long vbp = y1 + (z >>> 63);
            return vbp | (z & MASK_63) + MASK_63 >>> 63;
        }

        /**
         * Writes f 10^e as Python's float_repr_style 'short' does: scientific when the decimal point
         * would sit more than 16 digits right or 4 or more left of the first digit.
         */
        private static void layout(StringBuilder out, long f, int e, boolean dotZero) {
            while (f % 10 == 0) {
                f /= 10;
                e++;
            }
            String digits = Long.toString(f);
            int n = digits.length();
            int decpt = n + e;
            if (decpt > 16 || decpt <= -4) {
                out.append(digits.charAt(0));
                if (n > 1) {
                    out.append('.').append(digits, 1, n);
                }
                int exp = decpt - 1;
                out.append(exp < 0 ? "e-" : "e+");
                if (Math.abs(exp) < 10) {
                    out.append('0');
                }
                out.append(Math.abs(exp));
            } else if (decpt <= 0) {
                out.append("0.");
                for (int i = decpt; i < 0; i++) {
                    out.append('0');
                }
                out.append(digits);
            } else if (decpt >= n) {
                out.append(digits);
                for (int i = n; i < decpt; i++) {
                    out.append('0');
                }
                if (dotZero) {
                    out.append(".0");
                }
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, n);
            }
        }
    }
}
