package dev.picklejar;

import java.util.Arrays;

/**
 * The pickler's memo: object identity to memo index. Most objects are seen once, so the common case
 * is a miss followed by an insert into the same slot: the table holds only int positions into an
 * insertion-ordered array of keys, which makes that case one random memory access, not two.
 */
final class IdentityMemo {
    /** Positions in keys plus one; 0 marks an empty slot, so a new table needs no filling. */
    private int[] table;
    /** 32 minus log2 of the table size: Fibonacci hashing takes the top bits of the product. */
    private int shift;
    private Object[] keys;
    private int[] values;
    private int size;

    IdentityMemo(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(16, Math.min(1 << 18, expectedSize) * 2 - 1)) << 1;
        table = new int[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
        keys = new Object[16];
        values = new int[16];
    }

    int size() {
        return size;
    }

    /** The memo index of the object, or -1. */
    int get(Object key) {
        int[] t = table;
        int mask = t.length - 1;
        int i = slot(key);
        while (true) {
            int at = t[i] - 1;
            if (at < 0) {
                return -1;
            }
            if (keys[at] == key) {
                return values[at];
            }
            i = (i + 1) & mask;
        }
    }

    /** The memo index of the object if it has one; otherwise stores {@code value} for it and returns -1. */
    int putIfAbsent(Object key, int value) {
        return store(key, value, false);
    }

    /** Stores the object's memo index, replacing any it had. */
    void put(Object key, int value) {
        store(key, value, true);
    }

    private int store(Object key, int value, boolean replace) {
        if (2 * (size + 1) > table.length) {
            grow();
        }
        int[] t = table;
        int mask = t.length - 1;
        int i = slot(key);
        while (true) {
            int at = t[i] - 1;
            if (at < 0) {
                t[i] = append(key, value) + 1;
                return -1;
            }
            if (keys[at] == key) {
                int old = values[at];
                if (replace) {
                    values[at] = value;
                }
                return old;
            }
            i = (i + 1) & mask;
        }
    }

    private int append(Object key, int value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        return size++;
    }

    /**
     * Drops the references to the written objects. A large key array lives in the old generation
     * (G1 allocates it as a humongous object), and while it points at the caller's objects every
     * young collection must keep and promote them.
     */
    void clear() {
        if (size > 0) {
            Arrays.fill(keys, 0, size, null);
            size = 0;
            Arrays.fill(table, 0);
        }
    }

    private int slot(Object key) {
        return (System.identityHashCode(key) * 0x9e3779b9) >>> shift;
    }

    private void grow() {
        table = new int[table.length * 2];
        shift--;
        int mask = table.length - 1;
        for (int n = 0; n < size; n++) {
            int i = slot(keys[n]);
            while (table[i] != 0) {
                i = (i + 1) & mask;
            }
            table[i] = n + 1;
        }
    }
}
