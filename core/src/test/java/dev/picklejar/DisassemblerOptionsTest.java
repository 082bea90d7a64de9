package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link Disassembler.Options} (pickletools.dis's {@code indentlevel}, {@code annotate} and
 * {@code memo}) and the one-pickle-at-a-time listing of {@link Disassembler#open}. The expected
 * text is what CPython 3.11's pickletools prints (the command line's dis-options vectors cover
 * many more cases against python3 itself).
 */
class DisassemblerOptionsTest {
    /** pickle.dumps(['a'], 0): MARK, LIST, PUT, UNICODE, PUT, APPEND, STOP. */
    private static final byte[] LIST_P0 = HexFormat.of().parseHex("286c70300a56610a70310a612e");
    /** pickle.dumps('shared', 2), then a pickle that is only BINGET 0 and STOP. */
    private static final byte[] PUT_SHARED = HexFormat.of().parseHex("800258060000007368617265647100" + "2e");
    private static final byte[] GET_0 = HexFormat.of().parseHex("80026800" + "2e");

    private static String dis(byte[] pickle, Disassembler.Options options) throws IOException {
        StringBuilder out = new StringBuilder();
        Disassembler.dis(new ByteArrayInputStream(pickle), out, options);
        return out.toString();
    }

    @Test
    void annotateAndIndentLevelAsPickletoolsPrintsThem() throws IOException {
        // python3 -c "import pickle, pickletools; pickletools.dis(pickle.dumps(['a'], 0), annotate=30, indentlevel=2)"
        assertEquals("""
                    0: (    MARK                      Push markobject onto the stack.
                    1: l      LIST       (MARK at 0)  Build a list out of the topmost stack slice, after markobject.
                    2: p    PUT        0              Store the stack top into the memo.  The stack is not popped.
                    5: V    UNICODE    'a'            Push a Python Unicode string object.
                    8: p    PUT        1              Store the stack top into the memo.  The stack is not popped.
                   11: a    APPEND                    Append an object to a list.
                   12: .    STOP                      Stop the unpickling machine.
                highest protocol among opcodes = 0
                """, dis(LIST_P0, Disassembler.Options.defaults().withAnnotate(30).withIndentLevel(2)));
        assertEquals(dis(LIST_P0, Disassembler.Options.defaults()), dis(LIST_P0, Disassembler.Options.defaults()
                .withIndentLevel(4).withAnnotate(0)));
    }

    @Test
    void aKeptMemoCarriesOverToTheNextInputWhoseOffsetsStartAgain() throws IOException {
        Disassembler.Options kept = Disassembler.Options.defaults().withKeptMemo(true);
        Disassembler d = Disassembler.open(new ByteArrayInputStream(PUT_SHARED), kept);
        StringBuilder out = new StringBuilder();
        assertTrue(d.hasNext());
        d.next(out);
        assertEquals(PUT_SHARED.length, d.offset());
        assertFalse(d.hasNext());
        d.nextInput(new ByteArrayInputStream(GET_0));
        d.next(out);
        assertTrue(out.toString().endsWith("""
                    0: \\x80 PROTO      2
                    2: h    BINGET     0
                    4: .    STOP
                highest protocol among opcodes = 2
                """), out.toString());

        // Without the kept memo, pickletools raises: memo key 0 has never been stored into.
        Disassembler fresh = Disassembler.open(new ByteArrayInputStream(PUT_SHARED), Disassembler.Options.defaults());
        fresh.next(new StringBuilder());
        fresh.nextInput(new ByteArrayInputStream(GET_0));
        Disassembler.DisassemblyException e = assertThrows(Disassembler.DisassemblyException.class,
                () -> fresh.next(new StringBuilder()));
        assertEquals("memo key 0 has never been stored into", e.pythonMessage());
        assertEquals(2, e.offset());
    }

    @Test
    void theDefaultsArePickletoolsDefaults() {
        Disassembler.Options defaults = Disassembler.Options.defaults();
        assertEquals(4, defaults.indentLevel());
        assertEquals(0, defaults.annotate());
        assertFalse(defaults.keptMemo());
    }
}
