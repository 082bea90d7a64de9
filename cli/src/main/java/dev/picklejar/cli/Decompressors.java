package dev.picklejar.cli;

import dev.picklejar.Scanner;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The decompressors {@code picklejar scan} gives the scanner for the formats core recognises but
 * cannot read without a dependency: bz2 and lz4 frames (Apache Commons Compress), xz and the raw
 * {@code .lzma} format (XZ for Java). zstd stays unreadable: its Java decoders need native code.
 */
final class Decompressors {
    /**
     * Most memory an xz or lzma decoder may take, in KiB: a header can ask for a dictionary of up
     * to 4 GiB; xz -9 and Python's lzma presets need at most 64 MiB, so 256 MiB leaves room and
     * keeps a hostile header from running the JVM out of memory (it is an unreadable file instead).
     */
    static final int MEMORY_LIMIT_KIB = 256 << 10;

    private Decompressors() {
    }

    /** The builder, with a decompressor for bz2, xz, lzma and lz4. */
    static Scanner.Builder register(Scanner.Builder builder) {
        // Python's bz2 and lzma modules, and so joblib and pandas, read streams written one after
        // another as one: so do these.
        return builder
                .decompressor("bz2", in -> new BZip2CompressorInputStream(in, true))
                .decompressor("xz", in -> new XZInputStream(in, MEMORY_LIMIT_KIB))
                .decompressor("lzma", in -> new LZMAInputStream(in, MEMORY_LIMIT_KIB))
                .decompressor("lz4", in -> new FramedLZ4CompressorInputStream(in, true));
    }
}
