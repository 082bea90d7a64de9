package dev.picklejar.bench;

import java.util.Map;

/** Just enough JSON output for the probe files, so that the benchmarks need no JSON library. */
final class Json {
    private Json() {
    }

    static String object(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(string(e.getKey())).append(": ");
            Object v = e.getValue();
            if (v == null || v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                b.append(string(v.toString()));
            }
        }
        return b.append('}').toString();
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
