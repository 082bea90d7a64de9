/**
 * numpy's values without numpy: {@link dev.picklejar.numpy.NdArray} (an {@code ndarray} from every
 * form numpy pickles it in, written back to the same bytes), its {@link dev.picklejar.numpy.DType},
 * {@link dev.picklejar.numpy.NumpyScalar}, {@code .npy} files ({@link dev.picklejar.numpy.NpyFile})
 * and the numpy version whose pickles are written ({@link dev.picklejar.numpy.NumpyVersion}).
 */
package dev.picklejar.numpy;
