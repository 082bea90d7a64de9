package dev.picklejar;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: an immutable list with value equality, usable as a map key.
 *
 * <p>As in Python, a tuple equals only another tuple ({@code (1, 2) != [1, 2]}), so
 * {@link #equals} deliberately narrows {@link List#equals}. Byte arrays inside a tuple compare by
 * content, as Python {@code bytes} do.
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {
    /** The empty tuple. */
    public static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;
    /** 1 + the deepest tuple or frozenset inside; bounds the recursion of equals and hashCode. */
    private final int nesting;
    /** Whether Python could hash this tuple: no list, dict, set or bytearray inside. */
    private final boolean hashable;
    private int hash;
    private boolean hashComputed;

    private PyTuple(Object[] items) {
        this.items = items;
        int deepest = 0;
        boolean allHashable = true;
        for (Object item : items) {
            deepest = Math.max(deepest, Values.nesting(item));
            allHashable &= Values.isHashable(item);
        }
        this.nesting = deepest + 1;
        this.hashable = allHashable;
    }

    /**
     * A tuple of the given items (copied).
     * @param items the items; {@code null} items are Python's {@code None}
     * @return the tuple
     */
    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(items.clone());
    }

    /**
     * A tuple of the given items (copied).
     * @param items the items; not null
     * @return the tuple
     */
    public static PyTuple copyOf(List<?> items) {
        return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
    }

    /** Takes ownership of the array: the caller must not change it afterwards. */
    static PyTuple wrap(Object[] items) {
        return items.length == 0 ? EMPTY : new PyTuple(items);
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public Object[] toArray() {
        return items.clone();
    }

    int nesting() {
        return nesting;
    }

    boolean isHashable() {
        return hashable;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof PyTuple other) || other.items.length != items.length) {
            return false;
        }
        if (hashComputed && other.hashComputed && hash != other.hash) {
            return false;
        }
        for (int i = 0; i < items.length; i++) {
            if (!Values.pyEquals(items[i], other.items[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        if (!hashComputed) {
            int h = 1;
            for (Object item : items) {
                h = 31 * h + Values.pyHash(item);
            }
            hash = h;
            hashComputed = hashable; // a list inside may change, so only cache what cannot
        }
        return hash;
    }

    @Override
    public String toString() {
        return Repr.of(this);
    }

    /** Exposed to the package for writers that walk a tuple without copying it. */
    Object[] items() {
        return items;
    }

    @Override
    public List<Object> subList(int fromIndex, int toIndex) {
        return Arrays.asList(items).subList(fromIndex, toIndex);
    }
}
