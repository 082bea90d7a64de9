package dev.picklejar.cli;

import dev.picklejar.ArgType;
import dev.picklejar.Opcode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Tells the protocol of each pickle in a stream by walking its opcodes as the bytes pass through on
 * their way to the reader, so that nothing is read twice and nothing is kept: a pickle's protocol is
 * the argument of its PROTO opcode, or, without one (protocols 0 and 1 write none), the highest
 * protocol among its opcodes (1 as soon as one binary opcode appears, else 0). The walk takes its
 * argument layouts from the {@link Opcode} table and skips payloads without buffering them.
 *
 * <p>Wrap the input in a tracker, hand the tracker to {@code Unpickler.open}, and after each pickle
 * ask {@link #protocolOf(long)} with the reader's offset: the tracker checks that it saw that very
 * pickle end there.
 */
final class ProtocolTracker extends FilterInputStream {
    private enum State { OPCODE, FIXED, LINE, LENGTH, PAYLOAD, LOST }

    /** Protocol and end offset of each pickle seen whole but not yet asked for. */
    private final ArrayDeque<long[]> ended = new ArrayDeque<>();
    private long offset;
    private State state = State.OPCODE;
    private long remaining;
    private int shift;
    private ArgType counted;
    private boolean protoArgument;
    private int declared = -1;
    private int highest;

    ProtocolTracker(InputStream in) {
        super(in);
    }

    /**
     * The protocol of the pickle that ends at {@code end} (the offset just after its STOP). Throws
     * IllegalStateException when the walk did not see a pickle end there.
     */
    int protocolOf(long end) {
        long[] next = ended.poll();
        if (next == null || next[1] != end) {
            throw new IllegalStateException("cannot tell the protocol of the pickle ending at byte " + end
                    + "; give --protocol");
        }
        return (int) next[0];
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            watch(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            watch(b, off, n);
        }
        return n;
    }

    /** Skips by reading, so that the walk sees every byte. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void watch(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xff;
            switch (state) {
                case OPCODE -> opcode(c, offset + (i - off));
                case FIXED -> {
                    if (protoArgument) {
                        declared = declared < 0 ? c : declared;
                        protoArgument = false;
                    }
                    if (--remaining == 0) {
                        state = State.OPCODE;
                    }
                }
                case LINE -> {
                    if (c == '\n' && --remaining == 0) {
                        state = State.OPCODE;
                    }
                }
                case LENGTH -> length(c);
                case PAYLOAD -> {
                    long skip = Math.min(remaining, end - i);
                    remaining -= skip;
                    i += (int) skip - 1;
                    if (remaining == 0) {
                        state = State.OPCODE;
                    }
                }
                case LOST -> i = end;
                default -> throw new IllegalStateException(state.name());
            }
        }
        offset += len;
    }

    private void opcode(int code, long at) {
        Opcode op = Opcode.forCode(code);
        if (op == null) {
            state = State.LOST; // the reader fails on this byte itself
            return;
        }
        if (op == Opcode.STOP) {
            ended.add(new long[] {declared >= 0 ? declared : highest, at + 1});
            declared = -1;
            highest = 0;
            return;
        }
        highest = Math.max(highest, op.protocol());
        ArgType arg = op.arg();
        switch (arg.layout()) {
            case NONE -> {
            }
            case FIXED -> {
                state = State.FIXED;
                remaining = arg.width();
                protoArgument = op == Opcode.PROTO;
            }
            case LINE -> {
                state = State.LINE;
                remaining = arg == ArgType.STRINGNL_NOESCAPE_PAIR ? 2 : 1;
            }
            case COUNTED -> {
                state = State.LENGTH;
                counted = arg;
                remaining = 0;
                shift = 0;
            }
            default -> throw new IllegalStateException(arg.layout().name());
        }
    }

    /** One byte of a little-endian length field; then the payload it counts. */
    private void length(int c) {
        remaining |= (long) c << shift;
        shift += 8;
        if (shift < 8 * counted.width()) {
            return;
        }
        if (counted == ArgType.STRING4 || counted == ArgType.LONG4) {
            remaining = (int) remaining; // signed lengths: negative ones are refused by the reader
        }
        if (remaining < 0) {
            state = State.LOST;
        } else {
            state = remaining == 0 ? State.OPCODE : State.PAYLOAD;
        }
    }
}
