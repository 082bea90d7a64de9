package dev.picklejar;

import java.util.Arrays;

/**
 * The unpickler's dense memo: index to value and stack depth, in chunks of {@value #CHUNK} entries.
 *
 * <p>Why chunks: one flat array for a memo of a million entries is a humongous object for G1 (the
 * JVM's default collector), allocated straight in the old generation. Until it is dropped, every
 * young collection must treat all the young objects it points at as live and copy them, and the
 * copies a flat array leaves behind as it grows are not reclaimed by young collections on Java 17:
 * loads of 100k records ran five times slower on G1 than on the parallel collector. Chunks of
 * 128 KiB are ordinary objects that live and die young with the values they hold.
 */
final class ReaderMemo {
    private static final int SHIFT = 15;
    /** Entries per chunk: 32 Ki references, 128 KiB with compressed pointers, far below G1's humongous size. */
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private Object[][] values = {new Object[64]};
    private int[][] depths = {new int[64]};
    /** Indexes below this have a slot. */
    private long capacity = 64;

    /** Whether {@code index} has a slot, or could be given one without growing by more than about twice. */
    boolean dense(long index) {
        return index < capacity || index <= 2 * capacity + 1024 && index < Integer.MAX_VALUE;
    }

    /** The value at a dense index, or null. */
    Object get(long index) {
        if (index >= capacity) {
            return null;
        }
        int i = (int) index;
        return values[i >>> SHIFT][i & MASK];
    }

    int depth(long index) {
        int i = (int) index;
        return depths[i >>> SHIFT][i & MASK];
    }

    /** Stores a value at a dense index; true if the slot was empty. */
    boolean put(long index, Object value, int depth) {
        if (index >= capacity) {
            grow(index);
        }
        int i = (int) index;
        Object[] chunk = values[i >>> SHIFT];
        boolean empty = chunk[i & MASK] == null;
        chunk[i & MASK] = value;
        depths[i >>> SHIFT][i & MASK] = depth;
        return empty;
    }

    private void grow(long index) {
        if (capacity < CHUNK) {
            // The first chunk doubles, so that a small pickle allocates a small memo.
            int size = (int) Math.min(CHUNK, Math.max(index + 1, 2 * capacity));
            values[0] = Arrays.copyOf(values[0], size);
            depths[0] = Arrays.copyOf(depths[0], size);
            capacity = size;
        }
        if (index >= capacity) {
            int chunks = (int) (index >>> SHIFT) + 1;
            int old = values.length;
            values = Arrays.copyOf(values, chunks);
            depths = Arrays.copyOf(depths, chunks);
            for (int c = old; c < chunks; c++) {
                values[c] = new Object[CHUNK];
                depths[c] = new int[CHUNK];
            }
            capacity = (long) chunks << SHIFT;
        }
    }

    /** Empties every slot, keeping only the first chunk. */
    void clear() {
        Arrays.fill(values[0], null);
        if (values.length > 1) {
            values = new Object[][] {values[0]};
            depths = new int[][] {depths[0]};
            capacity = values[0].length;
        }
    }
}
