package dev.picklejar.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the corpora and the results live: {@code bench/target}, found next to the benchmarks jar
 * (so that JMH's forked JVMs find it whatever their working directory), or given by
 * {@code -Dpicklejar.bench.target=DIR}.
 */
final class Workspace {
    private Workspace() {
    }

    static Path target() {
        String given = System.getProperty("picklejar.bench.target");
        if (given != null) {
            return Path.of(given);
        }
        try {
            // bench/target/benchmarks.jar, or bench/target/classes when run from an IDE: either way its parent.
            Path code = Path.of(Workspace.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks jar", e);
        }
    }

    /** The corpus as CPython pickled it at that protocol (make_corpora.py). */
    static Path corpus(String name, int protocol) {
        Path file = target().resolve("corpora").resolve(name + ".p" + protocol + ".pickle");
        if (!Files.isRegularFile(file)) {
            Path stream = target().resolve("corpora").resolve(name + ".p" + protocol + ".pickles");
            if (Files.isRegularFile(stream)) {
                return stream;
            }
            throw new IllegalStateException("no corpus " + file + ": run python3 bench/make_corpora.py");
        }
        return file;
    }

    static byte[] read(String name, int protocol) {
        try {
            return Files.readAllBytes(corpus(name, protocol));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path results() {
        return target().resolve("results");
    }
}
