package dev.picklejar;

/**
 * A file, archive member or pickle the scanner could not read to its end; what it found before the
 * error is still among the findings.
 *
 * @param path the file as it was named or found
 * @param entry the member of a zip archive, or {@code null}
 * @param pickle which pickle of the file or member failed, counting from 0; -1 when the failure
 *        came before any pickle (an unreadable file or archive)
 * @param offset the byte offset of the failure in the file or member, or -1 when none applies
 * @param message what went wrong, where
 */
public record ScanError(String path, String entry, int pickle, long offset, String message) {
    /** The error on one line: {@code location: pickle N: message} (the pickle only past the first). */
    @Override
    public String toString() {
        return ScanReport.location(path, entry) + ": " + (pickle > 0 ? "pickle " + pickle + ": " : "") + message;
    }
}
