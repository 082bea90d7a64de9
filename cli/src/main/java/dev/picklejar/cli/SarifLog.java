package dev.picklejar.cli;

import dev.picklejar.GlobalSafety;
import dev.picklejar.ScanError;
import dev.picklejar.ScanFinding;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * A scan as a SARIF 2.1.0 log (the format GitHub code scanning and other CI tools read): one run
 * of the tool picklejar with three rules (a dangerous global or call, an unknown one, an unreadable
 * file) and a result per finding that is not safe and per file that could not be read. A finding
 * in a plain file points at its byte; one in an archive member points at the archive, and names
 * the member and its offset in the message and the result's properties.
 */
final class SarifLog {
    static final String DANGEROUS = "PJ001";
    static final String UNKNOWN = "PJ002";
    static final String UNREADABLE = "PJ003";

    private SarifLog() {
    }

    static String write(List<ScanFinding> findings, List<ScanError> errors, boolean strict) {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{");
        b.append("\"tool\":{\"driver\":{\"name\":\"picklejar\",\"rules\":[");
        rule(b, DANGEROUS, "DangerousGlobal", "A pickle imports or calls something that can run code, touch files,"
                + " processes or the network, or import other names.", "error");
        b.append(',');
        rule(b, UNKNOWN, "UnknownGlobal", "A pickle imports or calls something not known to be plain data"
                + " (refused by a strict scan).", strict ? "error" : "warning");
        b.append(',');
        rule(b, UNREADABLE, "Unreadable", "A file or archive member could not be read to its end as pickles or as"
                + " a format that holds pickles: it is not known to be safe.", "error");
        b.append("]}},\"results\":[");
        boolean first = true;
        for (ScanFinding f : findings) {
            if (f.verdict() == GlobalSafety.SAFE) {
                continue;
            }
            first = comma(b, first);
            boolean dangerous = f.verdict() == GlobalSafety.DANGEROUS;
            String what = (f.call() ? f.opcode().name() + " calls " : f.opcode().name() + " imports ") + f.global()
                    + (f.call() ? "(...)" : "");
            String where = f.entry() == null ? "" : " in " + f.entry() + " at byte " + f.offset();
            result(b, dangerous ? DANGEROUS : UNKNOWN, dangerous ? 0 : 1, dangerous || strict ? "error" : "warning",
                    what + where + " (" + f.verdict().label() + ")", f.path(), f.entry() == null ? f.offset() : -1);
            b.append(",\"properties\":{\"entry\":");
            string(b, f.entry());
            b.append(",\"pickle\":").append(f.pickle()).append(",\"offset\":").append(f.offset())
                    .append(",\"opcode\":\"").append(f.opcode().name()).append("\",\"verdict\":\"")
                    .append(f.verdict().label()).append("\",\"global\":");
            string(b, f.global());
            b.append(",\"call\":").append(f.call()).append("}}");
        }
        for (ScanError e : errors) {
            first = comma(b, first);
            String where = e.entry() == null ? "" : " (member " + e.entry() + ")";
            result(b, UNREADABLE, 2, "error", "unreadable" + where + ": " + e.message(), e.path(),
                    e.entry() == null ? e.offset() : -1);
            b.append(",\"properties\":{\"entry\":");
            string(b, e.entry());
            b.append(",\"pickle\":").append(e.pickle()).append(",\"offset\":").append(e.offset()).append("}}");
        }
        b.append("]}]}");
        return b.toString();
    }

    private static void rule(StringBuilder b, String id, String name, String text, String level) {
        b.append("{\"id\":\"").append(id).append("\",\"name\":\"").append(name).append("\",\"shortDescription\":{\"text\":");
        string(b, text);
        b.append("},\"defaultConfiguration\":{\"level\":\"").append(level).append("\"}}");
    }

    /** A result up to its locations; the caller adds the properties and closes it. */
    private static void result(StringBuilder b, String rule, int index, String level, String message, String path,
                               long byteOffset) {
        b.append("{\"ruleId\":\"").append(rule).append("\",\"ruleIndex\":").append(index).append(",\"level\":\"")
                .append(level).append("\",\"message\":{\"text\":");
        string(b, message);
        b.append("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        string(b, uri(path));
        b.append('}');
        if (byteOffset >= 0) {
            b.append(",\"region\":{\"byteOffset\":").append(byteOffset).append(",\"byteLength\":1}");
        }
        b.append("}}]");
    }

    /** A path as a relative (or absolute-path) URI reference, characters URIs do not allow escaped. */
    static String uri(String path) {
        String slashed = path.replace('\\', '/');
        try {
            return new URI(null, null, slashed, null).toASCIIString();
        } catch (URISyntaxException e) {
            StringBuilder out = new StringBuilder();
            for (byte x : slashed.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                char c = (char) (x & 0xff);
                out.append(Character.isLetterOrDigit(c) && c < 0x80 || "/._-~".indexOf(c) >= 0 ? String.valueOf(c)
                        : String.format("%%%02X", x & 0xff));
            }
            return out.toString();
        }
    }

    private static boolean comma(StringBuilder b, boolean first) {
        if (!first) {
            b.append(',');
        }
        return false;
    }

    private static void string(StringBuilder b, String s) {
        b.append(s == null ? "null" : ScanFinding.jsonString(s));
    }
}
