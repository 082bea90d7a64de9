package dev.picklejar;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The pickles of one input, read one after another, as repeated {@code pickle.load(f)} calls read
 * them in Python. Memory does not grow with the number of pickles, except with
 * {@link Unpickler.Builder#sharedMemo(boolean)}: then the stream reads as one CPython Unpickler's
 * repeated {@code load()}, and the memo keeps what every pickle memoized.
 */
public final class PickleStream implements Iterator<Object>, Closeable {
    private final PickleReader reader;
    private final InputStream in;

    PickleStream(PickleReader reader, InputStream in) {
        this.reader = reader;
        this.in = in;
    }

    /** Whether another pickle follows (at least one more byte of input). */
    @Override
    public boolean hasNext() {
        return reader.hasMore();
    }

    /** Reads the next pickle. */
    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more pickles");
        }
        return reader.load();
    }

    /** {@return the offset of the next unread byte, counted from the start of the input} */
    public long offset() {
        return reader.offset();
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
