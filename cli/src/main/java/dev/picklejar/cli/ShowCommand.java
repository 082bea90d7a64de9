package dev.picklejar.cli;

import dev.picklejar.PickleException;
import dev.picklejar.PickleStream;
import dev.picklejar.Repr;
import dev.picklejar.Unpickler;
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code picklejar show}: one line per pickle, Python's repr() of what it holds. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print Python's repr() of every pickle in FILE, one line each.")
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

    @Option(names = "--verbose", description = "On an error, also print the Java stack trace.")
    boolean verbose;

    @Parameters(paramLabel = "FILE", description = "A file of one or more pickles, a PyTorch checkpoint, or a "
            + "numpy .npy or .npz file (found by content); - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
        Unpickler.Builder builder = Unpickler.builder().encoding(encoding);
        if (persistentIds) {
            builder.persistentLoad(ShownPersistentId::new);
        }
        Unpickler unpickler = builder.build();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try {
            List<Object> whole = Inputs.special(file);
            if (whole != null) {
                for (Object value : whole) {
                    out.println(Repr.of(value));
                }
                out.flush();
                return 0;
            }
        } catch (IOException | RuntimeException e) {
            out.flush();
            System.err.println("picklejar: " + file + ": " + e.getMessage());
            if (verbose) {
                e.printStackTrace();
            }
            return Main.EXIT_BAD_INPUT;
        }
        InputStream in;
        try {
            in = file.equals("-") ? System.in : new FileInputStream(file);
        } catch (IOException e) {
            System.err.println("picklejar: " + file + ": cannot open: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        try (PickleStream pickles = unpickler.open(new BufferedInputStream(in, 1 << 16))) {
            while (pickles.hasNext()) {
                out.println(Repr.of(pickles.next()));
            }
        } catch (PickleException e) {
            out.flush();
            boolean persistent = !persistentIds && e.getMessage().contains("persistent id");
            System.err.println("picklejar: " + file + ": " + e.getMessage()
                    + (persistent ? "; show --persistent-ids prints them, and show reads a whole torch checkpoint" : ""));
            if (verbose) {
                e.printStackTrace();
            }
            return Main.EXIT_BAD_INPUT;
        } finally {
            out.flush();
        }
        return 0;
    }
}
