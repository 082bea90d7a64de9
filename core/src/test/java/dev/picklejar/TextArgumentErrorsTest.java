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
}
