package dev.picklejar.cli;

import dev.picklejar.GlobalSafety;
import dev.picklejar.ScanError;
import dev.picklejar.ScanFinding;
import dev.picklejar.ScanReport;
import dev.picklejar.Scanner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code picklejar scan}: finds the globals pickles import and the calls they make, without running
 * anything, and answers whether any is dangerous.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {
            "Find the code-execution tricks hidden in pickles without running them: every global each pickle"
                + " imports and every call it makes, judged dangerous, unknown or safe, in every pickle of every"
                + " file, directory (recursively) and zip archive (PyTorch checkpoints whatever their extension).",
            "Prints a line per finding that is not safe: PATH[!ENTRY] OFFSET OPCODE VERDICT GLOBAL, the"
                + " global written NAME(...) when it is called.",
            "Exit status: 1 when anything dangerous is found (with --strict: anything not known to be safe),"
                + " else 2 when a file cannot be read as pickles or a zip archive, else 0."})
final class ScanCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON object per finding and line: path, entry, pickle, offset,"
            + " opcode, verdict, global, call.")
    boolean json;

    @Option(names = "--strict", description = "Exit 1 for anything not known to be safe, not only the dangerous.")
    boolean strict;

    @Option(names = {"-v", "--verbose"}, description = "Also print the safe findings, and on standard error what"
            + " was read and what was skipped.")
    boolean verbose;

    @Option(names = "--shared-memo", description = "The pickles of a file share one memo: read them as one Python"
            + " Unpickler's repeated load() does, what one Pickler's repeated dump() wrote.")
    boolean sharedMemo;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Files, directories or zip archives; - for standard input.")
    List<String> paths;

    @Override
    public Integer call() {
        Scanner scanner = Scanner.builder().keepSafe(verbose).sharedMemo(sharedMemo).build();
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        GlobalSafety worst = GlobalSafety.SAFE;
        boolean unreadable = false;
        try {
            for (String path : paths) {
                ScanReport report = path.equals("-") ? scanner.scan(System.in, "-") : scanner.scan(Path.of(path));
                for (ScanFinding finding : report.findings()) {
                    if (verbose || finding.verdict() != GlobalSafety.SAFE) {
                        out.println(json ? finding.toJson() : finding.toString());
                    }
                }
                out.flush();
                for (ScanError error : report.errors()) {
                    System.err.println("picklejar: " + error
                            + (error.pickle() > 0 ? Main.sharedMemoHint(error.message(), sharedMemo) : ""));
                }
                if (verbose) {
                    for (Map.Entry<String, Integer> read : report.pickles().entrySet()) {
                        System.err.println("picklejar: read " + read.getKey() + ": " + read.getValue()
                                + (read.getValue() == 1 ? " pickle" : " pickles"));
                    }
                    for (String skipped : report.skipped()) {
                        System.err.println("picklejar: skipped " + skipped + ": neither a pickle nor a zip archive");
                    }
                }
                worst = worst.worst(report.worst());
                unreadable |= !report.errors().isEmpty();
            }
        } finally {
            out.flush();
        }
        if (worst == GlobalSafety.DANGEROUS || strict && worst != GlobalSafety.SAFE) {
            return 1;
        }
        return unreadable ? Main.EXIT_BAD_INPUT : 0;
    }
}
