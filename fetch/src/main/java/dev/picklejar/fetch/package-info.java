/**
 * The asynchronous page downloader: many pages at once, the job Python does with
 * {@code asyncio.gather} over {@code aiohttp} requests, with what a real downloader needs (limits,
 * time-outs, retries, redirects, charsets, cancelling) and results Python can load as a pickle.
 *
 * <pre>{@code
 * try (Fetcher fetcher = Fetcher.builder().concurrency(50).perHostConcurrency(8)
 *         .timeout(Duration.ofSeconds(20)).retries(3).build()) {
 *     Batch batch = fetcher.fetchAll(urls, (result, done, total) -> System.err.print("\r" + done + "/" + total));
 *     Map<String, FetchResult> pages = batch.join();              // or batch.future(url), batch.cancel()
 *     Files.write(Path.of("pages.pickle"), Pickle.dumps(FetchResult.toPython(pages)));
 * }
 * }</pre>
 *
 * <p>{@link dev.picklejar.fetch.Fetcher} holds the configuration, threads and connections;
 * {@link dev.picklejar.fetch.Batch} is one call's URLs; {@link dev.picklejar.fetch.FetchResult}
 * is what became of one URL; {@link dev.picklejar.fetch.ProgressListener} hears of each as it ends.
 */
package dev.picklejar.fetch;
