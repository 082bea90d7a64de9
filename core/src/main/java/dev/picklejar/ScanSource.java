package dev.picklejar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Bytes the scanner can read at any offset: a file on disk (read through its channel, so only the
 * parts of an archive that hold pickles are ever read) or an array in memory (a decompressed member,
 * standard input). Thread-safe reads: positional, never a shared file pointer.
 */
abstract class ScanSource {
    abstract long size();

    /** Reads up to {@code len} bytes at {@code position}; fewer only at the end; -1 past it. */
    abstract int read(long position, byte[] b, int off, int len) throws IOException;

    /** Reads exactly {@code len} bytes at {@code position}, or fewer where the source ends. */
    byte[] readAt(long position, int len) throws IOException {
        long room = Math.max(0, Math.min(len, size() - position));
        byte[] b = new byte[(int) room];
        int done = 0;
        while (done < b.length) {
            int n = read(position + done, b, done, b.length - done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done == b.length ? b : java.util.Arrays.copyOf(b, done);
    }

    /** The bytes from {@code position}, at most {@code length} of them, as a stream. */
    InputStream open(long position, long length) {
        long end = Math.min(size(), position + Math.max(0, length));
        return new InputStream() {
            private long at = position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (at >= end) {
                    return -1;
                }
                int n = ScanSource.this.read(at, b, off, (int) Math.min(len, end - at));
                if (n > 0) {
                    at += n;
                }
                return n;
            }

            @Override
            public long skip(long n) {
                long done = Math.max(0, Math.min(n, end - at));
                at += done;
                return done;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, end - at);
            }
        };
    }

    static ScanSource of(byte[] data) {
        return new ScanSource() {
            @Override
            long size() {
                return data.length;
            }

            @Override
            int read(long position, byte[] b, int off, int len) {
                if (position >= data.length) {
                    return -1;
                }
                int n = (int) Math.min(len, data.length - position);
                System.arraycopy(data, (int) position, b, off, n);
                return n;
            }
        };
    }

    static ScanSource of(FileChannel channel) throws IOException {
        long size = channel.size();
        return new ScanSource() {
            @Override
            long size() {
                return size;
            }

            @Override
            int read(long position, byte[] b, int off, int len) throws IOException {
                if (position >= size) {
                    return -1;
                }
                return channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, size - position)), position);
            }
        };
    }

    /** {@code length} bytes of this source from {@code offset} (a stored member of a zip). */
    ScanSource slice(long offset, long length) {
        ScanSource whole = this;
        long size = Math.max(0, Math.min(length, whole.size() - offset));
        return new ScanSource() {
            @Override
            long size() {
                return size;
            }

            @Override
            int read(long position, byte[] b, int off, int len) throws IOException {
                if (position >= size) {
                    return -1;
                }
                return whole.read(offset + position, b, off, (int) Math.min(len, size - position));
            }
        };
    }
}
