package dev.picklejar.cli;

import dev.picklejar.GlobalSafety;
import dev.picklejar.ScanError;
import dev.picklejar.ScanFinding;
import dev.picklejar.ScanReport;
import dev.picklejar.Scanner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
                + " file, directory (recursively, in parallel) and archive, as its loader reads it: PyTorch"
                + " checkpoints (zip and legacy), .npy/.npz, joblib (plain, zlib, gzip, bz2, xz, lzma, lz4),"
                + " pandas' compressed pickles, zips and tars in zips, whatever the extension (zstd is"
                + " reported unreadable).",
            "Prints a line per finding that is not safe: PATH[!ENTRY] OFFSET OPCODE VERDICT GLOBAL, the"
                + " global written NAME(...) when it is called; then a summary line: scanned N files, M pickles:"
                + " D dangerous, U unknown, R unreadable.",
            "Exit status: 1 when anything dangerous is found (with --strict: anything not known to be safe),"
                + " else 2 when a file cannot be read (unreadable: never reported clean), else 0."})
final class ScanCommand implements Callable<Integer> {
    /** How findings are written; lower case, as users type them after --format. */
    enum Format { text, json, sarif }

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json (one JSON object per"
            + " finding and line) or sarif (one SARIF 2.1.0 log, for GitHub code scanning and other CI tools).")
    Format format = Format.text;

    @Option(names = "--json", description = "The same as --format json: one JSON object per finding and line:"
            + " path, entry, pickle, offset, opcode, verdict, global, call.")
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
            description = "Files, directories or archives; - for standard input.")
    List<String> paths;

    @Override
    public Integer call() {
        Format out = json ? Format.json : format;
        Scanner scanner = Decompressors.register(Scanner.builder()).keepSafe(verbose).sharedMemo(sharedMemo).build();
        PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        List<ScanReport> reports = new ArrayList<>();
        try {
            for (String path : paths) {
                ScanReport report = path.equals("-") ? scanner.scan(System.in, "-") : scanner.scan(Path.of(path));
                reports.add(report);
                if (out != Format.sarif) {
                    for (ScanFinding finding : report.findings()) {
                        if (verbose || finding.verdict() != GlobalSafety.SAFE) {
                            stdout.println(out == Format.json ? finding.toJson() : finding.toString());
                        }
                    }
                    stdout.flush();
                }
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
                        System.err.println("picklejar: skipped " + skipped + ": neither a pickle nor a format that"
                                + " holds pickles");
                    }
                }
            }
            ScanReport all = merge(reports);
            if (out == Format.sarif) {
                stdout.println(SarifLog.write(all.findings(), all.errors(), strict));
            } else if (out == Format.text) {
                stdout.println(all.summary());
            }
            GlobalSafety worst = all.worst();
            if (worst == GlobalSafety.DANGEROUS || strict && worst != GlobalSafety.SAFE) {
                return 1;
            }
            return all.errors().isEmpty() ? 0 : Main.EXIT_BAD_INPUT;
        } finally {
            stdout.flush();
        }
    }

    private static ScanReport merge(List<ScanReport> reports) {
        List<ScanFinding> findings = new ArrayList<>();
        List<ScanError> errors = new ArrayList<>();
        Map<String, Integer> pickles = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        int files = 0;
        for (ScanReport r : reports) {
            findings.addAll(r.findings());
            errors.addAll(r.errors());
            r.pickles().forEach((k, v) -> pickles.merge(k, v, Integer::sum));
            skipped.addAll(r.skipped());
            files += r.files();
        }
        return new ScanReport(findings, errors, pickles, skipped, files);
    }
}
