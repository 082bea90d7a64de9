package dev.picklejar;

/**
 * Sees what a pickle imports and calls as the reader's machine meets it, before anything is built
 * from it. The scanner's view of a pickle: the same stack and memo as loading, so memo tricks and
 * names built on the stack resolve to their real targets. Nothing is ever executed.
 */
interface ReadObserver {
    /** A global the pickle names: GLOBAL, STACK_GLOBAL, INST's class or an EXT code's target. */
    void global(long offset, Opcode opcode, PyGlobal global);

    /**
     * A call the pickle makes: REDUCE ({@code callable(*args)}), NEWOBJ and NEWOBJ_EX
     * ({@code cls.__new__}), INST and OBJ ({@code cls(*args)}), and BUILD ({@code target} given
     * {@code args}, the state, which may run the target's {@code __setstate__}).
     */
    void call(long offset, Opcode opcode, Object callable, Object args);
}
