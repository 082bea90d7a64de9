package dev.picklejar;

/** The kinds of stack entries pickletools uses to describe an opcode's stack effect. */
public enum StackItem {
    NONE, ANY, BOOL, BUFFER, BYTEARRAY, BYTES, BYTES_OR_STR, DICT, FLOAT, FROZENSET, INT, INT_OR_BOOL,
    LIST, SET, STR, TUPLE,
    /** The MARK pseudo-object that {@code MARK} pushes and that slice-taking opcodes pop. */
    MARK,
    /** Every item above the topmost mark. */
    STACKSLICE
}
