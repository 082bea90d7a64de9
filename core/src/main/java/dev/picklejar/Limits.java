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
 */
public record Limits(int maxDepth, int maxMemoSize, long maxFieldLength, long maxInputLength, int maxStackSize) {
    /** Generous bounds for trusted sizes: depth 10 000, 50M memo entries, 2 GiB fields, no total cap. */
    public static Limits defaults() {
        return new Limits(10_000, 50_000_000, Integer.MAX_VALUE - 8L, Long.MAX_VALUE, 50_000_000);
    }

    /** No bounds other than what Java itself imposes (arrays below 2 GiB). */
    public static Limits none() {
        return new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8L, Long.MAX_VALUE,
                Integer.MAX_VALUE);
    }

    public Limits {
        if (maxDepth < 1 || maxMemoSize < 0 || maxFieldLength < 0 || maxInputLength < 0 || maxStackSize < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        maxFieldLength = Math.min(maxFieldLength, Integer.MAX_VALUE - 8L);
    }

    public Limits withMaxDepth(int value) {
        return new Limits(value, maxMemoSize, maxFieldLength, maxInputLength, maxStackSize);
    }

    public Limits withMaxMemoSize(int value) {
        return new Limits(maxDepth, value, maxFieldLength, maxInputLength, maxStackSize);
    }

    public Limits withMaxFieldLength(long value) {
        return new Limits(maxDepth, maxMemoSize, value, maxInputLength, maxStackSize);
    }

    public Limits withMaxInputLength(long value) {
        return new Limits(maxDepth, maxMemoSize, maxFieldLength, value, maxStackSize);
    }

    public Limits withMaxStackSize(int value) {
        return new Limits(maxDepth, maxMemoSize, maxFieldLength, maxInputLength, value);
    }
}
