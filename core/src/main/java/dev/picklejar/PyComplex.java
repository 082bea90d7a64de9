package dev.picklejar;

/**
 * A Python {@code complex} number.
 *
 * @param real the real part
 * @param imag the imaginary part
 */
public record PyComplex(double real, double imag) {
}
