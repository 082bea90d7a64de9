package dev.picklejar;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A Python {@code list} as picklejar loads it: a mutable, random-access {@code List<Object>} that
 * behaves as an {@link ArrayList} does (nulls allowed, fail-fast iterators, value equality with any
 * other {@code List}), stored so that a long list costs the garbage collector little.
 *
 * <p>Why not an {@code ArrayList}: a list of a million items needs one array of a million
 * references, which G1 (the JVM's default collector) allocates in the old generation; on Java 17 a
 * dropped one is not reclaimed by young collections, and until it is, every item it points at is
 * kept and copied by each of them. Loading a long list repeatedly ran several times slower on G1
 * than on the parallel collector. Here the items live in chunks of {@value #CHUNK}, ordinary objects
 * that die young with their items; and a chunk whose items are Python ints that fit in a
 * {@code long}, or floats, holds them as a {@code long[]} or {@code double[]}, without a box each.
 *
 * <p>A consequence of the unboxed chunks: {@link #get(int)} of an int or a float returns a new box
 * each time (equal, not always identical), an int as the smallest of {@code Integer} or
 * {@code Long} that holds it (as the reader loads it); a {@code Long} that fits an {@code int} or
 * any other {@code Number} is kept as it was given. Not thread-safe, like {@code ArrayList}.
 * Serializes (Java serialization) as an {@code ArrayList}.
 */
public final class PyList extends AbstractList<Object> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;
    private static final int SHIFT = 14;
    /** Items per chunk: 16 Ki, 64 KiB of compressed references or 128 KiB of longs, far below G1's humongous size. */
    public static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    /** Stands for a null item among a numeric chunk's exceptions, where null means "the number stands". */
    private static final Object NULL = new Object();

    /**
     * Chunk k holds items [k·CHUNK, (k+1)·CHUNK): an {@code Object[]}, a {@code long[]} (Python ints
     * within 64 bits) or a {@code double[]} (floats). Every chunk but the last is full; the last
     * grows by doubling.
     */
    private transient Object first;
    /** Chunks 1 and on; null while there is at most one (most lists are short: one array less each). */
    private transient Object[] more;
    /** For a numeric chunk, the items that are not numbers of its kind; null while there are none. */
    private transient Object[][] exceptions;
    private transient int[] exceptionCounts;
    private transient int size;

    /** An empty list. */
    public PyList() {
    }

    /**
     * A list of the given items, in their iteration order.
     *
     * @param items the items to copy; not null (its items may be)
     */
    public PyList(Collection<?> items) {
        addAll(items);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, size);
        int k = index >>> SHIFT;
        int j = index & MASK;
        Object chunk = k == 0 ? first : more[k - 1];
        if (chunk instanceof Object[] refs) {
            return refs[j];
        }
        if (exceptions != null && exceptions[k] != null) {
            Object e = exceptions[k][j];
            if (e != null) {
                return e == NULL ? null : e;
            }
        }
        if (chunk instanceof long[] longs) {
            long v = longs[j];
            return v == (int) v ? (Object) Integer.valueOf((int) v) : (Object) Long.valueOf(v);
        }
        return ((double[]) chunk)[j];
    }

    @Override
    public Object set(int index, Object item) {
        Object old = get(index);
        store(index, item);
        return old;
    }

    @Override
    public boolean add(Object item) {
        int index = size;
        int k = index >>> SHIFT;
        if (k >= chunkCount() || length(chunk(k)) == (index & MASK)) {
            makeRoom(item);
        }
        size = index + 1;
        store(index, item);
        modCount++;
        return true;
    }

    @Override
    public void add(int index, Object item) {
        Objects.checkIndex(index, size + 1);
        if (index == size) {
            add(item);
            return;
        }
        add(get(size - 1));
        for (int i = size - 2; i > index; i--) {
            store(i, get(i - 1));
        }
        store(index, item);
    }

    @Override
    public Object remove(int index) {
        Object old = get(index);
        removeRange(index, index + 1);
        return old;
    }

    @Override
    public void clear() {
        first = null;
        more = null;
        exceptions = null;
        exceptionCounts = null;
        size = 0;
        modCount++;
    }

    @Override
    protected void removeRange(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        if (from == to) {
            return;
        }
        for (int i = to, j = from; i < size; i++, j++) {
            store(j, get(i));
        }
        int newSize = size - (to - from);
        for (int i = newSize; i < size; i++) {
            clearSlot(i); // drops the references held by the slots past the end
        }
        size = newSize;
        int used = (size + MASK) >>> SHIFT;
        if (used < chunkCount()) {
            if (used == 0) {
                first = null;
            }
            more = used <= 1 ? null : Arrays.copyOf(more, used - 1);
            if (exceptions != null) {
                exceptions = Arrays.copyOf(exceptions, used);
                exceptionCounts = Arrays.copyOf(exceptionCounts, used);
            }
        }
        modCount++;
    }

    /** Stores an item at a slot that exists, in the chunk's own form when it can. */
    private void store(int index, Object item) {
        int k = index >>> SHIFT;
        int j = index & MASK;
        Object chunk = chunk(k);
        if (chunk instanceof Object[] refs) {
            refs[j] = item;
            return;
        }
        if (chunk instanceof long[] longs && isLongItem(item)) {
            longs[j] = ((Number) item).longValue();
            clearException(k, j);
        } else if (chunk instanceof double[] doubles && item instanceof Double d) {
            doubles[j] = d;
            clearException(k, j);
        } else {
            setException(k, j, item);
        }
    }

    private void clearSlot(int index) {
        int k = index >>> SHIFT;
        int j = index & MASK;
        if (chunk(k) instanceof Object[] refs) {
            refs[j] = null;
        } else {
            clearException(k, j);
        }
    }

    /** Whether the item is an int that a {@code long} chunk gives back as it is. */
    private static boolean isLongItem(Object item) {
        if (item instanceof Integer) {
            return true;
        }
        if (item instanceof Long l) {
            long v = l;
            return v != (int) v;
        }
        return false;
    }

    private void clearException(int k, int j) {
        if (exceptions != null && exceptions[k] != null && exceptions[k][j] != null) {
            exceptions[k][j] = null;
            exceptionCounts[k]--;
        }
    }

    private void setException(int k, int j, Object item) {
        if (exceptions == null) {
            exceptions = new Object[chunkCount()][];
            exceptionCounts = new int[chunkCount()];
        }
        Object[] e = exceptions[k];
        if (e == null) {
            e = exceptions[k] = new Object[length(chunk(k))];
        }
        if (e[j] == null) {
            exceptionCounts[k]++;
        }
        e[j] = item == null ? NULL : item;
        // A chunk of mostly other things is better as plain references.
        if (exceptionCounts[k] > e.length / 8) {
            Object[] refs = new Object[e.length];
            int base = k << SHIFT;
            for (int i = 0, n = Math.min(e.length, size - base); i < n; i++) {
                refs[i] = get(base + i);
            }
            setChunk(k, refs);
            exceptions[k] = null;
            exceptionCounts[k] = 0;
        }
    }

    /** Makes a slot for one more item: grows the last chunk or starts one shaped for the item. */
    private void makeRoom(Object item) {
        int k = size >>> SHIFT;
        if (k < chunkCount()) {
            Object chunk = chunk(k);
            int newLength = Math.min(CHUNK, Math.max(8, 2 * length(chunk)));
            if (chunk instanceof Object[] refs) {
                setChunk(k, Arrays.copyOf(refs, newLength));
            } else if (chunk instanceof long[] longs) {
                setChunk(k, Arrays.copyOf(longs, newLength));
            } else {
                setChunk(k, Arrays.copyOf((double[]) chunk, newLength));
            }
            if (exceptions != null && exceptions[k] != null) {
                exceptions[k] = Arrays.copyOf(exceptions[k], newLength);
            }
            return;
        }
        if (k > 0) {
            more = more == null ? new Object[1] : Arrays.copyOf(more, k);
        }
        if (exceptions != null) {
            exceptions = Arrays.copyOf(exceptions, k + 1);
            exceptionCounts = Arrays.copyOf(exceptionCounts, k + 1);
        }
        // The first chunk starts small (most lists are short); later ones are full-sized at once.
        int length = k == 0 ? 8 : CHUNK;
        if (isLongItem(item)) {
            setChunk(k, new long[length]);
        } else if (item instanceof Double) {
            setChunk(k, new double[length]);
        } else {
            setChunk(k, new Object[length]);
        }
    }

    private int chunkCount() {
        return first == null ? 0 : more == null ? 1 : 1 + more.length;
    }

    private Object chunk(int k) {
        return k == 0 ? first : more[k - 1];
    }

    private void setChunk(int k, Object chunk) {
        if (k == 0) {
            first = chunk;
        } else {
            more[k - 1] = chunk;
        }
    }

    private static int length(Object chunk) {
        if (chunk instanceof Object[] refs) {
            return refs.length;
        }
        if (chunk instanceof long[] longs) {
            return longs.length;
        }
        return ((double[]) chunk).length;
    }

    /** The end of the chunk that holds {@code index}: where a run of unboxed numbers stops. */
    static int chunkEnd(int index) {
        return (index | MASK) + 1;
    }

    /** The chunk holding {@code index} as longs, if it is a long chunk (the writer's fast path; see {@link #exceptionsAt}). */
    long[] longsAt(int index) {
        return chunk(index >>> SHIFT) instanceof long[] longs ? longs : null;
    }

    /** The chunk holding {@code index} as doubles, if it is a double chunk. */
    double[] doublesAt(int index) {
        return chunk(index >>> SHIFT) instanceof double[] doubles ? doubles : null;
    }

    /**
     * The items of a numeric chunk that are not numbers of its kind, by position in the chunk (read
     * them with {@link #exception}), or null when it has none; the writer's fast path.
     */
    Object[] exceptionsAt(int index) {
        return exceptions == null ? null : exceptions[index >>> SHIFT];
    }

    /** The item an entry of {@link #exceptionsAt} stands for; only for an entry that is not null. */
    static Object exception(Object entry) {
        return entry == NULL ? null : entry;
    }

    /**
     * Java serialization writes an {@code ArrayList} of the same items.
     *
     * @return an {@code ArrayList} holding this list's items
     */
    private Object writeReplace() {
        return new ArrayList<>(this);
    }
}
