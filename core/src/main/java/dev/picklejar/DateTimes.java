package dev.picklejar;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * The pickled forms of Python's {@code datetime} types: the packed byte states that
 * {@code datetime.datetime}, {@code date} and {@code time} reduce to, and the fields of
 * {@code timedelta}.
 */
final class DateTimes {
    private DateTimes() {
    }

    /** Python's {@code timedelta.max.days}. */
    static final long MAX_DAYS = 999_999_999L;

    /** A datetime state: 10 bytes, or a Python 2 str of the same 10 characters. */
    static byte[] state(Object value, int length) {
        if (value instanceof byte[] b && b.length == length) {
            return b;
        }
        if (value instanceof String s && s.length() == length) {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                if (c > 0xff) {
                    return null;
                }
                b[i] = (byte) c;
            }
            return b;
        }
        return null;
    }

    /** Whether the state's fold bit (the high bit of the month for datetime, the hour for time) is set. */
    static boolean fold(byte[] state, int foldByte) {
        return (state[foldByte] & 0x80) != 0;
    }

    /**
     * Whether a date or datetime state's year is one Python's datetime API makes (MINYEAR 1 to
     * MAXYEAR 9999). CPython builds any year of a state's two bytes and writes it back, so a state
     * outside them stays a PyObject, written back as it was; as a java.time value the writer would
     * refuse it (found by the roundTrip fuzz target).
     */
    static boolean inPythonYears(byte[] s) {
        int year = (s[0] & 0xff) << 8 | (s[1] & 0xff);
        return year >= 1 && year <= 9999;
    }

    /**
     * The java.time value of a state, or null when a field is out of its range (minute 101, day 31 of
     * June): CPython checks only a datetime's month and a time's hour and builds the rest as it is,
     * so such a state stays a PyObject, written back as it was (found by the roundTrip fuzz target).
     */
    static <T> T orNull(java.util.function.Supplier<T> value) {
        try {
            return value.get();
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    static LocalDateTime dateTime(byte[] s) {
        int year = (s[0] & 0xff) << 8 | (s[1] & 0xff);
        return LocalDateTime.of(year, s[2] & 0x7f, s[3] & 0xff, s[4] & 0xff, s[5] & 0xff, s[6] & 0xff,
                micros(s, 7) * 1000);
    }

    static LocalDate date(byte[] s) {
        int year = (s[0] & 0xff) << 8 | (s[1] & 0xff);
        return LocalDate.of(year, s[2] & 0xff, s[3] & 0xff);
    }

    static LocalTime time(byte[] s) {
        return LocalTime.of(s[0] & 0x7f, s[1] & 0xff, s[2] & 0xff, micros(s, 3) * 1000);
    }

    private static int micros(byte[] s, int at) {
        return (s[at] & 0xff) << 16 | (s[at + 1] & 0xff) << 8 | (s[at + 2] & 0xff);
    }

    /** {@code timedelta(days, seconds, microseconds)} as Python normalizes it; null when out of range. */
    static Duration timedelta(long days, long seconds, long micros) {
        Duration d = Duration.ofDays(days).plusSeconds(seconds).plusNanos(Math.multiplyExact(micros, 1000L));
        long normalizedDays = Math.floorDiv(d.getSeconds(), 86_400L);
        return Math.abs(normalizedDays) > MAX_DAYS ? null : d;
    }

    /** The days, seconds and microseconds fields of a duration, normalized as Python's timedelta keeps them. */
    static long[] timedeltaFields(Duration d) {
        long seconds = d.getSeconds();
        long days = Math.floorDiv(seconds, 86_400L);
        return new long[] {days, seconds - days * 86_400L, d.getNano() / 1000};
    }

    /**
     * The arguments of a datetime.datetime or datetime.time reduction as CPython writes them at a
     * protocol: the fold bit is only written from protocol 4 on ({@code _getstate(protocol)}).
     */
    static PyTuple argsForProtocol(PyObject o, int protocol) {
        PyTuple args = o.args();
        if (protocol > 3 || args.isEmpty() || !(args.get(0) instanceof byte[] state)) {
            return args;
        }
        int foldByte;
        if (StandardTypes.DATETIME.equals(o.callable()) && state.length == 10) {
            foldByte = 2;
        } else if (StandardTypes.TIME.equals(o.callable()) && state.length == 6) {
            foldByte = 0;
        } else {
            return args;
        }
        if (!fold(state, foldByte)) {
            return args;
        }
        Object[] items = args.toArray();
        byte[] cleared = state.clone();
        cleared[foldByte] &= 0x7f;
        items[0] = cleared;
        return PyTuple.wrap(items);
    }

    /** A {@code timezone} offset as a ZoneOffset, or null when java.time cannot hold it exactly. */
    static ZoneOffset offset(Duration offset) {
        if (offset.getNano() != 0 || Math.abs(offset.getSeconds()) > 18 * 3600) {
            return null;
        }
        return ZoneOffset.ofTotalSeconds((int) offset.getSeconds());
    }
}
