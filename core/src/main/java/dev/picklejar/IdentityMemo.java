package dev.picklejar;

import java.util.Arrays;

/**
 * The pickler's memo: object identity to memo index. Most objects are seen once, so the common case
 * is a miss followed by an insert into the same slot: the table holds only int positions into
 * insertion-ordered arrays of keys, values and identity hashes, which keeps the table small (it is
 * read at random, one cache miss per probe) and lets it grow by reading those arrays in order,
 * without asking a key for its identity hash again (a cache miss per key).
 */
final class IdentityMemo {
    /** Positions in keys plus one; 0 marks an empty slot, so a new table needs no filling. */
    private int[] table;
    /** 32 minus log2 of the table size: Fibonacci hashing takes the top bits of the product. */
    private int shift;
    private Object[] keys;
    private int[] values;
    private int[] hashes;
    private int size;

    IdentityMemo() {
        table = new int[256];
        shift = 32 - 8;
        keys = new Object[16];
        values = new int[16];
        hashes = new int[16];
    }

    int size() {
        return size;
    }

    /** The memo index of the object, or -1. */
    int get(Object key) {
        int[] t = table;
        int mask = t.length - 1;
        int i = slot(System.identityHashCode(key));
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
        int hash = System.identityHashCode(key);
        int i = slot(hash);
        while (true) {
            int at = t[i] - 1;
            if (at < 0) {
                t[i] = append(key, value, hash) + 1;
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

    private int append(Object key, int value, int hash) {
        if (size == keys.length) {
            Object[] old = keys;
            keys = Arrays.copyOf(keys, size * 2);
            // The old array may be humongous for G1, which on Java 17 keeps it (and so all it points
            // at) through young collections after it is dropped: emptied, it holds nothing.
            Arrays.fill(old, null);
            values = Arrays.copyOf(values, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        hashes[size] = hash;
        return size++;
    }

    /**
     * Drops the references to the written objects. A large key array lives in the old generation
     * (G1 allocates it as a humongous object), and while it points at the caller's objects every
     * young collection must keep and promote them.
     */
    void clear() {
        Arrays.fill(keys, 0, size, null);
        size = 0;
        table = new int[256];
        shift = 32 - 8;
    }

    private int slot(int hash) {
        return (hash * 0x9e3779b9) >>> shift;
    }

    private void grow() {
        table = new int[table.length * 2];
        shift--;
        int mask = table.length - 1;
        for (int n = 0; n < size; n++) {
            int i = slot(hashes[n]);
            while (table[i] != 0) {
                i = (i + 1) & mask;
            }
            table[i] = n + 1;
        }
    }
}
