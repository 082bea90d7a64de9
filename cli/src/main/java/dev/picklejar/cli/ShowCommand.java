package dev.picklejar.cli;

import dev.picklejar.PickleException;
import dev.picklejar.PickleStream;
import dev.picklejar.Repr;
import dev.picklejar.Unpickler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code picklejar show}: one line per pickle, Python's repr() of what it holds. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print Python's repr() of every pickle in each FILE, one line each, file after file.",
            "An input that is empty, not a pickle, or has bytes after its last pickle that do not start one is an "
                + "error (as Python's repeated pickle.load raises): what was read is printed, then one line on "
                + "standard error names the file, the byte offset and what was wrong, and the exit code is 2."})
final class ShowCommand implements Callable<Integer> {
    /** A persistent id, shown as the call that Python's persistent_load would get. */
    record ShownPersistentId(Object id) {
        @Override
        public String toString() {
            return "persistent_load(" + Repr.of(id) + ")";
        }
    }

    @Option(names = "--encoding", defaultValue = "ASCII",
            description = "How to decode Python 2 strings: ASCII, latin1 or bytes (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--persistent-ids", description = "Print a persistent id (PERSID, BINPERSID) as "
            + "persistent_load(<id>) instead of failing on it.")
    boolean persistentIds;

    @Option(names = "--shared-memo", description = "The pickles of a file share one memo: read them as one Python"
            + " Unpickler's repeated load() does, what one Pickler's repeated dump() wrote.")
    boolean sharedMemo;

    @Option(names = "--verbose", description = "On an error, also print the Java stack trace.")
    boolean verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files of one or more pickles, PyTorch checkpoints, or numpy .npy or .npz files (found by "
            + "content); - for standard input.")
    List<String> files;

    /** Standard output in UTF-8; a repr is written to it as it is made, never held whole. */
    private PrintStream out;

    /**
     * The longest repr printed for a pickle of {@code bytes} bytes. Without shared references a repr
     * takes a few characters per byte of pickle (an escape, a repeated class name), so 100 per byte
     * is plenty; past it, values shared through the memo or DUP are being printed again and again (a
     * list holding one list twice, sixty levels deep, would print 2**60 items). Never more than an
     * eighth of the heap.
     */
    static long maxReprLength(long bytes) {
        return Math.min(100 * bytes + 1_000_000, Runtime.getRuntime().maxMemory() / 8);
    }

    @Override
    public Integer call() throws IOException {
        Unpickler.Builder builder = Unpickler.builder().encoding(encoding).sharedMemo(sharedMemo);
        if (persistentIds) {
            builder.persistentLoad(ShownPersistentId::new);
        }
        Unpickler unpickler = builder.build();
        out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try {
            for (String file : files) {
                if (!show(unpickler, file)) {
                    return Main.EXIT_BAD_INPUT;
                }
            }
            return 0;
        } finally {
            out.flush();
        }
    }

    /** Prints every pickle of one input; false (after one line on standard error) when it fails. */
    private boolean show(Unpickler unpickler, String file) {
        try {
            List<Object> whole = Inputs.special(file);
            if (whole != null) {
                for (Object value : whole) {
                    Repr.write(value, Long.MAX_VALUE, out);
                    out.println();
                }
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return fail(file, e.getMessage(), e);
        }
        InputFile input;
        try {
            input = InputFile.open(file);
        } catch (IOException e) {
            return fail(file, "cannot open: " + e.getMessage(), e);
        }
        long count = 0;
        long end = 0;
        try (input; PickleStream pickles = unpickler.open(input.in)) {
            if (input.isEmpty()) {
                return fail(file, "empty, no pickle in it (Python's pickle.load raises EOFError: Ran out of input)", null);
            }
            while (pickles.hasNext()) {
                long start = pickles.offset();
                Object value = pickles.next();
                try {
                    Repr.write(value, maxReprLength(pickles.offset() - start), out);
                    out.println();
                } catch (Repr.TooLongException e) {
                    // What was written of the repr ends its line, cut short; standard error says why.
                    out.println();
                    return fail(file, "the pickle at byte " + start + ": " + e.getMessage(), e);
                }
                count++;
                end = pickles.offset();
            }
            return true;
        } catch (PickleException e) {
            if (!persistentIds && e.getMessage().contains("persistent id")) {
                return fail(file, e.getMessage() + "; show --persistent-ids prints them, and show reads a whole torch "
                        + "checkpoint", e);
            }
            // After a pickle, bytes whose very first opcode fails are left over; a later failure is a broken pickle.
            return fail(file, count == 0 ? input.firstPickleFailed(e)
                    : e.offset() == end ? input.leftOver(end, e.getMessage())
                    : e.getMessage() + Main.sharedMemoHint(e, sharedMemo), e);
        } catch (IOException e) {
            return fail(file, "read failed: " + e.getMessage(), e);
        }
    }

    private boolean fail(String file, String message, Exception e) {
        out.flush();
        System.err.println("picklejar: " + file + ": " + message);
        if (verbose && e != null) {
            e.printStackTrace();
        }
        return false;
    }
}
