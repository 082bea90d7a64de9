package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code picklejar scan}: being built (issue 4). */
@Command(name = "scan", mixinStandardHelpOptions = true, description = "Not yet available.")
final class ScanCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("picklejar: scan is not available yet");
        return Main.EXIT_BAD_INPUT;
    }
}
