package dev.picklejar.fuzz;

import dev.picklejar.Disassembler;
import dev.picklejar.PickleException;
import dev.picklejar.PickleStream;
import dev.picklejar.Pickler;
import dev.picklejar.PicklingException;
import dev.picklejar.Repr;
import dev.picklejar.ScanReport;
import dev.picklejar.Scanner;
import dev.picklejar.Unpickler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What each fuzz target promises for any input at all. Anything else that escapes (an unchecked
 * exception, an {@code OutOfMemoryError}, a {@code StackOverflowError}, a failed check) is a finding.
 * The targets are plain static methods so that the JUnit replay ({@link PickleFuzzTest}) and the
 * standalone driver ({@code tools/fuzz.sh}, one nested class per target) run the same code.
 */
public final class FuzzTargets {
    private static final Unpickler STRICT = Unpickler.builder().strict(true).build();

    private FuzzTargets() {
    }

    /**
     * Loads every pickle of the input with default limits and prints it, in full within a length and
     * abbreviated: values or PickleException (or Repr.TooLongException for the full repr).
     */
    static void loads(byte[] data) {
        loadAll(Unpickler.standard(), data, true);
    }

    /** The same in strict mode: any unknown global is refused with a PickleException. */
    static void strictLoads(byte[] data) {
        loadAll(STRICT, data, true);
    }

    /** Disassembles every pickle: text, or a PickleException (pickletools' own errors included). */
    static void dis(byte[] data) {
        try {
            Disassembler.disAll(new ByteArrayInputStream(data), new StringBuilder());
        } catch (PickleException expected) {
            // pickletools raises too, or an argument is too large to hold
        } catch (IOException e) {
            throw new UncheckedIOException("reading an array cannot fail", e);
        }
    }

    /** Scans the input as a file: never throws; what it cannot read is a ScanError in the report. */
    static void scan(byte[] data) {
        ScanReport report = Scanner.standard().scan(data, "fuzz.pkl");
        if (report == null) {
            throw new AssertionError("no report");
        }
    }

    /**
     * Loads each pickle, writes it again at its own protocol (PROTO's argument; without one, 0 for an
     * input of even length and 1 for odd, so both old protocols get fuzzed), and checks that what was
     * written is a fixed point: it loads, prints as the first load printed, and writes back to the
     * very same bytes. A value the writer refuses ends in PicklingException (for example a PyObject
     * that CPython could not write at that protocol either). Documented differences in the repr,
     * the writer spelling a value as CPython does: a dotted global below protocol 4 comes back as the
     * getattr call it is written as, copyreg._reconstructor(cls, object, None) from protocol 2 as
     * NEWOBJ, NEWOBJ below protocol 2 as a call of copyreg.__newobj__(cls, *args), NEWOBJ_EX below protocol 4
     * as a call of copyreg.__newobj_ex__(cls, args, kwargs), and a datetime's
     * fold=1 below protocol 4, which CPython does not write either; below protocol 3 a global that
     * CPython's {@code _compat_pickle} reads back under another name of the same object
     * ({@link CompatReadBack}) is compared, and written again, under that name. Identical bytes for
     * CPython's own pickles are the writer vector tests' job: a fuzzed input is rarely in CPython's canonical form.
     */
    static void roundTrip(byte[] data) {
        int protocol = data.length >= 2 && (data[0] & 0xff) == 0x80 && data[1] >= 0 && data[1] <= 5
                ? data[1] : data.length % 2;
        Pickler pickler = Pickler.standard(protocol);
        for (Object value : loadAll(Unpickler.standard(), data, false)) {
            byte[] written;
            try {
                written = pickler.dumps(value);
            } catch (PicklingException refused) {
                continue;
            }
            Object again;
            try {
                again = Unpickler.standard().loads(written);
            } catch (PickleException e) {
                throw new AssertionError("the writer's own pickle does not load: " + e.getMessage(), e);
            }
            // Below protocol 3 CPython reads some globals back under another name of the same object
            // (Lib/_compat_pickle.py's one-way mappings: _socket.socket comes back as socket.SocketType):
            // what was read back is compared with the value under those names, and written as it is.
            Object expected = protocol < 3 ? CompatReadBack.readBackAll(value) : value;
            // Bounded as show bounds it: a graph that shares values has an exponentially long repr.
            String before = comparable(expected, protocol < 4, data.length);
            String after = comparable(again, false, data.length);
            if (!before.equals(after)) {
                // Compared again with copyreg._reconstructor(cls, object, None) (protocols 0 and 1) as
                // NEWOBJ, cls.__new__(cls), the spelling the writer uses from protocol 2 as CPython does.
                before = comparable(Respell.reconstructorsAsNewObj(expected), protocol < 4, data.length);
                after = comparable(Respell.reconstructorsAsNewObj(again), false, data.length);
            }
            if (!before.equals(after) && !(protocol < 4 && spellsNestedNames(written))
                    && !(protocol < 2 && spellsNewObj(written))
                    && !(protocol < 4 && spellsNewObjEx(written))) {
                throw new AssertionError("loaded " + before + ", wrote it, and read back " + after);
            }
            byte[] rewritten = pickler.dumps(again);
            if (!Arrays.equals(expected == value ? written : pickler.dumps(expected), rewritten)) {
                throw new AssertionError("writing " + before + " twice gave different bytes");
            }
        }
    }

    /**
     * Below protocol 4 a dotted name ({@code m.Outer.Inner}) is written as CPython writes it,
     * {@code getattr(m.Outer, 'Inner')}, which CPython loads as the class and picklejar (which calls
     * nothing) as that getattr call: the same Python value, another Java one, so its repr differs.
     */
    private static boolean spellsNestedNames(byte[] written) {
        String text = new String(written, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains("builtin__\ngetattr\n") || text.contains("builtins\ngetattr\n");
    }

    /**
     * Below protocol 2 there is no NEWOBJ: {@code cls.__new__(cls, *args)} is written as CPython
     * writes it, {@code copyreg.__newobj__(cls, *args)}, which CPython loads as the same object and
     * picklejar (which calls nothing) as that call.
     */
    private static boolean spellsNewObj(byte[] written) {
        String text = new String(written, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains("copy_reg\n__newobj__\n") || text.contains("copyreg\n__newobj__\n");
    }

    /**
     * Below protocol 4 there is no NEWOBJ_EX: {@code cls.__new__(cls, *args, **kwargs)} is written as
     * {@code copyreg.__newobj_ex__(cls, args, kwargs)} (CPython's spelling below protocol 2; the
     * README's departures say why not CPython's functools.partial at 2 and 3), which CPython loads as
     * the same object and picklejar as that call.
     */
    private static boolean spellsNewObjEx(byte[] written) {
        String text = new String(written, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains("copy_reg\n__newobj_ex__\n") || text.contains("copyreg\n__newobj_ex__\n");
    }

    /** fold=1 in the repr of a datetime or time (and not in a global's name that happens to hold the text). */
    private static final java.util.regex.Pattern FOLD =
            java.util.regex.Pattern.compile("(datetime\\.(?:datetime|time)\\((?:\\d+, )*\\d+), fold=1");

    /**
     * The repr compared: without a datetime's fold=1 when asked (the value written below protocol 4),
     * and without the identity hash of a
     * Java value with no Python repr yet, printed as its toString() (numpy's NdArray, found by this
     * target: see the report).
     */
    private static String comparable(Object value, boolean dropFold, int inputLength) {
        String repr = boundedRepr(value, inputLength);
        if (dropFold) {
            // CPython writes a datetime's fold only from protocol 4 (datetime.__reduce_ex__), so below
            // it fold=1 is lost by design; a later pickle of the input may be of a higher protocol.
            repr = FOLD.matcher(repr).replaceAll("$1");
        }
        return IDENTITY.matcher(repr).replaceAll("@");
    }

    private static final java.util.regex.Pattern IDENTITY = java.util.regex.Pattern.compile("@[0-9a-f]{4,8}\\b");

    private static String boundedRepr(Object value, int inputLength) {
        try {
            return Repr.of(value, 100L * inputLength + 1_000_000);
        } catch (Repr.TooLongException e) {
            return "too long: " + Repr.abbreviated(value);
        }
    }

    private static List<Object> loadAll(Unpickler unpickler, byte[] data, boolean print) {
        List<Object> values = new ArrayList<>();
        try (PickleStream in = unpickler.open(data)) {
            while (in.hasNext()) {
                Object value = in.next();
                if (print) {
                    // As show prints it (a repr bounded by the pickle's size), and as serve abbreviates it.
                    try {
                        Repr.of(value, 100L * data.length + 1_000_000);
                    } catch (Repr.TooLongException expected) {
                        // shared values expanding: refused, as show refuses them
                    }
                    Repr.abbreviated(value);
                }
                values.add(value);
            }
        } catch (PickleException expected) {
            // a malformed or hostile pickle: the values before it still count
        }
        return values;
    }

    /** Standalone driver entry points, one per target: {@code --target_class=...FuzzTargets$Loads}. */
    public static final class Loads {
        public static void fuzzerTestOneInput(byte[] data) {
            loads(data);
        }
    }

    public static final class StrictLoads {
        public static void fuzzerTestOneInput(byte[] data) {
            strictLoads(data);
        }
    }

    public static final class Dis {
        public static void fuzzerTestOneInput(byte[] data) {
            dis(data);
        }
    }

    public static final class Scan {
        public static void fuzzerTestOneInput(byte[] data) {
            scan(data);
        }
    }

    public static final class RoundTrip {
        public static void fuzzerTestOneInput(byte[] data) {
            roundTrip(data);
        }
    }
}
