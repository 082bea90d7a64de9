package dev.picklejar.cli;

import dev.picklejar.PyArray;
import dev.picklejar.PyByteArray;
import dev.picklejar.PyComplex;
import dev.picklejar.PyDecimal;
import dev.picklejar.PyEnumMember;
import dev.picklejar.PyFraction;
import dev.picklejar.PyFrozenSet;
import dev.picklejar.PyGlobal;
import dev.picklejar.PyObject;
import dev.picklejar.PyTuple;
import dev.picklejar.PythonTypes;
import dev.picklejar.Repr;
import dev.picklejar.cli.JsonLines.JsonException;
import dev.picklejar.cli.JsonLines.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of Python values, both ways: JSON's own types where JSON has the Python type (None,
 * bool, int, float, str, list, dict with str keys), and elsewhere an object with a single key that
 * starts with {@code $} and names the type ({@code {"$tuple": [1, 2]}}), so that the value comes back
 * as it was. {@link ConvertCommand}'s help lists every form. Neither direction recurses.
 */
final class PythonJson {
    private PythonJson() {
    }

    /** JavaScript's largest safe integer, 2**53 - 1: larger ints are written as {@code {"$int": "..."}}. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /**
     * A value read from a persistent id (PERSID, BINPERSID), which names an object kept outside the
     * pickle. Converting keeps the id, so writing it back gives the same persistent id again.
     *
     * @param id the persistent id, any Python value (often a str or a tuple)
     */
    record PersistentId(Object id) {
    }

    /** A value with no JSON form: it contains itself, or it holds a Java type that is no Python value. */
    static final class NotJsonException extends RuntimeException {
        NotJsonException(String message) {
            super(message);
        }
    }

    /** Writes the JSON form of the value (not ending the line). */
    static void write(Object value, JsonLines.Writer out) {
        write(value, out, Long.MAX_VALUE);
    }

    /**
     * Writes the JSON form of the value, or throws NotJsonException once it has written {@code maxValues}
     * values: a value shared through the memo is written out again wherever it is referenced, so a
     * graph of a few hundred bytes can have a JSON form of 2**60 values.
     */
    static void write(Object value, JsonLines.Writer out, long maxValues) {
        new Encoder(out, maxValues).encode(value);
    }

    /**
     * The Python value a JSON value (as {@link JsonLines.Reader} reads it) stands for. Errors name the
     * source, the line and the column of the tagged object at fault.
     */
    static Object read(Object json, String source, long line) {
        return new Decoder(source, line).decode(json);
    }

    // ---------------------------------------------------------------------------------------------
    // Python value -> JSON

    /** A child of a container: its place in the path ({@code [0]}, {@code .state}), its key in a JSON object, its value. */
    /**
     * Where a child sits in its container, for error messages only: made when an error asks for it,
     * not for every value written (a dict key's would be a repr per key).
     */
    @FunctionalInterface
    private interface Segment {
        String text();
    }

    /** A value to write, after {@code key} when in an object; {@code segment} is a String or a {@link Segment}. */
    private record Child(Object segment, String key, Object value) {
    }

    /** Items written as a plain JSON array (a PyObject's args, list_items, set_items). */
    private record Items(List<?> items) {
    }

    /** Key/value pairs written as a JSON array of two-item arrays (a PyObject's dict_items). */
    private record Pairs(List<? extends Map.Entry<?, ?>> entries) {
    }

    /** One key/value pair, written as a two-item array. */
    private record Pair(Object key, Object value) {
    }

    private static final class Encoder {
        private final JsonLines.Writer out;
        private final ArrayDeque<Frame> stack = new ArrayDeque<>();
        private final Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

        private static final class Frame {
            final Object guard;
            final Iterator<Child> children;
            /** What ends the container: ']' and '}' in the order they are written. */
            final String close;
            Object segment = "";

            Frame(Object guard, Iterator<Child> children, String close) {
                this.guard = guard;
                this.children = children;
                this.close = close;
            }
        }

        private final long maxValues;
        private long values;

        Encoder(JsonLines.Writer out, long maxValues) {
            this.out = out;
            this.maxValues = maxValues;
        }

        void encode(Object value) {
            visit(new Child("", null, value));
            while (!stack.isEmpty()) {
                Frame frame = stack.peek();
                if (frame.children.hasNext()) {
                    Child child = frame.children.next();
                    frame.segment = child.segment();
                    visit(child);
                } else {
                    stack.pop();
                    for (int i = 0; i < frame.close.length(); i++) {
                        if (frame.close.charAt(i) == ']') {
                            out.endArray();
                        } else {
                            out.endObject();
                        }
                    }
                    if (frame.guard != null) {
                        onPath.remove(frame.guard);
                    }
                }
            }
        }

        private void visit(Child child) {
            if (++values > maxValues) {
                throw new NotJsonException("its JSON form has more than " + maxValues + " values: values it shares "
                        + "(through the memo or DUP) are written out in full wherever they are referenced");
            }
            if (child.key() != null) {
                out.key(child.key());
            }
            Object v = child.value();
            if (v == null) {
                out.nullValue();
            } else if (v instanceof Boolean b) {
                out.value(b);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                writeInt(((Number) v).longValue());
            } else if (v instanceof BigInteger b) {
                if (b.abs().bitLength() <= 53) {
                    out.value(b.longValue());
                } else {
                    tagged("$int", b.toString());
                }
            } else if (v instanceof Double d) {
                writeFloat(d);
            } else if (v instanceof Float f) {
                writeFloat(f.doubleValue());
            } else if (v instanceof String s) {
                out.value(s);
            } else if (v instanceof Character c) {
                out.value(String.valueOf(c));
            } else if (v instanceof byte[] b) {
                out.beginObject();
                out.key("$bytes");
                out.base64(b);
                out.endObject();
            } else if (v instanceof PyByteArray b) {
                out.beginObject();
                out.key("$bytearray");
                out.base64(b.bytes());
                out.endObject();
            } else if (v instanceof PyTuple t) {
                openTagged("$tuple", t, indexed(t, ""));
            } else if (v instanceof Object[] a) {
                openTagged("$tuple", a, indexed(Arrays.asList(a), ""));
            } else if (v instanceof List<?> l) {
                enter(v);
                out.beginArray();
                stack.push(new Frame(v, indexed(l, ""), "]"));
            } else if (v instanceof Map<?, ?> m) {
                visitMap(m);
            } else if (v instanceof PyFrozenSet s) {
                openTagged("$frozenset", s, members(s));
            } else if (v instanceof Set<?> s) {
                openTagged("$set", s, members(s));
            } else if (v instanceof PyObject o) {
                visitObject(o);
            } else if (v instanceof Items items) {
                out.beginArray();
                stack.push(new Frame(null, indexed(items.items(), ""), "]"));
            } else if (v instanceof Pairs pairs) {
                out.beginArray();
                stack.push(new Frame(null, pairs(pairs.entries()), "]"));
            } else if (v instanceof Pair pair) {
                out.beginArray();
                Object key = pair.key();
                stack.push(new Frame(null, List.of(new Child((Segment) () -> "<key " + shortRepr(key) + ">", null, key),
                        new Child((Segment) () -> "[" + shortRepr(key) + "]", null, pair.value())).iterator(), "]"));
            } else if (v instanceof PersistentId p) {
                out.beginObject();
                stack.push(new Frame(null, List.of(new Child(".persistent_id", "$persistent", p.id())).iterator(), "}"));
            } else if (v instanceof PyGlobal g) {
                out.beginObject();
                out.key("$global");
                out.beginArray();
                out.value(g.module());
                out.value(g.name());
                out.endArray();
                out.endObject();
            } else {
                visitStandard(v);
            }
        }

        private void visitStandard(Object v) {
            if (v instanceof PyComplex c) {
                out.beginObject();
                out.key("$complex");
                out.beginArray();
                writeFloat(c.real());
                writeFloat(c.imag());
                out.endArray();
                out.endObject();
            } else if (v instanceof BigDecimal d) {
                tagged("$decimal", d.toString());
            } else if (v instanceof PyDecimal d) {
                tagged("$decimal", d.text());
            } else if (v instanceof UUID u) {
                tagged("$uuid", u.toString());
            } else if (v instanceof LocalDateTime t) {
                tagged("$datetime", isoDate(t.toLocalDate()) + "T" + isoTime(t.toLocalTime()));
            } else if (v instanceof OffsetDateTime t) {
                tagged("$datetime", isoDate(t.toLocalDate()) + "T" + isoTime(t.toLocalTime()) + isoOffset(t.getOffset()));
            } else if (v instanceof Instant i) {
                OffsetDateTime t = i.atOffset(ZoneOffset.UTC);
                tagged("$datetime", isoDate(t.toLocalDate()) + "T" + isoTime(t.toLocalTime()) + isoOffset(t.getOffset()));
            } else if (v instanceof LocalDate d) {
                tagged("$date", isoDate(d));
            } else if (v instanceof LocalTime t) {
                tagged("$time", isoTime(t));
            } else if (v instanceof OffsetTime t) {
                tagged("$time", isoTime(t.toLocalTime()) + isoOffset(t.getOffset()));
            } else if (v instanceof Duration d) {
                writeTimedelta(d);
            } else if (v instanceof ZoneOffset z) {
                tagged("$timezone", isoOffset(z));
            } else if (v instanceof dev.picklejar.torch.Tensor t) {
                writeArray(t.toNdArray());
            } else if (v instanceof dev.picklejar.numpy.NdArray a) {
                writeArray(a);
            } else if (v instanceof ZonedDateTime t) {
                // The offset tells the two wall times of a repeated hour apart (Python's fold).
                tagged("$datetime", isoDate(t.toLocalDate()) + "T" + isoTime(t.toLocalTime()) + isoOffset(t.getOffset())
                        + (t.getZone() instanceof ZoneOffset ? "" : "[" + t.getZone().getId() + "]"));
            } else if (v instanceof ZoneId z) {
                tagged("$zoneinfo", z.getId());
            } else if (v instanceof PyArray a) {
                out.beginObject();
                out.key("$array");
                out.beginArray();
                out.value(String.valueOf(a.typecode()));
                out.base64(a.toBytes());
                out.endArray();
                out.endObject();
            } else if (v instanceof PyFraction f) {
                tagged("$fraction", f.numerator() + "/" + f.denominator());
            } else if (v instanceof java.net.Inet4Address || v instanceof java.net.Inet6Address) {
                tagged("$ipaddress", Repr.of(v).replaceAll("^IPv[46]Address\\('(.*)'\\)$", "$1"));
            } else if (v instanceof PyEnumMember m) {
                out.beginObject();
                out.key("$enum");
                out.beginArray();
                out.value(m.enumClass().module());
                out.value(m.enumClass().name());
                out.value(m.name());
                out.endArray();
                out.endObject();
            } else if (v instanceof int[] || v instanceof long[] || v instanceof short[] || v instanceof float[]
                    || v instanceof double[]) {
                visitStandard(PyArray.of(v)); // as the Pickler writes it by default
            } else {
                throw new NotJsonException("the " + v.getClass().getName() + at() + " has no JSON form");
            }
        }

        private void visitMap(Map<?, ?> m) {
            boolean strKeys = true;
            for (Object key : m.keySet()) {
                if (!(key instanceof String)) {
                    strKeys = false;
                    break;
                }
            }
            if (!strKeys) {
                openTagged("$dict", m, pairs(new ArrayList<>(m.entrySet())));
                return;
            }
            enter(m);
            String close = "}";
            out.beginObject();
            if (m.size() == 1 && ((String) m.keySet().iterator().next()).startsWith("$")) {
                // A dict that would read as a tagged object is escaped: {"$$": {"$tuple": 1}}.
                out.key("$$");
                out.beginObject();
                close = "}}";
            }
            Iterator<? extends Map.Entry<?, ?>> entries = m.entrySet().iterator();
            stack.push(new Frame(m, new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public Child next() {
                    Map.Entry<?, ?> e = entries.next();
                    String key = (String) e.getKey();
                    return new Child((Segment) () -> "[" + shortRepr(key) + "]", key, e.getValue());
                }
            }, close));
        }

        private void visitObject(PyObject o) {
            enter(o);
            out.beginObject();
            out.key("$object");
            out.beginObject();
            List<Child> children = new ArrayList<>();
            children.add(new Child(".callable", "callable", o.callable()));
            children.add(new Child(".construction", "construction", o.construction().name()));
            children.add(new Child(".args", "args", new Items(o.args())));
            if (o.construction() == PyObject.Construction.NEWOBJ_EX) {
                children.add(new Child(".kwargs", "kwargs", o.kwargs()));
            }
            if (o.hasState()) {
                children.add(new Child(".state", "state", o.state()));
                if (o.stateSetter() != null) {
                    children.add(new Child(".state_setter", "state_setter", o.stateSetter()));
                }
            }
            if (!o.listItems().isEmpty()) {
                children.add(new Child(".list_items", "list_items", new Items(o.listItems())));
            }
            if (!o.dictItems().isEmpty()) {
                children.add(new Child(".dict_items", "dict_items", new Pairs(o.dictItems())));
            }
            if (!o.setItems().isEmpty()) {
                children.add(new Child(".set_items", "set_items", new Items(o.setItems())));
            }
            stack.push(new Frame(o, children.iterator(), "}}"));
        }

        /** {"$tag": [ ...children... ]} for a container that is on the path while its items are written. */
        private void openTagged(String tag, Object container, Iterator<Child> children) {
            enter(container);
            out.beginObject();
            out.key(tag);
            out.beginArray();
            stack.push(new Frame(container, children, "]}"));
        }

        private void enter(Object container) {
            if (!onPath.add(container)) {
                throw new NotJsonException("the value" + at() + " contains itself, and JSON has no references");
            }
        }

        /** Where the value being visited sits, as {@code  at [0]['key'].state}, or nothing for the top value. */
        private String at() {
            StringBuilder path = new StringBuilder();
            for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
                Object segment = it.next().segment;
                path.append(segment instanceof Segment lazy ? lazy.text() : (String) segment);
            }
            return path.length() == 0 ? "" : " at " + path;
        }

        private void writeInt(long n) {
            if (Math.abs(n) <= MAX_SAFE_INTEGER) {
                out.value(n);
            } else {
                tagged("$int", Long.toString(n));
            }
        }

        private void writeFloat(double d) {
            if (Double.isFinite(d)) {
                out.value(d);
            } else {
                tagged("$float", Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf");
            }
        }

        private void writeTimedelta(Duration d) {
            if (d.getNano() % 1000 != 0) {
                throw new NotJsonException("the duration" + at() + " has nanoseconds, and Python's timedelta has microseconds");
            }
            long seconds = d.getSeconds();
            long days = Math.floorDiv(seconds, 86_400L);
            out.beginObject();
            out.key("$timedelta");
            out.beginArray();
            out.value(days);
            out.value(seconds - days * 86_400L);
            out.value(d.getNano() / 1000);
            out.endArray();
            out.endObject();
        }

        /** {"$ndarray": {"dtype": "<f8", "shape": [2, 3], "data": base64 of the items in C order}}. */
        private void writeArray(dev.picklejar.numpy.NdArray a) {
            if (a.dtype().kind() == 'O' || a.dtype().names() != null || a.dtype().subarrayBase() != null) {
                throw new NotJsonException("the " + a.dtype() + " array" + at() + " has no JSON form (only plain dtypes)");
            }
            java.nio.ByteBuffer data = dev.picklejar.numpy.NdArray.of(a.dtype(), a.shape(),
                    java.nio.ByteBuffer.wrap(cOrder(a)), false).buffer();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            out.beginObject();
            out.key("$ndarray");
            out.beginObject();
            out.key("dtype");
            out.value(a.dtype().str());
            out.key("shape");
            out.beginArray();
            for (int d : a.shape()) {
                out.value(d);
            }
            out.endArray();
            out.key("data");
            out.base64(bytes);
            out.endObject();
            out.endObject();
        }

        private static byte[] cOrder(dev.picklejar.numpy.NdArray a) {
            int size = a.dtype().itemSize();
            byte[] out = new byte[a.size() * size];
            java.nio.ByteBuffer b = a.buffer();
            int[] shape = a.shape();
            long[] strides = a.strides();
            int[] index = new int[shape.length];
            for (int k = 0; k < a.size(); k++) {
                long off = 0;
                for (int i = 0; i < index.length; i++) {
                    off += index[i] * strides[i];
                }
                b.get((int) off, out, k * size, size);
                for (int i = index.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                    index[i] = 0;
                }
            }
            return out;
        }

        private void tagged(String tag, String text) {
            out.beginObject();
            out.key(tag);
            out.value(text);
            out.endObject();
        }

        private String isoTime(LocalTime t) {
            if (t.getNano() % 1000 != 0) {
                throw new NotJsonException("the time" + at() + " has nanoseconds, and Python keeps microseconds");
            }
            String hms = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
            return t.getNano() == 0 ? hms : hms + String.format(".%06d", t.getNano() / 1000);
        }
    }

    private static Iterator<Child> indexed(List<?> items, String prefix) {
        Iterator<?> it = items.iterator();
        return new Iterator<>() {
            int index;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Child next() {
                int at = index++;
                return new Child((Segment) () -> prefix + "[" + at + "]", null, it.next());
            }
        };
    }

    private static Iterator<Child> members(Set<?> set) {
        Iterator<?> it = set.iterator();
        return new Iterator<>() {
            int index;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Child next() {
                int at = index++;
                return new Child((Segment) () -> "<set item " + at + ">", null, it.next());
            }
        };
    }

    private static Iterator<Child> pairs(List<? extends Map.Entry<?, ?>> entries) {
        Iterator<? extends Map.Entry<?, ?>> it = entries.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Child next() {
                Map.Entry<?, ?> e = it.next();
                return new Child("", null, new Pair(e.getKey(), e.getValue()));
            }
        };
    }

    /** A dict key as it shows in a path: its repr, cut short. */
    private static String shortRepr(Object key) {
        String r;
        try {
            r = Repr.of(key, 4096);
        } catch (Repr.TooLongException e) {
            r = Repr.abbreviated(key);
        }
        return r.length() <= 40 ? r : r.substring(0, 37) + "...";
    }

    private static String isoDate(LocalDate d) {
        return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** A UTC offset as Python's isoformat writes it: {@code +HH:MM}, with {@code :SS} when there are seconds. */
    private static String isoOffset(ZoneOffset z) {
        int total = z.getTotalSeconds();
        int abs = Math.abs(total);
        String hm = String.format("%s%02d:%02d", total < 0 ? "-" : "+", abs / 3600, abs / 60 % 60);
        return abs % 60 == 0 ? hm : hm + String.format(":%02d", abs % 60);
    }

    // ---------------------------------------------------------------------------------------------
    // JSON -> Python value

    private enum Kind { LIST, TUPLE, SET, FROZENSET, DICT, PAIRS, COMPLEX, OBJECT, PERSISTENT }

    private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");
    /** What Python's Decimal() accepts (without the surrounding spaces and underscores it also allows). */
    private static final Pattern DECIMAL = Pattern.compile(
            "[+-]?(([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?|inf(inity)?|s?nan[0-9]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String TIME = "([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{6}))?";
    private static final String OFFSET = "(?:(Z)|([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)";
    private static final Pattern DATE_TEXT = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");
    private static final Pattern DATETIME_TEXT = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})T" + TIME + OFFSET + "?"
            + "(?:\\[([^\\]]+)\\])?");
    private static final Pattern TIME_TEXT = Pattern.compile(TIME + OFFSET + "?");
    private static final Pattern OFFSET_TEXT = Pattern.compile(OFFSET);
    private static final Pattern FRACTION_TEXT = Pattern.compile("(-?[0-9]+)/([0-9]+)");
    private static final Pattern IPV4_TEXT = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Set<String> OBJECT_KEYS = Set.of("callable", "construction", "args", "kwargs", "state",
            "state_setter", "list_items", "dict_items", "set_items");

    private static final class Decoder {
        private final String source;
        private final long line;
        private final ArrayDeque<Frame> stack = new ArrayDeque<>();
        private Object result;

        private static final class Frame {
            final Kind kind;
            final JsonObject where;
            final List<?> nodes;
            final Object[] values;
            final boolean[] hashable;
            /** The keys of a DICT; the shape of an OBJECT. */
            final Object extra;
            int next;

            Frame(Kind kind, JsonObject where, List<?> nodes, Object extra) {
                this.kind = kind;
                this.where = where;
                this.nodes = nodes;
                this.values = new Object[nodes.size()];
                this.hashable = new boolean[nodes.size()];
                this.extra = extra;
            }
        }

        /** Which children of an OBJECT frame are what: callable, args, then the optional parts. */
        private record Shape(PyObject.Construction construction, int args, boolean kwargs, boolean state,
                             boolean stateSetter, int listItems, int dictItems, int setItems) {
        }

        Decoder(String source, long line) {
            this.source = source;
            this.line = line;
        }

        Object decode(Object json) {
            start(json, null);
            while (!stack.isEmpty()) {
                Frame frame = stack.peek();
                if (frame.next < frame.nodes.size()) {
                    start(frame.nodes.get(frame.next), frame.where);
                } else {
                    stack.pop();
                    build(frame);
                }
            }
            return result;
        }

        private void deliver(Object value, boolean hashable) {
            Frame parent = stack.peek();
            if (parent == null) {
                result = value;
            } else {
                parent.values[parent.next] = value;
                parent.hashable[parent.next] = hashable;
                parent.next++;
            }
        }

        /** Delivers an atom at once, or pushes a frame for a container. */
        private void start(Object node, JsonObject enclosing) {
            if (node instanceof List<?> list) {
                stack.push(new Frame(Kind.LIST, enclosing, list, null));
            } else if (node instanceof JsonObject object) {
                startObject(object);
            } else {
                deliver(node, true);
            }
        }

        private void startObject(JsonObject object) {
            if (object.size() != 1 || !object.keySet().iterator().next().startsWith("$")) {
                stack.push(new Frame(Kind.DICT, object, new ArrayList<>(object.values()), new ArrayList<>(object.keySet())));
                return;
            }
            Map.Entry<String, Object> tag = object.entrySet().iterator().next();
            Object v = tag.getValue();
            switch (tag.getKey()) {
                case "$$" -> {
                    JsonObject dict = expect(object, v, JsonObject.class, "a JSON object");
                    stack.push(new Frame(Kind.DICT, object, new ArrayList<>(dict.values()), new ArrayList<>(dict.keySet())));
                }
                case "$tuple" -> stack.push(new Frame(Kind.TUPLE, object, expect(object, v, List.class, "an array"), null));
                case "$set" -> stack.push(new Frame(Kind.SET, object, expect(object, v, List.class, "an array"), null));
                case "$frozenset" -> stack.push(new Frame(Kind.FROZENSET, object, expect(object, v, List.class, "an array"), null));
                case "$dict" -> stack.push(new Frame(Kind.PAIRS, object, flattenPairs(object, v, "$dict"), null));
                case "$complex" -> {
                    List<?> parts = expect(object, v, List.class, "an array [real, imag]");
                    if (parts.size() != 2) {
                        throw error(object, "$complex needs [real, imag], found " + parts.size() + " items");
                    }
                    stack.push(new Frame(Kind.COMPLEX, object, parts, null));
                }
                case "$object" -> startPyObject(object, expect(object, v, JsonObject.class, "a JSON object"));
                case "$persistent" -> stack.push(new Frame(Kind.PERSISTENT, object, List.of(v), null));
                default -> deliver(atom(object, tag.getKey(), v), true);
            }
        }

        private void startPyObject(JsonObject where, JsonObject spec) {
            for (String key : spec.keySet()) {
                if (!OBJECT_KEYS.contains(key)) {
                    throw error(where, "$object has no field '" + key + "' (fields: callable, construction, args, "
                            + "kwargs, state, state_setter, list_items, dict_items, set_items)");
                }
            }
            if (!spec.containsKey("callable") || !spec.containsKey("construction")) {
                throw error(where, "$object needs \"callable\" and \"construction\"");
            }
            String name = expect(where, spec.get("construction"), String.class, "a string");
            PyObject.Construction construction;
            try {
                construction = PyObject.Construction.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw error(where, "$object construction must be one of " + Arrays.toString(PyObject.Construction.values())
                        + ", not '" + name + "'");
            }
            boolean kwargs = spec.containsKey("kwargs");
            if (kwargs != (construction == PyObject.Construction.NEWOBJ_EX)) {
                throw error(where, kwargs ? "only a NEWOBJ_EX $object has kwargs" : "a NEWOBJ_EX $object needs kwargs");
            }
            boolean state = spec.containsKey("state");
            boolean stateSetter = spec.containsKey("state_setter");
            if (stateSetter && !state) {
                throw error(where, "$object has a state_setter but no state");
            }
            List<Object> nodes = new ArrayList<>();
            nodes.add(spec.get("callable"));
            List<?> args = spec.containsKey("args") ? expect(where, spec.get("args"), List.class, "an array") : List.of();
            nodes.addAll(args);
            if (kwargs) {
                nodes.add(spec.get("kwargs"));
            }
            if (state) {
                nodes.add(spec.get("state"));
            }
            if (stateSetter) {
                nodes.add(spec.get("state_setter"));
            }
            List<?> listItems = spec.containsKey("list_items") ? expect(where, spec.get("list_items"), List.class, "an array") : List.of();
            nodes.addAll(listItems);
            List<Object> dictItems = spec.containsKey("dict_items") ? flattenPairs(where, spec.get("dict_items"), "dict_items") : List.of();
            nodes.addAll(dictItems);
            List<?> setItems = spec.containsKey("set_items") ? expect(where, spec.get("set_items"), List.class, "an array") : List.of();
            nodes.addAll(setItems);
            stack.push(new Frame(Kind.OBJECT, where, nodes, new Shape(construction, args.size(), kwargs, state, stateSetter,
                    listItems.size(), dictItems.size() / 2, setItems.size())));
        }

        private List<Object> flattenPairs(JsonObject where, Object v, String what) {
            List<?> pairs = expect(where, v, List.class, "an array of [key, value] pairs");
            List<Object> flat = new ArrayList<>(2 * pairs.size());
            for (Object pair : pairs) {
                if (!(pair instanceof List<?> kv) || kv.size() != 2) {
                    throw error(where, what + " needs [key, value] pairs, found " + describe(pair));
                }
                flat.add(kv.get(0));
                flat.add(kv.get(1));
            }
            return flat;
        }

        private void build(Frame f) {
            Object[] v = f.values;
            switch (f.kind) {
                case LIST -> deliver(new ArrayList<>(Arrays.asList(v)), false);
                case TUPLE -> {
                    boolean hashable = true;
                    for (boolean h : f.hashable) {
                        hashable &= h;
                    }
                    deliver(PyTuple.of(v), hashable);
                }
                case SET, FROZENSET -> {
                    Set<Object> set = new LinkedHashSet<>();
                    for (int i = 0; i < v.length; i++) {
                        requireHashable(f, i, f.kind == Kind.SET ? "a $set item" : "a $frozenset item");
                        set.add(v[i]);
                    }
                    deliver(f.kind == Kind.SET ? set : PyFrozenSet.copyOf(set), f.kind == Kind.FROZENSET);
                }
                case DICT -> {
                    List<?> keys = (List<?>) f.extra;
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    for (int i = 0; i < v.length; i++) {
                        dict.put(keys.get(i), v[i]);
                    }
                    deliver(dict, false);
                }
                case PAIRS -> {
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    for (int i = 0; i < v.length; i += 2) {
                        requireHashable(f, i, "a $dict key");
                        dict.put(v[i], v[i + 1]);
                    }
                    deliver(dict, false);
                }
                case COMPLEX -> deliver(new PyComplex(part(f, v[0]), part(f, v[1])), true);
                case PERSISTENT -> deliver(new PersistentId(v[0]), true);
                case OBJECT -> deliver(buildObject(f), true);
                default -> throw new IllegalStateException(f.kind.name());
            }
        }

        private PyObject buildObject(Frame f) {
            Shape s = (Shape) f.extra;
            Object[] v = f.values;
            int at = 0;
            Object callable = v[at++];
            PyTuple args = PyTuple.of(Arrays.copyOfRange(v, at, at + s.args()));
            at += s.args();
            PyObject o = switch (s.construction()) {
                case REDUCE -> PyObject.reduce(callable, args);
                case NEWOBJ -> PyObject.newObj(callable, args);
                case NEWOBJ_EX -> PyObject.newObjEx(callable, args, v[at++]);
                case INST, OBJ -> {
                    if (s.construction() == PyObject.Construction.INST && !(callable instanceof PyGlobal)) {
                        throw error(f.where, "an INST $object needs a $global callable");
                    }
                    yield PyObject.instance(callable, args, s.construction());
                }
            };
            if (s.state()) {
                Object state = v[at++];
                if (s.stateSetter()) {
                    o.setState(state, v[at++]);
                } else {
                    o.setState(state);
                }
            }
            for (int i = 0; i < s.listItems(); i++) {
                o.appendItem(v[at++]);
            }
            for (int i = 0; i < s.dictItems(); i++) {
                o.putItem(v[at], v[at + 1]);
                at += 2;
            }
            for (int i = 0; i < s.setItems(); i++) {
                o.addItem(v[at++]);
            }
            return o;
        }

        private void requireHashable(Frame f, int i, String what) {
            if (!f.hashable[i]) {
                throw error(f.where, what + " must be hashable, and a " + typeName(f.values[i]) + " is not");
            }
        }

        private double part(Frame f, Object v) {
            if (v instanceof Double d) {
                return d;
            }
            if (v instanceof Integer || v instanceof Long) {
                return ((Number) v).doubleValue();
            }
            throw error(f.where, "$complex needs two floats, found " + describe(v));
        }

        /** The value of a tag whose content is plain JSON (a string or an array of atoms). */
        private Object atom(JsonObject where, String tag, Object v) {
            switch (tag) {
                case "$ndarray" -> {
                    JsonObject spec = expect(where, v, JsonObject.class, "{\"dtype\": ..., \"shape\": [...], \"data\": base64}");
                    if (!(spec.get("dtype") instanceof String dtype) || !(spec.get("shape") instanceof List<?> dims)
                            || !(spec.get("data") instanceof String data)) {
                        throw error(where, "$ndarray needs {\"dtype\": \"<f8\", \"shape\": [...], \"data\": base64}");
                    }
                    int[] shape = new int[dims.size()];
                    for (int i = 0; i < shape.length; i++) {
                        if (!(dims.get(i) instanceof Integer d) || d < 0) {
                            throw error(where, "$ndarray's shape needs non-negative ints, found " + describe(dims.get(i)));
                        }
                        shape[i] = d;
                    }
                    try {
                        return dev.picklejar.numpy.NdArray.of(dev.picklejar.numpy.DType.of(dtype), shape,
                                java.nio.ByteBuffer.wrap(base64(data)), false);
                    } catch (IllegalArgumentException e) {
                        throw error(where, "$ndarray: " + e.getMessage());
                    }
                }
                case "$bytes", "$bytearray" -> {
                    byte[] bytes;
                    try {
                        bytes = base64(expect(where, v, String.class, "a base64 string"));
                    } catch (IllegalArgumentException e) {
                        throw error(where, tag + " needs standard base64: " + e.getMessage());
                    }
                    return tag.equals("$bytes") ? bytes : new PyByteArray(bytes);
                }
                case "$int" -> {
                    String text = expect(where, v, String.class, "a string of decimal digits");
                    if (!INT.matcher(text).matches()) {
                        throw error(where, "$int needs decimal digits, found \"" + text + "\"");
                    }
                    BigInteger n = new BigInteger(text);
                    if (n.bitLength() < 32) {
                        return n.intValue();
                    }
                    return n.bitLength() < 64 ? (Object) n.longValue() : n;
                }
                case "$float" -> {
                    String text = expect(where, v, String.class, "\"nan\", \"inf\" or \"-inf\"");
                    return switch (text) {
                        case "nan" -> Double.NaN;
                        case "inf" -> Double.POSITIVE_INFINITY;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        default -> throw error(where, "$float needs \"nan\", \"inf\" or \"-inf\" (finite floats are "
                                + "JSON numbers), found \"" + text + "\"");
                    };
                }
                case "$decimal" -> {
                    String text = expect(where, v, String.class, "a string");
                    if (!DECIMAL.matcher(text).matches()) {
                        throw error(where, "$decimal needs a number as Python's str(Decimal) writes it, found \"" + text + "\"");
                    }
                    return decimal(text);
                }
                case "$uuid" -> {
                    String text = expect(where, v, String.class, "a string");
                    if (!UUID_TEXT.matcher(text).matches()) {
                        throw error(where, "$uuid needs 8-4-4-4-12 hex digits, found \"" + text + "\"");
                    }
                    return UUID.fromString(text);
                }
                case "$datetime" -> {
                    return dateTime(where, expect(where, v, String.class, "a string"));
                }
                case "$date" -> {
                    String text = expect(where, v, String.class, "a string");
                    Matcher m = DATE_TEXT.matcher(text);
                    if (!m.matches()) {
                        throw error(where, "$date needs YYYY-MM-DD, found \"" + text + "\"");
                    }
                    return date(where, m, 1);
                }
                case "$time" -> {
                    String text = expect(where, v, String.class, "a string");
                    Matcher m = TIME_TEXT.matcher(text);
                    if (!m.matches()) {
                        throw error(where, "$time needs HH:MM:SS[.ffffff][+HH:MM], found \"" + text + "\"");
                    }
                    LocalTime t = time(where, m, 1);
                    ZoneOffset z = offset(where, m, 5);
                    return z == null ? t : t.atOffset(z);
                }
                case "$timedelta" -> {
                    return timedelta(where, v);
                }
                case "$timezone" -> {
                    String text = expect(where, v, String.class, "a string");
                    Matcher m = OFFSET_TEXT.matcher(text);
                    if (!m.matches()) {
                        throw error(where, "$timezone needs +HH:MM or -HH:MM, found \"" + text + "\"");
                    }
                    return offset(where, m, 1);
                }
                case "$zoneinfo" -> {
                    String key = expect(where, v, String.class, "a string");
                    try {
                        return ZoneId.of(key);
                    } catch (DateTimeException e) {
                        throw error(where, "$zoneinfo needs a time-zone key such as \"Europe/Paris\", found \"" + key + "\"");
                    }
                }
                case "$ipaddress" -> {
                    String text = expect(where, v, String.class, "a string");
                    // Only literals reach the JDK's parser (a colon, or four dotted decimals): no lookup.
                    if (text.indexOf(':') >= 0 || IPV4_TEXT.matcher(text).matches()) {
                        try {
                            java.net.InetAddress address = java.net.InetAddress.getByName(text);
                            if ((text.indexOf(':') >= 0) == (address instanceof java.net.Inet6Address)) {
                                return address;
                            }
                        } catch (java.net.UnknownHostException e) {
                            // reported below
                        }
                    }
                    throw error(where, "$ipaddress needs an address as Python's str() writes it (192.168.0.1, 2001:db8::1),"
                            + " found \"" + text + "\"");
                }
                case "$fraction" -> {
                    String text = expect(where, v, String.class, "a string n/d");
                    Matcher m = FRACTION_TEXT.matcher(text);
                    if (!m.matches() || new BigInteger(m.group(2)).signum() == 0) {
                        throw error(where, "$fraction needs numerator/denominator such as \"-3/7\", found \"" + text + "\"");
                    }
                    return PyFraction.of(new BigInteger(m.group(1)), new BigInteger(m.group(2)));
                }
                case "$array" -> {
                    List<?> parts = expect(where, v, List.class, "[typecode, base64 of the items]");
                    if (parts.size() != 2 || !(parts.get(0) instanceof String code) || code.length() != 1
                            || !(parts.get(1) instanceof String items)) {
                        throw error(where, "$array needs [typecode, base64 of the little-endian items], two strings");
                    }
                    try {
                        return PyArray.fromBytes(code.charAt(0), base64(items));
                    } catch (IllegalArgumentException e) {
                        throw error(where, "$array: " + e.getMessage());
                    }
                }
                case "$enum" -> {
                    List<?> names = expect(where, v, List.class, "[module, class, member]");
                    if (names.size() != 3 || !(names.get(0) instanceof String module)
                            || !(names.get(1) instanceof String cls) || !(names.get(2) instanceof String name)) {
                        throw error(where, "$enum needs [module, class qualified name, member name], three strings");
                    }
                    return new PyEnumMember(new PyGlobal(module, cls), name);
                }
                case "$global" -> {
                    List<?> names = expect(where, v, List.class, "[module, qualified name]");
                    if (names.size() != 2 || !(names.get(0) instanceof String module)
                            || !(names.get(1) instanceof String name)) {
                        throw error(where, "$global needs [module, qualified name], two strings");
                    }
                    return new PyGlobal(module, name);
                }
                default -> throw error(where, "unknown tag '" + tag + "': an object whose only key starts with '$' "
                        + "is a tagged value; write a dict like that as {\"$$\": {...}}");
            }
        }

        private Object dateTime(JsonObject where, String text) {
            Matcher m = DATETIME_TEXT.matcher(text);
            if (!m.matches()) {
                throw error(where, "$datetime needs YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM], found \"" + text + "\"");
            }
            LocalDateTime local = LocalDateTime.of(date(where, m, 1), time(where, m, 4));
            ZoneOffset z = offset(where, m, 8);
            if (m.group(13) != null) {
                // A zoneinfo datetime: the offset must be one the zone has at that wall time.
                ZoneId zone;
                try {
                    zone = ZoneId.of(m.group(13));
                } catch (DateTimeException e) {
                    throw error(where, "$datetime names an unknown time zone [" + m.group(13) + "]");
                }
                if (z == null || !zone.getRules().isValidOffset(local, z)) {
                    throw error(where, "$datetime " + text + ": " + (z == null ? "a zone needs its offset"
                            : "the zone has no offset " + z + " at that time"));
                }
                return ZonedDateTime.ofLocal(local, zone, z);
            }
            return z == null ? local : local.atOffset(z);
        }

        private LocalDate date(JsonObject where, Matcher m, int group) {
            int year = Integer.parseInt(m.group(group));
            if (year < 1) {
                throw error(where, "year 0 is out of range (Python's years are 1 to 9999)");
            }
            try {
                return LocalDate.of(year, Integer.parseInt(m.group(group + 1)), Integer.parseInt(m.group(group + 2)));
            } catch (DateTimeException e) {
                throw error(where, e.getMessage());
            }
        }

        private LocalTime time(JsonObject where, Matcher m, int group) {
            int micros = m.group(group + 3) == null ? 0 : Integer.parseInt(m.group(group + 3));
            try {
                return LocalTime.of(Integer.parseInt(m.group(group)), Integer.parseInt(m.group(group + 1)),
                        Integer.parseInt(m.group(group + 2)), micros * 1000);
            } catch (DateTimeException e) {
                throw error(where, e.getMessage());
            }
        }

        /** The offset in groups Z, sign, HH, MM, SS from {@code group}; null when the text has none. */
        private ZoneOffset offset(JsonObject where, Matcher m, int group) {
            if (m.group(group) != null) {
                return ZoneOffset.UTC;
            }
            if (m.group(group + 1) == null) {
                return null;
            }
            int hours = Integer.parseInt(m.group(group + 2));
            int minutes = Integer.parseInt(m.group(group + 3));
            int seconds = m.group(group + 4) == null ? 0 : Integer.parseInt(m.group(group + 4));
            if (minutes > 59 || seconds > 59) {
                throw error(where, "an offset's minutes and seconds are 0 to 59");
            }
            int total = hours * 3600 + minutes * 60 + seconds;
            if (total > 18 * 3600) {
                throw error(where, "offsets beyond 18 hours have no java.time form; write the timezone as an $object");
            }
            return ZoneOffset.ofTotalSeconds(m.group(group + 1).equals("-") ? -total : total);
        }

        private Duration timedelta(JsonObject where, Object v) {
            List<?> fields = expect(where, v, List.class, "[days, seconds, microseconds]");
            if (fields.size() != 3) {
                throw error(where, "$timedelta needs [days, seconds, microseconds]");
            }
            long[] f = new long[3];
            for (int i = 0; i < 3; i++) {
                if (!(fields.get(i) instanceof Integer || fields.get(i) instanceof Long)) {
                    throw error(where, "$timedelta needs three ints, found " + describe(fields.get(i)));
                }
                f[i] = ((Number) fields.get(i)).longValue();
            }
            try {
                Duration d = Duration.ofDays(f[0]).plusSeconds(f[1]).plusNanos(Math.multiplyExact(f[2], 1000L));
                if (Math.abs(Math.floorDiv(d.getSeconds(), 86_400L)) > 999_999_999L) {
                    throw error(where, "$timedelta days must be in -999999999..999999999");
                }
                return d;
            } catch (ArithmeticException e) {
                throw error(where, "$timedelta out of range");
            }
        }

        private <T> T expect(JsonObject where, Object v, Class<T> type, String what) {
            if (!type.isInstance(v)) {
                String tag = where.keySet().iterator().next();
                throw error(where, tag + " needs " + what + ", found " + describe(v));
            }
            return type.cast(v);
        }

        private JsonException error(JsonObject where, String message) {
            return where == null ? new JsonException(source, line, 1, message)
                    : new JsonException(source, where.line, where.column, message);
        }
    }

    /** Characters of base64 decoded at a time: a multiple of 4, so that only the last chunk may hold padding. */
    private static final int BASE64_CHUNK = 4 * 16 * 1024;

    /**
     * Standard base64 (padding optional) decoded chunk by chunk, so that a large payload is not copied
     * whole into bytes first. Throws IllegalArgumentException for anything else.
     */
    static byte[] base64(String text) {
        int length = text.length();
        int padding = length > 0 && text.charAt(length - 1) == '=' ? length > 1 && text.charAt(length - 2) == '=' ? 2 : 1 : 0;
        int equals = text.indexOf('=');
        if (equals >= 0 && equals < length - padding || length % 4 == 1 || padding > 0 && length % 4 != 0) {
            throw new IllegalArgumentException("not base64 of the standard alphabet with its padding");
        }
        int size = length / 4 * 3 + (length % 4 == 0 ? -padding : length % 4 - 1);
        byte[] out = new byte[size];
        Base64.Decoder decoder = Base64.getDecoder();
        int filled = 0;
        for (int at = 0; at < length; at += BASE64_CHUNK) {
            String chunk = text.substring(at, Math.min(length, at + BASE64_CHUNK));
            byte[] part = decoder.decode(chunk.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            System.arraycopy(part, 0, out, filled, part.length);
            filled += part.length;
        }
        return out;
    }

    /** A Decimal from its str(): BigDecimal when writing it back gives the very same text, else PyDecimal. */
    static Object decimal(String text) {
        try {
            BigDecimal d = new BigDecimal(text);
            if (d.toString().equals(text) && !(d.signum() == 0 && text.startsWith("-"))) {
                return d;
            }
        } catch (NumberFormatException e) {
            // NaN, Infinity or an exponent beyond BigDecimal: Python's text is kept as it is.
        }
        return new PyDecimal(text);
    }

    private static String describe(Object json) {
        if (json == null) {
            return "null";
        }
        if (json instanceof String) {
            return "a string";
        }
        if (json instanceof Boolean) {
            return json.toString();
        }
        if (json instanceof Double) {
            return "a float";
        }
        if (json instanceof Number) {
            return "an int";
        }
        if (json instanceof List) {
            return "an array";
        }
        return "an object";
    }

    /** The Python type of an unhashable value, by core's one mapping (a tuple is unhashable for what it holds). */
    private static String typeName(Object value) {
        return value instanceof PyTuple ? "tuple holding an unhashable value" : PythonTypes.nameOf(value);
    }
}
