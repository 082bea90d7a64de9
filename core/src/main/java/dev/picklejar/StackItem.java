package dev.picklejar;

/** The kinds of stack entries pickletools uses to describe an opcode's stack effect. */
public enum StackItem {
    /** Python's {@code None}. */
    NONE,
    /** Any object. */
    ANY,
    /** A {@code bool}. */
    BOOL,
    /** A buffer-like object: what NEXT_BUFFER pushes and READONLY_BUFFER takes. */
    BUFFER,
    /** A {@code bytearray}. */
    BYTEARRAY,
    /** A {@code bytes}. */
    BYTES,
    /** A {@code bytes} or a {@code str}: what a Python 2 string loads as, by the encoding. */
    BYTES_OR_STR,
    /** A {@code dict}. */
    DICT,
    /** A {@code float}. */
    FLOAT,
    /** A {@code frozenset}. */
    FROZENSET,
    /** An {@code int}. */
    INT,
    /** An {@code int} or a {@code bool} (protocol 0 and 1 spell {@code True} as {@code I01}). */
    INT_OR_BOOL,
    /** A {@code list}. */
    LIST,
    /** A {@code set}. */
    SET,
    /** A {@code str}. */
    STR,
    /** A {@code tuple}. */
    TUPLE,
    /** The MARK pseudo-object that {@code MARK} pushes and that slice-taking opcodes pop. */
    MARK,
    /** Every item above the topmost mark. */
    STACKSLICE
}
