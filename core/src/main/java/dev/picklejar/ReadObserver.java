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

    /**
     * STACK_GLOBAL found operands that are not both str (names computed by calls, as in
     * {@code str(b'os', 'ascii')}): the global to go on with, or null to fail as CPython would
     * for anything but a str.
     */
    default PyGlobal computedGlobal(long offset, Object module, Object name) {
        return null;
    }

    /**
     * An opcode at {@code offset} disagrees with the FRAME it is in: it crosses the frame's end, or
     * the pickle or a new frame begins before it. Such a pickle is read one way by
     * {@code pickle.loads(bytes)} and another by {@code pickle.load(file)}.
     */
    default void frameViolation(long offset, String what) {
    }

    /** BUILD gave {@code object} its state; {@code following} reads (and consumes) the input after it. */
    default void afterBuild(PyObject object, java.io.InputStream following) throws java.io.IOException {
    }
}
