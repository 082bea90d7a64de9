package dev.picklejar.fetch;

/**
 * Told of each URL of a {@link Batch} as it ends. Calls for one batch never overlap and
 * {@code done} counts up from 1 to {@code total}, so a listener needs no locking of its own. It
 * runs on a network thread: return quickly and never block.
 */
@FunctionalInterface
public interface ProgressListener {
    /** One more URL has its result; {@code done} of the batch's {@code total} URLs have ended. */
    void onResult(FetchResult result, int done, int total);
}
