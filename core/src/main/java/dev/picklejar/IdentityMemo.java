package dev.picklejar;

import java.util.Arrays;

/** The pickler's memo: object identity to memo index, open addressing, no boxing. */
final class IdentityMemo {
    private Object[] keys = new Object[1024];
    private int[] values = new int[1024];
    private int size;

    int size() {
        return size;
    }

    /** The memo index of the object, or -1. */
    int get(Object key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (true) {
            Object k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == null) {
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
        int i = hash(key) & mask;
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

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldValues = values;
        keys = new Object[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(Object key) {
        int h = System.identityHashCode(key);
        return (h ^ (h >>> 16)) * 0x9e3779b9;
    }
}
