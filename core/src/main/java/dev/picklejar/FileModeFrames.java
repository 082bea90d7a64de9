package dev.picklejar;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The bytes of a pickle as CPython's C unpickler consumes them from a file ({@code pickle.load(f)}),
 * for pickles whose FRAMEs lie about their length. Loading from a file reads each frame into a
 * buffer of its own; a read that needs more than what is left of the frame drops the rest of the
 * frame and reads on from the file after it (and a line not ended in the frame is read from the file
 * after it too). {@code pickle.loads(bytes)} instead reads straight through, which is how the
 * scanner's machine reads. Linearizing the file-mode reading lets the scanner read the second view
 * of such a pickle with the same machine, and so see the opcodes the lie hides.
 */
final class FileModeFrames {
    private final byte[] data;
    private final int end;
    private int p;
    /** The end of the open frame, or -1. */
    private int frameEnd = -1;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** For each byte written, where it came from: pairs (output offset, input offset) at each jump. */
    private long[] jumps = new long[16];
    private int jumpCount;

    private FileModeFrames(byte[] data, int offset, int length) {
        this.data = data;
        this.p = offset;
        this.end = offset + length;
    }

    /** The linearized bytes of the one pickle at {@code data[offset]}, and where each came from. */
    record View(byte[] bytes, long[] jumps, int jumpCount) {
        /** The input offset the byte at {@code at} of the view came from. */
        long sourceOffset(long at) {
            int lo = 0;
            int hi = jumpCount - 1;
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (jumps[2 * mid] <= at) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return jumpCount == 0 ? at : jumps[2 * found + 1] + (at - jumps[2 * found]);
        }
    }

    static View linearize(byte[] data, int offset, int length) {
        FileModeFrames f = new FileModeFrames(data, offset, length);
        f.run();
        return new View(f.out.toByteArray(), f.jumps, f.jumpCount);
    }

    private void run() {
        while (p < end) {
            int at = read(1);
            if (at < 0) {
                return;
            }
            int code = data[at] & 0xff;
            Opcode op = Opcode.forCode(code);
            if (op == null || op == Opcode.STOP) {
                emit(at, 1);
                return;
            }
            if (op == Opcode.FRAME) {
                int len = read(8);
                if (len < 0) {
                    return;
                }
                long n = 0;
                for (int i = 7; i >= 0; i--) {
                    n = n << 8 | (data[len + i] & 0xff);
                }
                int start = n < 0 || n > end ? -1 : read((int) n);
                if (start < 0) {
                    return;
                }
                // The frame's bytes are consumed into a buffer; the opcodes read them from there.
                p = start;
                frameEnd = start + (int) n;
                continue;
            }
            emit(at, 1);
            ArgType arg = op.arg();
            switch (arg.layout()) {
                case NONE -> {
                }
                case FIXED -> {
                    if (!copy(arg.width())) {
                        return;
                    }
                }
                case LINE -> {
                    if (!copyLine() || arg == ArgType.STRINGNL_NOESCAPE_PAIR && !copyLine()) {
                        return;
                    }
                }
                case COUNTED -> {
                    int len = read(arg.width());
                    if (len < 0) {
                        return;
                    }
                    emit(len, arg.width());
                    long n = 0;
                    for (int i = arg.width() - 1; i >= 0; i--) {
                        n = n << 8 | (data[len + i] & 0xff);
                    }
                    if (arg.width() == 4 && n > Integer.MAX_VALUE) {
                        n = (int) n; // signed lengths: negative ones fail in the reader
                    }
                    if (n < 0 || n > end || !copy((int) n)) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Where n bytes are read from, following the file-mode rules; -1 past the end. */
    private int read(int n) {
        if (frameEnd >= 0 && p + n > frameEnd) {
            p = frameEnd; // the rest of the frame is dropped; the read goes on from the file
            frameEnd = -1;
        }
        if (frameEnd >= 0 && p == frameEnd) {
            frameEnd = -1;
        }
        if (p + (long) n > end) {
            return -1;
        }
        int at = p;
        p += n;
        return at;
    }

    private boolean copy(int n) {
        int at = read(n);
        if (at < 0) {
            return false;
        }
        emit(at, n);
        return true;
    }

    private boolean copyLine() {
        int limit = frameEnd >= 0 ? frameEnd : end;
        int nl = indexOfNewline(p, limit);
        if (nl < 0 && frameEnd >= 0) {
            p = frameEnd;
            frameEnd = -1;
            nl = indexOfNewline(p, end);
        }
        if (nl < 0) {
            return false;
        }
        emit(p, nl + 1 - p);
        p = nl + 1;
        return true;
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void emit(int from, int n) {
        long outAt = out.size();
        boolean contiguous = jumpCount > 0 && jumps[2 * (jumpCount - 1) + 1] + (outAt - jumps[2 * (jumpCount - 1)]) == from;
        if (!contiguous) {
            if (2 * jumpCount + 2 > jumps.length) {
                jumps = Arrays.copyOf(jumps, jumps.length * 2);
            }
            jumps[2 * jumpCount] = outAt;
            jumps[2 * jumpCount + 1] = from;
            jumpCount++;
        }
        out.write(data, from, n);
    }
}
