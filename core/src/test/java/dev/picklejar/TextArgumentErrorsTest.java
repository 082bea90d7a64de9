package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The text arguments of protocol 0 opcodes that are not numbers: the reader says so in Python's
 * words (CPython 3.11: {@code ValueError: invalid literal for int() with base 10: 'arbage\n'}),
 * never with Java's {@code NumberFormatException} text ("For input string").
 */
class TextArgumentErrorsTest {
    private static PickleException refused(String pickle) {
        return assertThrows(PickleException.class,
                () -> Pickle.loads(pickle.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aGetWhoseIndexIsNotANumberNamesTheText() {
        // "garbage\n": g is GET, and its argument is the line "arbage".
        PickleException e = refused("garbage\n");
        assertEquals("invalid literal for int() with base 0: 'arbage' (at byte 0, opcode GET)", e.getMessage());
    }

    @Test
    void intLongAndPutArgumentsThatAreNotNumbersNameTheText() {
        assertEquals("invalid literal for int() with base 0: 'abc' (at byte 0, opcode INT)", refused("Iabc\n.").getMessage());
        assertEquals("invalid literal for int() with base 0: 'abc' (at byte 0, opcode LONG)", refused("Labc\n.").getMessage());
        assertEquals("invalid literal for int() with base 0: '0x1g' (at byte 0, opcode INT)", refused("I0x1g\n.").getMessage());
        assertEquals("invalid literal for int() with base 0: '1x' (at byte 2, opcode PUT)", refused("(lp1x\n.").getMessage());
    }

    @Test
    void aGlobalNameWithAnEncodedSurrogateIsRefusedAsCPythonRefusesIt() {
        // CPython 3.11: pickle.loads(b'c\xed\xa0\x80\nx\n.') raises UnicodeDecodeError ('utf-8' codec can't decode
        // byte 0xed in position 0: invalid continuation byte): GLOBAL decodes strictly, where strings take surrogatepass.
        assertEquals("'utf-8' codec can't decode GLOBAL argument: invalid continuation byte (at byte 0, opcode GLOBAL)",
                refused("c\u00ed\u00a0\u0080\nx\n.").getMessage());
        // The writer refuses a global holding a lone surrogate (one read by STACK_GLOBAL) where it would write a GLOBAL.
        PyGlobal lone = new PyGlobal("m\ud800", "x");
        assertEquals(lone, Pickle.loads(Pickle.dumps(lone, 4)));
        PicklingException e = assertThrows(PicklingException.class, () -> Pickle.dumps(lone, 3));
        assertEquals(true, e.getMessage().contains("surrogates not allowed"), e.getMessage());
    }
}
