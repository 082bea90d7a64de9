package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code picklejar} command: one subcommand per job. */
// INHERIT: every subcommand gets the same --version (picocli would print nothing for theirs).
@Command(name = "picklejar", mixinStandardHelpOptions = true, versionProvider = Version.class, scope = ScopeType.INHERIT,
        description = "Read, inspect and exchange Python pickles.",
        subcommands = {ShowCommand.class, DisCommand.class, ConvertCommand.class, ScanCommand.class,
            ServeCommand.class, SendCommand.class, FetchCommand.class, DemoCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit code for bad usage or unreadable input, as the command-line contract says (picocli uses 2 for usage too). */
    static final int EXIT_BAD_INPUT = 2;

    /**
     * Runs the command and exits the JVM with its exit code.
     * @param args the command line, such as {@code show docs/data.pickle}; {@code --help} lists the subcommands
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (used by tests in-process).
     * @param args the command line, as for {@link #main}
     * @return 0 on success, 1 for the command's negative answer ({@code scan} found something dangerous, a
     *     {@code fetch} URL failed), 2 for bad usage or unreadable input, 130 or 143 when Ctrl-C or SIGTERM
     *     stopped {@code fetch} ({@code serve} stops on them cleanly, with 0)
     */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        // Bad usage: one line and a pointer to --help, not the whole usage text.
        cmd.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("picklejar: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName()
                    + " --help')");
            return EXIT_BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println("picklejar: " + message);
            if (verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return EXIT_BAD_INPUT;
        });
        try {
            return cmd.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // The last resort, past every limit: one line and exit 2, as for any input the command cannot take.
            System.err.println("picklejar: " + (e instanceof OutOfMemoryError
                    ? "out of memory (the heap holds " + (Runtime.getRuntime().maxMemory() >> 20)
                            + " MiB; give the JVM more, e.g. JAVA_TOOL_OPTIONS=-Xmx4g)"
                    : "the input nests too deeply for the thread stack") + ": " + e.getMessage());
            if (verbose) {
                e.printStackTrace();
            }
            return EXIT_BAD_INPUT;
        }
    }

    /**
     * What to add to an error where a pickle fetched a memo entry it never stored: the file may be
     * one Pickler's repeated dump(), whose pickles share a memo.
     */
    static String sharedMemoHint(Exception e, boolean sharedMemo) {
        return sharedMemoHint(e.getMessage() == null ? "" : e.getMessage(), sharedMemo);
    }

    static String sharedMemoHint(String message, boolean sharedMemo) {
        if (sharedMemo || !(message.contains("Memo value not found") || message.contains("has never been stored into"))) {
            return "";
        }
        return " (if one Pickler's repeated dump() wrote the file, its pickles share one memo: try --shared-memo)";
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }
}
