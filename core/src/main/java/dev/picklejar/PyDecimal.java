package dev.picklejar;

import java.util.Objects;

/**
 * A Python {@code decimal.Decimal} that {@link java.math.BigDecimal} cannot hold: NaN, sNaN (with
 * their payloads), the infinities and negative zero. Finite decimals load as {@code BigDecimal}.
 *
 * @param text the value's string form as Python's {@code str()} gives it, for example {@code "-Infinity"}
 */
public record PyDecimal(String text) {
    /**
     * A decimal of the given string form.
     * @param text the value as {@code str()} gives it; not null
     * @throws NullPointerException if {@code text} is null
     */
    public PyDecimal {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
