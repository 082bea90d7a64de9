package dev.picklejar;

/**
 * Bounds on what one load may take, so that a hostile pickle ends in a {@link PickleException}
 * rather than exhausting memory or the thread stack. Immutable; change a bound with the
 * {@code with*} methods.
 *
 * @param maxDepth deepest nesting of containers the loaded value may have
 * @param maxMemoSize most memo entries one pickle may store
 * @param maxFieldLength longest single string, bytes or integer argument, in bytes
 * @param maxInputLength most bytes one pickle may span
 * @param maxStackSize most items the unpickling stack may hold at once (MARK slices included)
 * @param maxItems most values one pickle may put on the stack in all (every item of every container
 *        passes through it), which bounds the memory its containers take
 */
public record Limits(int maxDepth, int maxMemoSize, long maxFieldLength, long maxInputLength, int maxStackSize,
        long maxItems) {
    /**
     * The share of the heap that {@link #defaults()} lets one pickle's values take: one item per 32
     * bytes of {@code Runtime.maxMemory()} (a reference in a container, its growth, and a boxed value).
     */
    private static final int BYTES_PER_ITEM = 32;

    /**
     * Generous bounds that a default heap can hold: depth 10 000, 2 GiB fields (and never more than
     * the input can still hold), no total length, and {@code Runtime.maxMemory() / 32} items (about
     * 16 million at {@code -Xmx512m}), which also caps the memo and the stack (at most 50 million each).
     * @return the default bounds
     */
    public static Limits defaults() {
        long items = Math.max(1 << 20, Runtime.getRuntime().maxMemory() / BYTES_PER_ITEM);
        int entries = (int) Math.min(50_000_000, items);
        return new Limits(10_000, entries, Integer.MAX_VALUE - 8L, Long.MAX_VALUE, entries, items);
    }

    /**
     * No bounds other than what Java itself imposes (arrays below 2 GiB).
     * @return bounds that never stop a load
     */
    public static Limits none() {
        return new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8L, Long.MAX_VALUE,
                Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * The bounds before {@code maxItems}: items as {@link #defaults()} has them.
     * @param maxDepth deepest nesting of containers, at least 1
     * @param maxMemoSize most memo entries, at least 0
     * @param maxFieldLength longest string, bytes or integer argument in bytes, at least 0
     * @param maxInputLength most bytes one pickle may span, at least 0
     * @param maxStackSize most items on the stack at once, at least 1
     * @throws IllegalArgumentException if a bound is out of range
     */
    public Limits(int maxDepth, int maxMemoSize, long maxFieldLength, long maxInputLength, int maxStackSize) {
        this(maxDepth, maxMemoSize, maxFieldLength, maxInputLength, maxStackSize, defaults().maxItems());
    }

    /**
     * Checks the bounds; {@code maxFieldLength} above {@code Integer.MAX_VALUE - 8} (the largest Java array)
     * is lowered to it.
     * @param maxDepth deepest nesting of containers, at least 1
     * @param maxMemoSize most memo entries, at least 0
     * @param maxFieldLength longest string, bytes or integer argument in bytes, at least 0
     * @param maxInputLength most bytes one pickle may span, at least 0
     * @param maxStackSize most items on the stack at once, at least 1
     * @param maxItems most values one pickle may push in all, at least 1
     * @throws IllegalArgumentException if a bound is out of range
     */
    public Limits {
        if (maxDepth < 1 || maxMemoSize < 0 || maxFieldLength < 0 || maxInputLength < 0 || maxStackSize < 1
                || maxItems < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        maxFieldLength = Math.min(maxFieldLength, Integer.MAX_VALUE - 8L);
    }

    /**
     * {@return these bounds with another {@link #maxDepth()}}
     * @param value the deepest nesting, at least 1
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public Limits withMaxDepth(int value) {
        return new Limits(value, maxMemoSize, maxFieldLength, maxInputLength, maxStackSize, maxItems);
    }

    /**
     * {@return these bounds with another {@link #maxMemoSize()}}
     * @param value the most memo entries, at least 0
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public Limits withMaxMemoSize(int value) {
        return new Limits(maxDepth, value, maxFieldLength, maxInputLength, maxStackSize, maxItems);
    }

    /**
     * {@return these bounds with another {@link #maxFieldLength()}}
     * @param value the longest field in bytes, at least 0
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public Limits withMaxFieldLength(long value) {
        return new Limits(maxDepth, maxMemoSize, value, maxInputLength, maxStackSize, maxItems);
    }

    /**
     * {@return these bounds with another {@link #maxInputLength()}}
     * @param value the most bytes one pickle may span, at least 0
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public Limits withMaxInputLength(long value) {
        return new Limits(maxDepth, maxMemoSize, maxFieldLength, value, maxStackSize, maxItems);
    }

    /**
     * {@return these bounds with another {@link #maxStackSize()}}
     * @param value the most stack items at once, at least 1
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public Limits withMaxStackSize(int value) {
        return new Limits(maxDepth, maxMemoSize, maxFieldLength, maxInputLength, value, maxItems);
    }

    /**
     * {@return these bounds with another {@link #maxItems()}}
     * @param value the most values pushed in all, at least 1
     * @throws IllegalArgumentException if {@code value} is out of range
     */
    public Limits withMaxItems(long value) {
        return new Limits(maxDepth, maxMemoSize, maxFieldLength, maxInputLength, maxStackSize, value);
    }
}
