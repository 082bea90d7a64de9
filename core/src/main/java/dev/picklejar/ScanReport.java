package dev.picklejar;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Scanner} found in a file, directory, archive or stream.
 *
 * @param findings every global imported and every call made, in the order the files and pickles
 *        were read (without those judged safe when the scanner was built with
 *        {@link Scanner.Builder#keepSafe(boolean) keepSafe(false)})
 * @param errors the files, members and pickles that could not be read to their end
 * @param pickles for each file or member read as pickles ({@code path} or {@code path!entry}), how
 *        many pickles it held
 * @param skipped the files and members that were not scanned because they are neither pickles
 *        nor zip archives (only when found in a directory or an archive, never when named)
 */
public record ScanReport(List<ScanFinding> findings, List<ScanError> errors, Map<String, Integer> pickles,
                         List<String> skipped) {
    public ScanReport {
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
        pickles = Collections.unmodifiableMap(new LinkedHashMap<>(pickles));
        skipped = List.copyOf(skipped);
    }

    /** The worst verdict among the findings; {@link GlobalSafety#SAFE} when there are none. */
    public GlobalSafety worst() {
        GlobalSafety worst = GlobalSafety.SAFE;
        for (ScanFinding f : findings) {
            worst = worst.worst(f.verdict());
        }
        return worst;
    }

    /** Whether anything dangerous was found. */
    public boolean dangerous() {
        return worst() == GlobalSafety.DANGEROUS;
    }

    /** A file, followed by {@code !entry} for a member of an archive. */
    static String location(String path, String entry) {
        return entry == null ? path : path + "!" + entry;
    }
}
