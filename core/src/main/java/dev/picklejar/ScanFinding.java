package dev.picklejar;

import java.util.Objects;

/**
 * One thing a scanned pickle does: import a global, or call something (REDUCE, NEWOBJ, NEWOBJ_EX,
 * INST, OBJ, or BUILD, which hands a state to the object's {@code __setstate__}), with the
 * scanner's verdict on it.
 *
 * @param path the file as it was named or found (a directory's files are named below it)
 * @param entry the member of a zip archive, {@code outer!inner} for a zip inside a zip; {@code null}
 *        for a pickle that is not in an archive
 * @param pickle which pickle of the file or member, counting from 0
 * @param offset the byte offset of the opcode, counted from the start of the file or member
 * @param opcode the opcode that imports or calls
 * @param verdict how safe it is
 * @param global what is imported or called: {@code module.name}; {@code module.name(...)} for the
 *        result of calling it; {@code <extension:N>} for an EXT code (copyreg's registry is
 *        empty by default, so no code has a known target); {@code <persistent-id>} for an object
 *        the pickle's persistent_load would make; {@code <type>} for a plain value
 * @param call whether the opcode calls {@code global} rather than imports it
 */
public record ScanFinding(String path, String entry, int pickle, long offset, Opcode opcode, GlobalSafety verdict,
                          String global, boolean call) {
    /**
     * A finding; the components are described above.
     * @param path the file; not null
     * @param entry the archive member, or {@code null}
     * @param pickle which pickle of the file or member, from 0
     * @param offset the opcode's byte offset
     * @param opcode the opcode; not null
     * @param verdict how safe it is; not null
     * @param global what is imported or called; not null
     * @param call whether the opcode calls {@code global}
     * @throws NullPointerException if {@code path}, {@code opcode}, {@code verdict} or {@code global} is null
     */
    public ScanFinding {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(global, "global");
    }

    /** {@return the file, followed by {@code !entry} for a member of an archive} */
    public String location() {
        return ScanReport.location(path, entry);
    }

    /**
     * The finding on one line: location, offset, opcode, verdict, then the global, written as a
     * call ({@code os.system(...)}, {@code collections.OrderedDict(...).__setstate__(...)} for
     * BUILD) when it is one. For example {@code model.pt!archive/data.pkl 52 REDUCE dangerous os.system(...)}.
     * Names come from the stream, so control characters in them, and spaces in the global, are
     * escaped ({@code \n}, {@code \x20}): a hostile name can neither forge a line nor a column.
     */
    @Override
    public String toString() {
        String name = escape(global, true);
        String what = !call ? name : opcode == Opcode.BUILD ? name + ".__setstate__(...)" : name + "(...)";
        return escape(location(), false) + " " + offset + " " + opcode.name() + " " + verdict.label() + " " + what;
    }

    private static String escape(String s, boolean spaces) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != 0x2028 && c != 0x2029
                    && !(spaces && (c == '\\' || Character.isWhitespace(c) || Character.isSpaceChar(c)));
            if (plain) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * The finding as one JSON object with the fields path, entry (null outside archives), pickle,
     * offset, opcode, verdict, global and call.
     * @return the JSON object, on one line
     */
    public String toJson() {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"path\":");
        quote(b, path);
        b.append(",\"entry\":");
        if (entry == null) {
            b.append("null");
        } else {
            quote(b, entry);
        }
        b.append(",\"pickle\":").append(pickle);
        b.append(",\"offset\":").append(offset);
        b.append(",\"opcode\":\"").append(opcode.name()).append('"');
        b.append(",\"verdict\":\"").append(verdict.label()).append('"');
        b.append(",\"global\":");
        quote(b, global);
        b.append(",\"call\":").append(call).append('}');
        return b.toString();
    }

    /**
     * {@code s} as a JSON string literal, quotes included. Names come from the stream, so control
     * characters and lone surrogates are escaped as JSON's backslash-u escapes, and the result
     * is valid JSON whatever a hostile pickle holds. For tools that write findings in another JSON
     * shape (the command's SARIF output).
     * @param s any string, lone surrogates included; not null
     * @return the JSON string literal
     */
    public static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // Control characters and lone surrogates (names from a hostile stream) stay valid JSON.
                    boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == 0x7f || lone) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
