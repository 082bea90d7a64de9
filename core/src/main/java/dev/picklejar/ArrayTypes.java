package dev.picklejar;

import dev.picklejar.numpy.DType;
import dev.picklejar.numpy.NdArray;
import dev.picklejar.numpy.NumpyScalar;
import dev.picklejar.numpy.NumpyVersion;
import dev.picklejar.torch.Tensor;

/**
 * Where the reader and the writer meet numpy's and PyTorch's values ({@link dev.picklejar.numpy},
 * {@link dev.picklejar.torch}): which reductions become an {@link NdArray}, a {@link DType}, a
 * {@link NumpyScalar} or a {@link Tensor} when loaded, and what numpy's are written as. Pure data
 * work; numpy and torch are never needed or run.
 */
final class ArrayTypes {
    private ArrayTypes() {
    }

    /** Whether a REDUCE of this global may be one of numpy's or torch's values. */
    static boolean isCandidate(PyGlobal g) {
        return g.module().startsWith("numpy") || g.module().equals("torch._utils");
    }

    /** Whether a REDUCE of this global may become a numpy value once BUILD gives it its state. */
    static boolean awaitsState(PyGlobal g) {
        return switch (g.name()) {
            case "dtype" -> g.module().equals("numpy");
            case "_reconstruct" -> g.module().equals("numpy.core.multiarray") || g.module().equals("numpy._core.multiarray");
            default -> false;
        };
    }

    /** The numpy value a REDUCE stands for at once ({@code _frombuffer}, {@code scalar}), or null. */
    static Object reduce(PyObject call) {
        if (!(call.callable() instanceof PyGlobal g)) {
            return null;
        }
        if (g.module().equals("torch._utils")) {
            return Tensor.fromPickled(call);
        }
        return switch (g.name()) {
            case "_frombuffer" -> NdArray.fromPickled(call);
            case "scalar" -> NumpyScalar.fromPickled(call);
            default -> null;
        };
    }

    /** The numpy value an object built by {@code dtype(...)} or {@code _reconstruct(...)} and BUILD stands for, or null. */
    static Object built(PyObject object) {
        if (!(object.callable() instanceof PyGlobal g)) {
            return null;
        }
        return g.name().equals("dtype") ? DType.fromPickled(object) : NdArray.fromPickled(object);
    }

    static boolean isNumpyValue(Object obj) {
        return obj instanceof NdArray || obj instanceof DType || obj instanceof NumpyScalar;
    }

    /** What a numpy value is written as at the protocol: numpy's own reduction of it. */
    static Object toPython(Object obj, int protocol, NumpyVersion version) {
        if (obj instanceof NdArray a) {
            return a.toPickled(protocol, version);
        }
        if (obj instanceof DType d) {
            PyObject p = d.toPickled();
            if (p == null) {
                throw new PicklingException("a structured " + d + " made in Java cannot be pickled; load it from numpy's pickle");
            }
            return p;
        }
        return ((NumpyScalar) obj).toPickled(version);
    }
}
