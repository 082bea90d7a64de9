package dev.picklejar.numpy;

import dev.picklejar.PyGlobal;

/**
 * The numpy generation a pickle is written for: the module names of numpy's reconstructors moved
 * from {@code numpy.core} (numpy 1.x) to {@code numpy._core} (numpy 2.x). numpy 2 loads both;
 * numpy 1 loads only its own names.
 */
public enum NumpyVersion {
    /** numpy 1.x: {@code numpy.core.multiarray._reconstruct}. */
    NUMPY_1("numpy.core"),
    /** numpy 2.x: {@code numpy._core.multiarray._reconstruct} (the default). */
    NUMPY_2("numpy._core");

    final PyGlobal reconstruct;
    final PyGlobal frombuffer;
    final PyGlobal scalar;

    NumpyVersion(String core) {
        this.reconstruct = new PyGlobal(core + ".multiarray", "_reconstruct");
        this.frombuffer = new PyGlobal(core + ".numeric", "_frombuffer");
        this.scalar = new PyGlobal(core + ".multiarray", "scalar");
    }
}
