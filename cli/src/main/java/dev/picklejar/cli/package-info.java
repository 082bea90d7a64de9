/**
 * The {@code picklejar} command line ({@link dev.picklejar.cli.Main}): one picocli subcommand per
 * job ({@code show}, {@code dis}, {@code convert}, {@code scan}, {@code serve}, {@code send},
 * {@code fetch}, {@code demo}), built on the library modules; packaged as one runnable jar.
 */
package dev.picklejar.cli;
