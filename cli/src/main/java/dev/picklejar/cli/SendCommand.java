package dev.picklejar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code picklejar send}: being built. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Not yet available.")
final class SendCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("picklejar: send is not available yet");
        return Main.EXIT_BAD_INPUT;
    }
}
