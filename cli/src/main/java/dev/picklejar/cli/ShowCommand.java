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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code picklejar show}: one line per pickle, Python's repr() of what it holds. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print Python's repr() of every pickle in FILE, one line each.")
final class ShowCommand implements Callable<Integer> {
    @Option(names = "--encoding", defaultValue = "ASCII",
            description = "How to decode Python 2 strings: ASCII, latin1 or bytes (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--shared-memo", description = "The pickles of a file share one memo: read them as one Python"
            + " Unpickler's repeated load() does, what one Pickler's repeated dump() wrote.")
    boolean sharedMemo;

    @Option(names = "--verbose", description = "On an error, also print the Java stack trace.")
    boolean verbose;

    @Parameters(paramLabel = "FILE", description = "A file of one or more pickles; - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
        Unpickler unpickler = Unpickler.builder().encoding(encoding).sharedMemo(sharedMemo).build();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
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
            System.err.println("picklejar: " + file + ": " + e.getMessage() + Main.sharedMemoHint(e, sharedMemo));
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
