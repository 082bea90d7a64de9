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
 *        nor a format that holds pickles (only when found in a directory or an archive, never when named)
 * @param files how many files (or streams) were looked at, skipped ones included
 */
public record ScanReport(List<ScanFinding> findings, List<ScanError> errors, Map<String, Integer> pickles,
                         List<String> skipped, int files) {
    /**
     * A report; the lists and the map are copied.
     * @param findings the findings, in reading order; not null
     * @param errors what could not be read; not null
     * @param pickles how many pickles each file or member held; not null
     * @param skipped what was not scanned; not null
     * @param files how many files or streams were looked at
     */
    public ScanReport {
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
        pickles = Collections.unmodifiableMap(new LinkedHashMap<>(pickles));
        skipped = List.copyOf(skipped);
    }

    /** {@return the worst verdict among the findings; {@link GlobalSafety#SAFE} when there are none} */
    public GlobalSafety worst() {
        GlobalSafety worst = GlobalSafety.SAFE;
        for (ScanFinding f : findings) {
            worst = worst.worst(f.verdict());
        }
        return worst;
    }

    /**
     * How many findings have the verdict given (those left out by {@code keepSafe(false)} are not counted).
     * @param verdict the verdict to count
     * @return how many findings have it
     */
    public long count(GlobalSafety verdict) {
        return findings.stream().filter(f -> f.verdict() == verdict).count();
    }

    /** {@return how many pickles were read, in all files and members} */
    public long pickleCount() {
        long n = 0;
        for (int c : pickles.values()) {
            n += c;
        }
        return n;
    }

    /**
     * The report in one line, as the command line ends its text output with: files, pickles, the
     * findings that are not safe by verdict, and the unreadable.
     * @return the summary line, without a newline
     */
    public String summary() {
        long unreadable = errors.stream().map(e -> location(e.path(), e.entry())).distinct().count();
        return "scanned " + files + (files == 1 ? " file, " : " files, ") + pickleCount()
                + (pickleCount() == 1 ? " pickle: " : " pickles: ") + count(GlobalSafety.DANGEROUS) + " dangerous, "
                + count(GlobalSafety.UNKNOWN) + " unknown, " + unreadable + " unreadable";
    }

    /** {@return whether anything dangerous was found} */
    public boolean dangerous() {
        return worst() == GlobalSafety.DANGEROUS;
    }

    /** A file, followed by {@code !entry} for a member of an archive. */
    static String location(String path, String entry) {
        return entry == null ? path : path + "!" + entry;
    }
}
