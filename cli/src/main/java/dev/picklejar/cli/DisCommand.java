package dev.picklejar.cli;

import dev.picklejar.Disassembler;
import dev.picklejar.PickleException;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code picklejar dis}: what Python's pickletools.dis prints, for every pickle of a file. */
@Command(name = "dis", mixinStandardHelpOptions = true,
        description = {"Print what Python's pickletools.dis prints for every pickle in FILE, one after another, "
                + "offsets counting from the start of the file.",
            "A pickle pickletools refuses is listed up to where pickletools stops; then one line on standard "
                + "error says why, and the exit code is 2."})
final class DisCommand implements Callable<Integer> {
    @Option(names = "--shared-memo", description = "The pickles of a file share one memo: list them as pickletools.dis(f, memo=memo)"
            + " does with one memo dict, what one Pickler's repeated dump() wrote.")
    boolean sharedMemo;

    @Option(names = "--verbose", description = "On an error, also print the Java stack trace.")
    boolean verbose;

    @Parameters(paramLabel = "FILE", description = "A file of one or more pickles; - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        boolean stdin = file.equals("-");
        try (InputStream in = stdin ? new UnclosedInput(System.in) : new FileInputStream(file)) {
            Disassembler.disAll(in, out, sharedMemo);
        } catch (PickleException | IOException e) {
            out.flush();
            System.out.flush();
            System.err.println("picklejar: " + file + ": " + describe(e) + Main.sharedMemoHint(e, sharedMemo));
            if (verbose) {
                e.printStackTrace();
            }
            return Main.EXIT_BAD_INPUT;
        } finally {
            out.flush();
        }
        return 0;
    }

    private static String describe(Exception e) {
        if (e instanceof PickleException) {
            return e.getMessage();
        }
        return (e instanceof FileNotFoundException ? "cannot open: " : "read failed: ") + e.getMessage();
    }

    /** Standard input, left open when the command is done with it. */
    private static final class UnclosedInput extends FilterInputStream {
        UnclosedInput(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
