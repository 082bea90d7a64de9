package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code picklejar serve}: being built. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Not yet available.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("picklejar: serve is not available yet");
        return Main.EXIT_BAD_INPUT;
    }
}
