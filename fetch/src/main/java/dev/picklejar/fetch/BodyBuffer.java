package dev.picklejar.fetch;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Collects a response body as it arrives, refusing to grow past the limit. */
final class BodyBuffer {
    private final long limit;
    private final int status;
    private final String contentType;
    private byte[] data;
    private int size;

    BodyBuffer(long declaredLength, long limit, int status, String contentType) {
        this.limit = limit;
        this.status = status;
        this.contentType = contentType;
        this.data = new byte[declaredLength >= 0 ? (int) Math.min(declaredLength, limit) : 4096];
    }

    void append(ByteBuf buf) {
        int n = buf.readableBytes();
        if (size + (long) n > limit) {
            throw new BodyTooLargeException(status, contentType, limit, -1);
        }
        if (size + n > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(limit, Math.max((long) size + n, 2L * data.length)));
        }
        buf.getBytes(buf.readerIndex(), data, size, n);
        size += n;
    }

    byte[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
