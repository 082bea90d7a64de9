package dev.picklejar.fetch;

/**
 * Told of each URL of a {@link Batch} as it ends. Calls for one batch never overlap and
 * {@code done} counts up from 1 to {@code total}, so a listener needs no locking of its own. It
 * runs on a network thread: return quickly and never block.
 */
@FunctionalInterface
public interface ProgressListener {
    /**
     * One more URL has its result; {@code done} of the batch's {@code total} URLs have ended.
     * @param result the URL's result
     * @param done how many of the batch's URLs have ended, this one included: 1 to {@code total}
     * @param total how many distinct URLs the batch has
     */
    void onResult(FetchResult result, int done, int total);
}
