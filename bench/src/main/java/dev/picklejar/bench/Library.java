package dev.picklejar.bench;

import dev.picklejar.Pickle;
import dev.picklejar.PickleStream;
import dev.picklejar.Unpickler;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The two JVM libraries under test, each used the way its users use it. The benchmarks and
 * {@link Check} call the very same code.
 */
enum Library {
    PICKLEJAR {
        @Override
        Object loads(byte[] data) {
            return Pickle.loads(data);
        }

        @Override
        byte[] dumps(Object value, int protocol) {
            return Pickle.dumps(value, protocol);
        }

        @Override
        long loadAll(Path file, Consumer<Object> sink) throws IOException {
            long n = 0;
            try (PickleStream in = Unpickler.standard().open(new FileInputStream(file.toFile()))) {
                while (in.hasNext()) {
                    sink.accept(in.next());
                    n++;
                }
            }
            return n;
        }
    },

    /** Pyrolite ({@code net.razorvine:pickle}), configured as Apache Spark configures it. */
    PYROLITE {
        @Override
        Object loads(byte[] data) throws IOException {
            return new net.razorvine.pickle.Unpickler().loads(data);
        }

        @Override
        byte[] dumps(Object value, int protocol) throws IOException {
            if (protocol != 2) {
                throw new UnsupportedOperationException("Pyrolite writes protocol 2 only");
            }
            // Spark's PythonRunner and SerDeUtil: memo on, identity (not value) comparison.
            return new net.razorvine.pickle.Pickler(true, false).dumps(value);
        }

        @Override
        long loadAll(Path file, Consumer<Object> sink) throws IOException {
            long n = 0;
            net.razorvine.pickle.Unpickler unpickler = new net.razorvine.pickle.Unpickler();
            // Pyrolite reads through InputStream.read, so a user gives it a buffered stream.
            try (InputStream in = new BufferedInputStream(new FileInputStream(file.toFile()), 1 << 16)) {
                while (hasMore(in)) {
                    sink.accept(unpickler.load(in));
                    n++;
                }
            }
            return n;
        }

        private boolean hasMore(InputStream in) throws IOException {
            in.mark(1);
            boolean more = in.read() >= 0;
            in.reset();
            return more;
        }
    };

    abstract Object loads(byte[] data) throws IOException;

    abstract byte[] dumps(Object value, int protocol) throws IOException;

    /** Reads every pickle in the file one after another, giving each to the sink; returns their number. */
    abstract long loadAll(Path file, Consumer<Object> sink) throws IOException;

    Object loadsUnchecked(byte[] data) {
        try {
            return loads(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] dumpsUnchecked(Object value, int protocol) {
        try {
            return dumps(value, protocol);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long loadAllUnchecked(Path file, Consumer<Object> sink) {
        try {
            return loadAll(file, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The library a benchmark method measures, from its name ({@code picklejar}, {@code pyrolite2}...). */
    static Library ofMethod(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        for (Library library : values()) {
            if (m.startsWith(library.name().toLowerCase(Locale.ROOT))) {
                return library;
            }
        }
        throw new IllegalArgumentException("no library in benchmark name " + method);
    }

    String displayName() {
        return this == PICKLEJAR ? "picklejar" : "Pyrolite";
    }
}
