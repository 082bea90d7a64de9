package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code picklejar convert}: being built (issue 4). */
@Command(name = "convert", mixinStandardHelpOptions = true, description = "Not yet available.")
final class ConvertCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("picklejar: convert is not available yet");
        return Main.EXIT_BAD_INPUT;
    }
}
