package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Repr#write}: the same characters as {@link Repr#of(Object, long)}, handed over in chunks. */
class ReprWriteTest {
    /** A sink that counts its appends and keeps what they were given. */
    private static final class Chunks implements Appendable {
        final StringBuilder all = new StringBuilder();
        int appends;
        int longest;

        @Override
        public Appendable append(CharSequence csq) {
            appends++;
            longest = Math.max(longest, csq.length());
            all.append(csq);
            return this;
        }

        @Override
        public Appendable append(CharSequence csq, int start, int end) {
            return append(csq.subSequence(start, end));
        }

        @Override
        public Appendable append(char c) {
            return append(String.valueOf(c));
        }
    }

    @Test
    void aLongReprArrivesInChunksAndEqualsOf() throws IOException {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", i);
            row.put("name", "이름 " + i);
            row.put("tags", List.of("a", "b'c"));
            row.put("score", i / 7.0);
            records.add(row);
        }
        Chunks sink = new Chunks();
        Repr.write(records, Long.MAX_VALUE, sink);
        assertEquals(Repr.of(records), sink.all.toString());
        assertTrue(sink.appends > 10, sink.appends + " appends");
        assertTrue(sink.longest < 1 << 16, "longest chunk " + sink.longest);
    }

    @Test
    void aShortReprIsOneAppend() throws IOException {
        Chunks sink = new Chunks();
        Repr.write(List.of(1, "x", 2.5), Long.MAX_VALUE, sink);
        assertEquals("[1, 'x', 2.5]", sink.all.toString());
        assertEquals(1, sink.appends);
    }

    @Test
    void aReprPastItsLengthStopsAfterWritingAtMostThatMuch() {
        List<Object> dag = List.of(1);
        for (int i = 0; i < 60; i++) {
            dag = List.of(dag, dag);
        }
        Chunks sink = new Chunks();
        List<Object> value = dag;
        assertThrows(Repr.TooLongException.class, () -> Repr.write(value, 1_000_000, sink));
        assertTrue(sink.all.length() <= 1_000_000, sink.all.length() + " characters written");
    }
}
