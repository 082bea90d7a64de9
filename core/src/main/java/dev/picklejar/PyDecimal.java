package dev.picklejar;

import java.util.Objects;

/**
 * A Python {@code decimal.Decimal} that {@link java.math.BigDecimal} cannot hold: NaN, sNaN (with
 * their payloads), the infinities and negative zero. Finite decimals load as {@code BigDecimal}.
 *
 * @param text the value's string form as Python's {@code str()} gives it, for example {@code "-Infinity"}
 */
public record PyDecimal(String text) {
    public PyDecimal {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
