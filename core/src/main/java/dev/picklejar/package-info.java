/**
 * Python's pickle for the JVM: read every pickle CPython writes (protocols 0 to 5, Python 2
 * pickles) without running code, and write pickles byte for byte identical to CPython's.
 *
 * <p>{@link dev.picklejar.Pickle} has the one-call forms ({@code dumps}, {@code loads});
 * {@link dev.picklejar.Unpickler} and {@link dev.picklejar.Pickler} are the configured reader and
 * writer (encoding, strict mode, {@link dev.picklejar.Limits}, registered Java types), and
 * {@link dev.picklejar.PickleStream} reads many pickles from one input. Python values without a
 * Java counterpart are {@link dev.picklejar.PyTuple}, {@link dev.picklejar.PyObject},
 * {@link dev.picklejar.PyGlobal} and the other {@code Py*} types; {@link dev.picklejar.Repr} prints
 * any loaded value as Python's {@code repr()} does. {@link dev.picklejar.Disassembler} is
 * {@code pickletools.dis} and {@link dev.picklejar.Scanner} finds what a pickle would import and call.
 * Every failure to read is a {@link dev.picklejar.PickleException} naming the byte offset and the opcode.
 */
package dev.picklejar;
