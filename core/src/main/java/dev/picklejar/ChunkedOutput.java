package dev.picklejar;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where {@link Pickler#dumps} gathers a pickle: a list of chunks (each frame, or 64 KiB, and large
 * payloads by reference), joined once at the end. No large buffer grows by copying itself, which in
 * G1 meant one humongous allocation after another for a big pickle.
 */
final class ChunkedOutput extends OutputStream {
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;
    private boolean payloadShared;

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        chunks.add(Arrays.copyOfRange(b, off, off + len));
        size += len;
    }

    /** A whole payload, kept by reference: the writer hands only arrays that stay unchanged until the end. */
    @Override
    public void write(byte[] b) {
        chunks.add(b);
        size += b.length;
        payloadShared = true;
    }

    byte[] toByteArray() {
        if (chunks.size() == 1 && chunks.get(0).length == size) {
            byte[] only = chunks.get(0);
            return only.length == 0 || !payloadShared ? only : only.clone();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new PicklingException("the pickle is " + size + " bytes, more than a Java array holds; "
                    + "write it to a stream with Pickler.dump");
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }
}
