package dev.picklejar;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Python {@code frozenset}: an immutable set that keeps the order its items were read or given in.
 * Like Python's, it equals any set with the same items.
 */
public final class PyFrozenSet extends AbstractSet<Object> {
    /** The empty frozenset. */
    public static final PyFrozenSet EMPTY = new PyFrozenSet(Collections.emptySet());

    private final Set<Object> items;
    private final int nesting;
    private int hash;
    private boolean hashComputed;

    private PyFrozenSet(Set<Object> items) {
        this.items = items;
        int deepest = 0;
        for (Object item : items) {
            deepest = Math.max(deepest, Values.nesting(item));
        }
        this.nesting = deepest + 1;
    }

    /**
     * A frozenset of the given items, in their order, without duplicates.
     * @param items the items; a later item equal to an earlier one is dropped
     * @return the frozenset
     */
    public static PyFrozenSet of(Object... items) {
        Set<Object> set = new LinkedHashSet<>();
        Collections.addAll(set, items);
        return new PyFrozenSet(set);
    }

    /**
     * A frozenset of the given items, in their iteration order, without duplicates.
     * @param items the items; not null
     * @return the frozenset
     */
    public static PyFrozenSet copyOf(Collection<?> items) {
        return new PyFrozenSet(new LinkedHashSet<>(items));
    }

    /** Takes ownership of the set: the caller must not change it afterwards. */
    static PyFrozenSet wrap(Set<Object> items) {
        return new PyFrozenSet(items);
    }

    int nesting() {
        return nesting;
    }

    @Override
    public Iterator<Object> iterator() {
        return Collections.unmodifiableSet(items).iterator();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public boolean contains(Object o) {
        return items.contains(o);
    }

    @Override
    public int hashCode() {
        if (!hashComputed) {
            hash = super.hashCode();
            hashComputed = true;
        }
        return hash;
    }

    @Override
    public String toString() {
        return Repr.of(this);
    }
}
