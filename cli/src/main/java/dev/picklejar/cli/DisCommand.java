package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code picklejar dis}: being built (issue 4). */
@Command(name = "dis", mixinStandardHelpOptions = true, description = "Not yet available.")
final class DisCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("picklejar: dis is not available yet");
        return Main.EXIT_BAD_INPUT;
    }
}
