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

    /** Loads every pickle of the input with default limits and prints it: values or PickleException. */
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
     * that CPython could not write at that protocol either). Identical bytes for CPython's own pickles
     * are the writer vector tests' job: a fuzzed input is rarely in CPython's canonical form.
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
            String before = Repr.of(value);
            String after = Repr.of(again);
            if (!before.equals(after)) {
                throw new AssertionError("loaded " + before + ", wrote it, and read back " + after);
            }
            byte[] rewritten = pickler.dumps(again);
            if (!Arrays.equals(written, rewritten)) {
                throw new AssertionError("writing " + before + " twice gave different bytes");
            }
        }
    }

    private static List<Object> loadAll(Unpickler unpickler, byte[] data, boolean print) {
        List<Object> values = new ArrayList<>();
        try (PickleStream in = unpickler.open(data)) {
            while (in.hasNext()) {
                Object value = in.next();
                if (print) {
                    Repr.of(value);
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
