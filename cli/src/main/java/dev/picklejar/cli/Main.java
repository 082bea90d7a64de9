package dev.picklejar.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The {@code picklejar} command: one subcommand per job. */
// INHERIT: every subcommand gets the same --version (picocli would print nothing for theirs).
@Command(name = "picklejar", mixinStandardHelpOptions = true, versionProvider = Version.class, scope = ScopeType.INHERIT,
        description = "Read, inspect and exchange Python pickles.")
public final class Main implements Callable<Integer> {
    /**
     * The subcommands, in the order the usage lists them. Built only when needed: picocli reads every
     * option of a command by reflection when it is added, a good part of the start-up of a short run.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("show", ShowCommand::new);
        all.put("dis", DisCommand::new);
        all.put("convert", ConvertCommand::new);
        all.put("scan", ScanCommand::new);
        all.put("serve", ServeCommand::new);
        all.put("send", SendCommand::new);
        all.put("fetch", FetchCommand::new);
        all.put("demo", DemoCommand::new);
        return all;
    }

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
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        try {
            return isPlainShow(args) ? plainShow(args) : withPicocli(args);
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

    private static int withPicocli(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        // The one subcommand named first, when it is one (its options and --help are all it needs); else
        // all of them, for the usage, the suggestions for a mistyped name and the error it reports.
        Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            cmd.addSubcommand(args[0], named.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cmd.addSubcommand(name, command.get()));
        }
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
        return cmd.execute(args);
    }

    /**
     * Whether the command is {@code show} with files and no option: then it runs without picocli, whose
     * model of the commands (built by reflection, from Java 5 class files that class-data sharing cannot
     * archive) is about half the start-up of a short run.
     */
    static boolean isPlainShow(String... args) {
        if (args.length < 2 || !args[0].equals("show")) {
            return false;
        }
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("-") && !args[i].equals("-") || args[i].startsWith("@")) {
                return false; // an option, or picocli's @file of arguments
            }
        }
        return true;
    }

    /** {@code show FILE...} with every option at its default, as picocli would run it. */
    private static int plainShow(String... args) {
        ShowCommand show = new ShowCommand();
        show.encoding = "ASCII";
        show.files = java.util.Arrays.asList(args).subList(1, args.length);
        try {
            return show.call();
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("picklejar: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
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
        CommandLine all = new CommandLine(this);
        SUBCOMMANDS.forEach((name, command) -> all.addSubcommand(name, command.get()));
        all.usage(System.out);
        return 0;
    }
}
