package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code picklejar fetch}: being built. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = "Not yet available.")
final class FetchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("picklejar: fetch is not available yet");
        return Main.EXIT_BAD_INPUT;
    }
}
