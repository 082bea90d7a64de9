package dev.picklejar.cli;

import dev.picklejar.Disassembler;
import dev.picklejar.PickleException;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code picklejar dis}: what Python's pickletools prints, for every pickle of every file. */
@Command(name = "dis", mixinStandardHelpOptions = true,
        description = {"Print what python3 -m pickletools prints for each FILE, with its options: for every pickle in "
                + "the file, one after another, offsets counting from the start of the file (pickletools lists the "
                + "first pickle of a file; picklejar goes on as pickletools.dis(f) called again would).",
            "A pickle pickletools refuses is listed up to where pickletools stops; then one line on standard "
                + "error says why, and the exit code is 2. So does an empty file, and bytes after a pickle's STOP "
                + "whose first opcode already fails (they are not listed)."})
final class DisCommand implements Callable<Integer> {
    /** A later pickle's listing is held back this far, so that left-over bytes are reported, not listed. */
    private static final int HOLD_BACK = 1 << 18;

    @Option(names = {"-a", "--annotate"}, description = "Annotate each line with a short opcode description.")
    boolean annotate;

    @Option(names = {"-l", "--indentlevel"}, defaultValue = "4", paramLabel = "N",
            description = "The number of blanks by which to indent a new MARK level (default: ${DEFAULT-VALUE}).")
    int indentLevel;

    @Option(names = {"-m", "--memo", "--shared-memo"}, description = "Preserve the memo between disassemblies (pickles "
            + "and files): what one Pickler's repeated dump() wrote lists as pickletools.dis(f, memo=memo) lists it.")
    boolean memo;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The file where the output should be written.")
    String output;

    @Option(names = {"-p", "--preamble"}, defaultValue = "==> {name} <==", paramLabel = "TEXT",
            description = "If more than one FILE is given, print this before each disassembly (default: ${DEFAULT-VALUE}).")
    String preamble;

    @Option(names = "--verbose", description = "On an error, also print the Java stack trace.")
    boolean verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files of one or more pickles; - for standard input.")
    List<String> files;

    private Writer out;

    @Override
    public Integer call() throws IOException {
        List<String> preambles;
        try {
            preambles = files.stream().map(f -> format(preamble, f.equals("-") ? "<stdin>" : f)).toList();
        } catch (IllegalArgumentException e) {
            System.err.println("picklejar: --preamble: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        OutputStream sink;
        try {
            sink = output == null ? System.out : new FileOutputStream(output);
        } catch (IOException e) {
            System.err.println("picklejar: " + output + ": cannot write: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        out = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16);
        Disassembler.Options options = Disassembler.Options.defaults()
                .withIndentLevel(indentLevel).withAnnotate(annotate ? 30 : 0).withKeptMemo(memo);
        Disassembler disassembler = null;
        try {
            for (int i = 0; i < files.size(); i++) {
                if (files.size() > 1) {
                    out.write(preambles.get(i));
                    out.write('\n');
                }
                String file = files.get(i);
                InputFile input;
                try {
                    input = InputFile.open(file);
                } catch (IOException e) {
                    fail(file, "cannot open: " + e.getMessage(), e);
                    return Main.EXIT_BAD_INPUT;
                }
                try (input) {
                    if (disassembler == null) {
                        disassembler = Disassembler.open(input.in, options);
                    } else {
                        disassembler.nextInput(input.in);
                    }
                    if (!list(disassembler, input)) {
                        return Main.EXIT_BAD_INPUT;
                    }
                }
            }
            return 0;
        } finally {
            out.flush();
            if (output != null) {
                out.close();
            }
        }
    }

    /** Lists every pickle of one input; false (after one line on standard error) when it fails. */
    private boolean list(Disassembler disassembler, InputFile input) throws IOException {
        if (input.isEmpty()) {
            return fail(input.name, "empty, no pickle in it (pickletools: pickle exhausted before seeing STOP, at byte 0)", null);
        }
        long count = 0;
        long end = 0;
        HeldBack later = null;
        try {
            while (disassembler.hasNext()) {
                if (count == 0) {
                    disassembler.next(out);
                } else {
                    later = new HeldBack(out);
                    disassembler.next(later);
                    later.release();
                    later = null;
                }
                count++;
                end = disassembler.offset();
            }
            return true;
        } catch (PickleException e) {
            if (count == 0) {
                return fail(input.name, input.firstPickleFailed(e), e);
            }
            // Bytes whose very first opcode fails are left over, not a pickle; a pickle that fails further
            // on is a broken pickle, listed as far as pickletools lists it.
            if (later != null && !later.spilled && e.offset() == end) {
                return fail(input.name, input.leftOver(end, e.getMessage()), e);
            }
            if (later != null) {
                later.release();
            }
            return fail(input.name, e.getMessage() + Main.sharedMemoHint(e, memo), e);
        } catch (IOException e) {
            return fail(input.name, "read failed: " + e.getMessage(), e);
        }
    }

    private boolean fail(String file, String message, Exception e) throws IOException {
        out.flush();
        System.out.flush();
        System.err.println("picklejar: " + file + ": " + message);
        if (verbose && e != null) {
            e.printStackTrace();
        }
        return false;
    }

    /** Python's {@code preamble.format(name=name)}: {name}, and {{ and }} for braces. */
    static String format(String template, String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                b.append(c);
                i++;
            } else if (template.startsWith("{name}", i)) {
                b.append(name);
                i += "{name}".length() - 1;
            } else if (c == '{' || c == '}') {
                throw new IllegalArgumentException("only {name} can be filled in (and {{ and }} stand for braces): "
                        + template);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The listing of a pickle after the first, held back until it is complete (or too long to be
     * left-over bytes), so that bytes after a STOP that do not even start a pickle are not listed.
     */
    private static final class HeldBack implements Appendable {
        private final Writer out;
        private final StringBuilder held = new StringBuilder();
        boolean spilled;

        HeldBack(Writer out) {
            this.out = out;
        }

        @Override
        public Appendable append(CharSequence s) throws IOException {
            return append(s, 0, s.length());
        }

        @Override
        public Appendable append(CharSequence s, int start, int end) throws IOException {
            if (spilled) {
                out.append(s, start, end);
            } else {
                held.append(s, start, end);
                if (held.length() > HOLD_BACK) {
                    release();
                    spilled = true;
                }
            }
            return this;
        }

        @Override
        public Appendable append(char c) throws IOException {
            return append(String.valueOf(c));
        }

        void release() throws IOException {
            out.append(held);
            held.setLength(0);
        }
    }
}
