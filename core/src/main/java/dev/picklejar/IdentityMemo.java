package dev.picklejar;

import java.util.Arrays;

/** The pickler's memo: object identity to memo index, open addressing, no boxing. */
final class IdentityMemo {
    private Object[] keys = new Object[1024];
    private int[] values = new int[1024];
    /** 32 minus log2 of the table size: Fibonacci hashing takes the top bits of the product. */
    private int shift = 32 - 10;
    private int size;

    int size() {
        return size;
    }

    /** The memo index of the object, or -1. */
    int get(Object key) {
        Object[] k = keys;
        int mask = k.length - 1;
        int i = index(key);
        while (true) {
            Object at = k[i];
            if (at == key) {
                return values[i];
            }
            if (at == null) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    void put(Object key, int value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = index(key);
        while (keys[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == null) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }

    private int index(Object key) {
        return (System.identityHashCode(key) * 0x9e3779b9) >>> shift;
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldValues = values;
        keys = new Object[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        shift--;
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            Object key = oldKeys[j];
            if (key != null) {
                int i = index(key);
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                values[i] = oldValues[j];
            }
        }
    }
}
