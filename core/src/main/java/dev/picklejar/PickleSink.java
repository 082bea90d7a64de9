package dev.picklejar;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Pickles written one after another to one stream by one pickler that keeps its memo, as one
 * CPython {@code Pickler}'s repeated {@code dump()} writes them: a value already written by an
 * earlier dump is fetched from the memo (a {@code BINGET}), not written again, byte for byte as
 * CPython does. Read such a stream with {@link Unpickler.Builder#sharedMemo(boolean)}, as CPython
 * reads it with one {@code Unpickler}'s repeated {@code load()}. {@link #clearMemo()} starts the
 * memo afresh, as {@code Pickler.clear_memo()} does. Get one from {@link Pickler#open(OutputStream)}.
 *
 * <p>The memo holds every value written since the last {@code clearMemo()}: they stay reachable,
 * and must not change, since a later dump refers to them by identity. Not thread-safe.
 */
public final class PickleSink implements Closeable {
    private final PickleWriter writer;
    private final OutputStream out;
    private boolean failed;

    PickleSink(Pickler pickler, OutputStream out) {
        this.out = out;
        this.writer = new PickleWriter(pickler, out);
    }

    /**
     * Writes the pickle of the value, with the memo of the earlier dumps. Each pickle goes to the
     * stream whole (in large writes) before this returns; the stream is not flushed.
     *
     * @param value what to pickle
     * @throws PicklingException when the value cannot be pickled; part of the pickle may have been
     *     written, and this sink refuses further dumps
     */
    public void dump(Object value) {
        if (failed) {
            throw new IllegalStateException("an earlier dump failed; its partial pickle is in the stream");
        }
        try {
            writer.write(value, true);
        } catch (RuntimeException | Error e) {
            failed = true;
            throw e;
        }
    }

    /** Forgets the values written so far: the next dump memoizes from 0, as {@code Pickler.clear_memo()}. */
    public void clearMemo() {
        writer.clearMemo();
    }

    /** Forgets the memo and closes the stream. */
    @Override
    public void close() {
        writer.clearMemo();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
