package dev.picklejar.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Runs picklejar's command line in the test's JVM, its standard streams captured. */
final class CommandLine {
    private CommandLine() {
    }

    /** What a run wrote and returned: standard output as written ({@link #bytes}) and as UTF-8 text ({@link #out}). */
    record Run(int exit, byte[] bytes, String err) {
        static Run of(int exit, String out, String err) {
            return new Run(exit, out.getBytes(UTF_8), err);
        }

        String out() {
            return new String(bytes, UTF_8);
        }

        List<String> lines() {
            String out = out();
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Run r && exit == r.exit && Arrays.equals(bytes, r.bytes) && err.equals(r.err);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * exit + Arrays.hashCode(bytes)) + err.hashCode();
        }

        @Override
        public String toString() {
            return "Run[exit=" + exit + ", out=" + out() + ", err=" + err + "]";
        }
    }

    /**
     * Runs {@code picklejar ARGS} with the given standard input (none when null). One run at a
     * time: the standard streams belong to the whole JVM.
     */
    static synchronized Run run(InputStream stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, UTF_8));
            System.setErr(new PrintStream(errBytes, true, UTF_8));
            System.setIn(stdin == null ? new ByteArrayInputStream(new byte[0]) : stdin);
            int exit = Main.run(args);
            System.out.flush();
            System.err.flush();
            return new Run(exit, outBytes.toByteArray(), errBytes.toString(UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }

    /** The command's name followed by its arguments. */
    static String[] command(String name, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = name;
        System.arraycopy(args, 0, full, 1, args.length);
        return full;
    }
}
