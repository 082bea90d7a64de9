package dev.picklejar;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * The standard library's other data types as Java values, both ways: {@code array.array} as
 * {@link PyArray}, {@code fractions.Fraction} as {@link PyFraction}, {@code zoneinfo.ZoneInfo} as
 * a region {@link ZoneId} (and an aware datetime in one as a {@link ZonedDateTime}). Each is made
 * only when writing it back gives CPython's bytes again; anything else stays an inert PyObject.
 */
final class StandardLibrary {
    private StandardLibrary() {
    }

    // ---- array.array ----

    /**
     * The machine format code ({@code array._array_reconstructor}'s third argument) CPython writes
     * for a typecode on a little-endian machine with 4-byte int, 8-byte long and 4-byte wchar_t:
     * Linux and macOS on x86-64 and arm64.
     */
    static int machineFormat(char typecode) {
        return switch (typecode) {
            case 'B' -> 0;
            case 'b' -> 1;
            case 'H' -> 2;
            case 'h' -> 4;
            case 'I' -> 6;
            case 'i' -> 8;
            case 'L', 'Q' -> 10;
            case 'l', 'q' -> 12;
            case 'f' -> 14;
            case 'd' -> 16;
            case 'u' -> 20;
            default -> throw new IllegalArgumentException("bad typecode " + typecode);
        };
    }

    /** {@code array.array(typecode, items)}, as protocols 0-2 pickle an array. */
    static PyArray array(String code, List<?> items) {
        if (!PyArray.isTypecode(code)) {
            throw new IllegalArgumentException("bad typecode (must be b, B, u, h, H, i, I, l, L, q, Q, f or d)");
        }
        char typecode = code.charAt(0);
        int n = items.size();
        switch (typecode) {
            case 'f' -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) real(items.get(i));
                }
                return PyArray.of(typecode, v);
            }
            case 'd' -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = real(items.get(i));
                }
                return PyArray.of(typecode, v);
            }
            case 'u' -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    if (!(items.get(i) instanceof String c) || c.isEmpty() || c.codePointCount(0, c.length()) != 1) {
                        throw new IllegalArgumentException("array item must be a unicode character");
                    }
                    v[i] = c.codePointAt(0);
                }
                return PyArray.of(typecode, v);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = integer(items.get(i), typecode);
                }
                Object values = switch (typecode) {
                    case 'b', 'B' -> {
                        byte[] a = new byte[n];
                        for (int i = 0; i < n; i++) {
                            a[i] = (byte) v[i];
                        }
                        yield a;
                    }
                    case 'h', 'H' -> {
                        short[] a = new short[n];
                        for (int i = 0; i < n; i++) {
                            a[i] = (short) v[i];
                        }
                        yield a;
                    }
                    case 'i', 'I' -> {
                        int[] a = new int[n];
                        for (int i = 0; i < n; i++) {
                            a[i] = (int) v[i];
                        }
                        yield a;
                    }
                    default -> v;
                };
                return PyArray.of(typecode, values);
            }
        }
    }

    private static double real(Object item) {
        if (item instanceof Double d) {
            return d;
        }
        if (item instanceof Integer || item instanceof Long) {
            return ((Number) item).doubleValue();
        }
        throw new IllegalArgumentException("must be real number, not " + Values.typeName(item));
    }

    /** An integer item within the typecode's range, as its bits in a long. */
    private static long integer(Object item, char typecode) {
        if (!(item instanceof Integer || item instanceof Long || item instanceof BigInteger)) {
            throw new IllegalArgumentException("an integer is required (got type " + Values.typeName(item) + ")");
        }
        BigInteger v = Numbers.toBigInteger(item);
        boolean unsigned = Character.isUpperCase(typecode);
        int bits = switch (typecode) {
            case 'b', 'B' -> 8;
            case 'h', 'H' -> 16;
            case 'i', 'I' -> 32;
            default -> 64;
        };
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new IllegalArgumentException("array item " + v + " out of range for typecode '" + typecode + "'");
        }
        return v.longValue();
    }

    /**
     * {@code array._array_reconstructor(array.array, typecode, mformat_code, items)}, as protocol 3
     * and up pickle an array; null (an inert call) for a machine format this machine would not write
     * for the typecode (a big-endian or Windows pickle), so that writing it back gives its bytes.
     */
    static PyArray array(String code, int format, byte[] bytes) {
        if (!PyArray.isTypecode(code)) {
            throw new IllegalArgumentException("second argument must be a valid type code");
        }
        char typecode = code.charAt(0);
        if (format != machineFormat(typecode)) {
            return null;
        }
        int size = typecode == 'b' || typecode == 'B' ? 1 : typecode == 'h' || typecode == 'H' ? 2
                : typecode == 'i' || typecode == 'I' || typecode == 'f' || typecode == 'u' ? 4 : 8;
        if (bytes.length % size != 0) {
            throw new IllegalArgumentException("string length not a multiple of item size");
        }
        int n = bytes.length / size;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Object values = switch (size) {
            case 1 -> bytes.clone();
            case 2 -> {
                short[] a = new short[n];
                b.asShortBuffer().get(a);
                yield a;
            }
            case 4 -> {
                if (typecode == 'f') {
                    float[] a = new float[n];
                    b.asFloatBuffer().get(a);
                    yield a;
                }
                int[] a = new int[n];
                b.asIntBuffer().get(a);
                if (typecode == 'u') {
                    for (int c : a) {
                        if (!Character.isValidCodePoint(c)) {
                            throw new IllegalArgumentException("character U+" + Integer.toHexString(c)
                                    + " is not in range [U+0000; U+10ffff]");
                        }
                    }
                }
                yield a;
            }
            default -> {
                if (typecode == 'd') {
                    double[] a = new double[n];
                    b.asDoubleBuffer().get(a);
                    yield a;
                }
                long[] a = new long[n];
                b.asLongBuffer().get(a);
                yield a;
            }
        };
        return PyArray.of(typecode, values);
    }

    /** The items of an array as array.tobytes() gives them on a little-endian machine. */
    static byte[] bytes(PyArray array) {
        Object v = array.values();
        int n = array.length();
        ByteBuffer b = ByteBuffer.allocate(n * array.itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (v instanceof byte[] a) {
            b.put(a);
        } else if (v instanceof short[] a) {
            b.asShortBuffer().put(a);
        } else if (v instanceof int[] a) {
            b.asIntBuffer().put(a);
        } else if (v instanceof long[] a) {
            b.asLongBuffer().put(a);
        } else if (v instanceof float[] a) {
            b.asFloatBuffer().put(a);
        } else {
            b.asDoubleBuffer().put((double[]) v);
        }
        return b.array();
    }

    // ---- fractions.Fraction ----

    /** Beyond this many bits a Fraction's terms are not checked for lowest terms (nor made a PyFraction). */
    static final int MAX_FRACTION_BITS = 1 << 16;

    /** {@code Fraction(numerator, denominator)} in lowest terms, as CPython pickles one; else null. */
    static PyFraction fraction(Object numerator, Object denominator) {
        if (!(numerator instanceof Integer || numerator instanceof Long || numerator instanceof BigInteger)
                || !(denominator instanceof Integer || denominator instanceof Long || denominator instanceof BigInteger)) {
            return null;
        }
        BigInteger n = Numbers.toBigInteger(numerator);
        BigInteger d = Numbers.toBigInteger(denominator);
        if (d.signum() == 0) {
            throw new IllegalArgumentException("ZeroDivisionError: Fraction(" + n + ", 0)");
        }
        if (n.bitLength() > MAX_FRACTION_BITS || d.bitLength() > MAX_FRACTION_BITS) {
            return null; // the gcd of huge numbers takes quadratic time: a hostile pickle stays a call
        }
        // Fraction(6, 14) is 3/7 in Python, but only the call as written gives its bytes back.
        return d.signum() > 0 && n.gcd(d).equals(BigInteger.ONE) ? new PyFraction(n, d) : null;
    }

    // ---- ipaddress.IPv4Address, ipaddress.IPv6Address ----

    /** {@code IPv4Address(n)}, as CPython pickles one: the address, built from its bytes (no lookup). */
    static Inet4Address ipv4(Object n) {
        if (!(n instanceof Integer || n instanceof Long)) {
            return null;
        }
        long v = ((Number) n).longValue();
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("AddressValueError: " + v + " (>2^32) is not permitted as an IPv4 address");
        }
        byte[] b = {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // never: four bytes are an IPv4 address
        }
    }

    /**
     * {@code IPv6Address(text)}, as CPython pickles one ({@code str(address)}): the address when the
     * text is exactly what Python's str() gives for it (no scope id, no IPv4 form), else null.
     * Parsed here, never by the JDK's resolver, so loading cannot touch the network.
     */
    static Inet6Address ipv6(String text) {
        byte[] b = parseIpv6(text);
        if (b == null || !text.equals(ipv6Text(b))) {
            return null;
        }
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The sixteen bytes of hextets separated by colons, with at most one {@code ::}; null otherwise. */
    private static byte[] parseIpv6(String text) {
        if (text.length() > 39 || text.isEmpty()) {
            return null;
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String[] head = gap < 0 ? text.split(":", -1) : text.substring(0, gap).split(":", -1);
        String[] tail = gap < 0 ? new String[0] : text.substring(gap + 2).split(":", -1);
        if (gap >= 0 && head.length == 1 && head[0].isEmpty()) {
            head = new String[0];
        }
        if (gap >= 0 && tail.length == 1 && tail[0].isEmpty()) {
            tail = new String[0];
        }
        int groups = head.length + tail.length;
        if (gap < 0 ? groups != 8 : groups > 7) {
            return null;
        }
        int[] hextets = new int[8];
        for (int i = 0; i < head.length; i++) {
            if ((hextets[i] = hextet(head[i])) < 0) {
                return null;
            }
        }
        for (int i = 0; i < tail.length; i++) {
            if ((hextets[8 - tail.length + i] = hextet(tail[i])) < 0) {
                return null;
            }
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (hextets[i] >> 8);
            b[2 * i + 1] = (byte) hextets[i];
        }
        return b;
    }

    private static int hextet(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** Python's str() of the address, with its scope id ({@code fe80::1%2}) if it has one. */
    static String ipv6Text(Inet6Address ip) {
        String text = ipv6Text(ip.getAddress());
        if (ip.getScopedInterface() != null) {
            return text + "%" + ip.getScopedInterface().getName();
        }
        return ip.getScopeId() != 0 ? text + "%" + ip.getScopeId() : text;
    }

    /** Python's str() of an IPv6Address: lowercase hextets, the longest run of two or more zeros (the first) as ::. */
    static String ipv6Text(byte[] b) {
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
            h[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (h[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && h[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        // As Python's _compress_hextets: the run becomes one empty part, with one more at either end.
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (bestLength > 1 && i == bestStart) {
                if (i == 0) {
                    parts.add("");
                }
                parts.add("");
                if (i + bestLength == 8) {
                    parts.add("");
                }
                i += bestLength - 1;
            } else {
                parts.add(Integer.toHexString(h[i]));
            }
        }
        String out = String.join(":", parts);
        return out;
    }

    // ---- zoneinfo.ZoneInfo ----

    /** Whether the callable is {@code getattr(zoneinfo.ZoneInfo, '_unpickle')}, how a ZoneInfo pickles. */
    static boolean isZoneInfoUnpickle(Object callable) {
        return callable instanceof PyObject f && f.construction() == PyObject.Construction.REDUCE
                && StandardTypes.GETATTR.equals(f.callable()) && f.args().size() == 2
                && StandardTypes.ZONEINFO.equals(f.args().get(0)) && "_unpickle".equals(f.args().get(1))
                && !f.hasState();
    }

    /**
     * {@code ZoneInfo._unpickle(key, 1)}: the region ZoneId of that key (from_cache 1 is
     * {@code ZoneInfo(key)}), or null when the JDK's time-zone database does not know it by that very id.
     */
    static ZoneId zoneInfo(PyTuple args) {
        if (args.size() != 2 || !(args.get(0) instanceof String key) || !Integer.valueOf(1).equals(args.get(1))) {
            return null;
        }
        try {
            ZoneId zone = ZoneId.of(key);
            return zone instanceof ZoneOffset || !zone.getId().equals(key) ? null : zone;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * A datetime with a ZoneInfo: a ZonedDateTime when it names exactly that wall time (not in a
     * gap, which java.time would move); fold=1 only in an overlap, where it is the later offset.
     */
    static ZonedDateTime zoned(LocalDateTime local, ZoneId zone, boolean fold) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return null;
        }
        if (fold) {
            return transition != null ? ZonedDateTime.ofLocal(local, zone, transition.getOffsetAfter()) : null;
        }
        ZonedDateTime t = transition != null ? ZonedDateTime.ofLocal(local, zone, transition.getOffsetBefore())
                : ZonedDateTime.ofLocal(local, zone, null);
        return t.toLocalDateTime().equals(local) ? t : null;
    }

    /** Whether a ZonedDateTime is the later of two wall times an overlap makes: Python's fold=1. */
    static boolean fold(ZonedDateTime t) {
        ZoneOffsetTransition transition = t.getZone().getRules().getTransition(t.toLocalDateTime());
        return transition != null && transition.isOverlap() && t.getOffset().equals(transition.getOffsetAfter());
    }
}
