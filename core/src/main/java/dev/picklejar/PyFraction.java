package dev.picklejar;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A Python {@code fractions.Fraction}: a rational number in lowest terms, the denominator
 * positive, as {@code Fraction(3, 7)} holds it. Loaded from the {@code Fraction(numerator,
 * denominator)} that CPython pickles, and written back the same way.
 *
 * @param numerator the numerator, carrying the sign
 * @param denominator the denominator, at least 1, with no factor in common with the numerator
 */
public record PyFraction(BigInteger numerator, BigInteger denominator) {
    /**
     * A fraction already in lowest terms; {@link #of(BigInteger, BigInteger)} reduces one that is not.
     * @param numerator the numerator, carrying the sign; not null
     * @param denominator the denominator, positive, with no factor in common with the numerator; not null
     * @throws IllegalArgumentException if the denominator is not positive or the fraction is not in lowest terms
     */
    public PyFraction {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("the denominator must be positive, not " + denominator);
        }
        if (!numerator.gcd(denominator).equals(BigInteger.ONE)) {
            throw new IllegalArgumentException(numerator + "/" + denominator + " is not in lowest terms; use PyFraction.of");
        }
    }

    /**
     * The fraction numerator/denominator in lowest terms, as {@code Fraction(numerator, denominator)} makes it.
     * @param numerator the numerator
     * @param denominator the denominator, not 0
     * @return the fraction, its sign on the numerator
     * @throws ArithmeticException if {@code denominator} is 0
     */
    public static PyFraction of(long numerator, long denominator) {
        return of(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /**
     * The fraction numerator/denominator in lowest terms, as {@code Fraction(numerator, denominator)} makes it.
     * @param numerator the numerator; not null
     * @param denominator the denominator, not 0; not null
     * @return the fraction, its sign on the numerator
     * @throws ArithmeticException if {@code denominator} is 0
     */
    public static PyFraction of(BigInteger numerator, BigInteger denominator) {
        if (denominator.signum() == 0) {
            throw new ArithmeticException("Fraction(" + numerator + ", 0)");
        }
        BigInteger g = numerator.gcd(denominator);
        if (denominator.signum() < 0) {
            g = g.negate();
        }
        return new PyFraction(numerator.divide(g), denominator.divide(g));
    }

    /** {@return the nearest double, as {@code float(fraction)}} */
    public double doubleValue() {
        return new java.math.BigDecimal(numerator).divide(new java.math.BigDecimal(denominator),
                java.math.MathContext.DECIMAL64).doubleValue();
    }

    /** As Python's {@code repr()}: {@code Fraction(3, 7)}. */
    @Override
    public String toString() {
        return "Fraction(" + numerator + ", " + denominator + ")";
    }
}
