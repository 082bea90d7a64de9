package dev.picklejar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Streams of one CPython Pickler's repeated dump(), which share one memo: read as one Unpickler's
 * repeated load() reads them, listed as pickletools.dis lists them with one memo, and written back
 * byte for byte by a {@link PickleSink}. The streams are CPython's, in {@code vectors/shared-memo.tsv}
 * (written by {@code src/test/python/make_stdlib_vectors.py}).
 */
class SharedMemoTest {
    private static final Unpickler SHARED = Unpickler.builder().sharedMemo(true).build();

    record Stream_(String name, int protocol, byte[] data, String listing, List<String> reprs) {
        String display() {
            return name + " [protocol " + protocol + "]";
        }
    }

    static List<Stream_> streams() throws IOException {
        try (InputStream in = SharedMemoTest.class.getResourceAsStream("/vectors/shared-memo.tsv")) {
            assertTrue(in != null, "shared-memo.tsv is missing from the test class path");
            List<Stream_> streams = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                streams.add(new Stream_(f[0], Integer.parseInt(f[1]), HexFormat.of().parseHex(f[2]),
                        new String(HexFormat.of().parseHex(f[3]), UTF_8), List.of(Arrays.copyOfRange(f, 4, f.length))));
            }
            return streams;
        }
    }

    private static List<Object> loadAll(InputStream in) {
        List<Object> values = new ArrayList<>();
        try (PickleStream pickles = SHARED.open(in)) {
            while (pickles.hasNext()) {
                values.add(pickles.next());
            }
        }
        return values;
    }

    @TestFactory
    Stream<DynamicTest> oneUnpicklerReadsWhatOnePicklerWrote() throws IOException {
        return streams().stream().map(s -> DynamicTest.dynamicTest(s.display(), () -> {
            List<String> reprs = new ArrayList<>();
            for (Object value : loadAll(new ByteArrayInputStream(s.data()))) {
                reprs.add(Repr.of(value));
            }
            assertEquals(s.reprs(), reprs);
        }));
    }

    @TestFactory
    Stream<DynamicTest> theListingIsPickletoolsWithOneMemo() throws IOException {
        return streams().stream().map(s -> DynamicTest.dynamicTest(s.display(), () -> {
            StringBuilder out = new StringBuilder();
            int error = s.listing().indexOf("!ValueError: ");
            if (error < 0) {
                Disassembler.disAll(new ByteArrayInputStream(s.data()), out, Disassembler.Options.defaults().withKeptMemo(true));
                assertEquals(s.listing(), out.toString());
            } else {
                Disassembler.DisassemblyException e = assertThrows(Disassembler.DisassemblyException.class,
                        () -> Disassembler.disAll(new ByteArrayInputStream(s.data()), out, Disassembler.Options.defaults().withKeptMemo(true)));
                assertEquals(s.listing().substring(0, error), out.toString());
                String message = s.listing().substring(error + "!ValueError: ".length()).strip();
                assertTrue(e.getMessage().contains(message), e.getMessage() + " should say " + message);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aSinkWritesTheValuesBackToTheSameStream() throws IOException {
        return streams().stream().map(s -> DynamicTest.dynamicTest(s.display(), () -> {
            List<Object> values = loadAll(new ByteArrayInputStream(s.data()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PickleSink sink = Pickler.standard(s.protocol()).open(out)) {
                for (int i = 0; i < values.size(); i++) {
                    if (s.name().equals("after-clear") && i == 1) {
                        sink.clearMemo(); // the script called clear_memo() between its two dumps
                    }
                    sink.dump(values.get(i));
                }
            }
            assertArrayEquals(s.data(), out.toByteArray());
        }));
    }

    @Test
    void pickletoolsMemoTestFromJava() {
        // pickletools._memo_test: x = [1, 2, 3]; p = pickle.Pickler(f, 2); p.dump(x); p.dump(x)
        List<Integer> x = new ArrayList<>(List.of(1, 2, 3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PickleSink sink = Pickler.standard(2).open(out)) {
            sink.dump(x);
            sink.dump(x);
        }
        assertArrayEquals(HexFormat.of().parseHex("80025d7100284b014b024b03652e800268002e"), out.toByteArray());
    }

    @Test
    void withoutASharedMemoTheSecondPickleNamesTheEntryItNeverStored() {
        byte[] memoTest = HexFormat.of().parseHex("80025d7100284b014b024b03652e800268002e");
        try (PickleStream pickles = Unpickler.standard().open(memoTest)) {
            assertEquals(List.of(1, 2, 3), pickles.next());
            PickleException e = assertThrows(PickleException.class, pickles::next);
            assertTrue(e.getMessage().contains("Memo value not found at index 0"), e.getMessage());
        }
    }

    @Test
    void aFailedDumpLeavesTheSinkRefusingMore() {
        PickleSink sink = Pickler.standard(4).open(new ByteArrayOutputStream());
        assertThrows(PicklingException.class, () -> sink.dump(new Object()));
        assertThrows(IllegalStateException.class, () -> sink.dump(1));
    }
}
