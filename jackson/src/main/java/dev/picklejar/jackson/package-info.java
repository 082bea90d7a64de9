/**
 * A Jackson 3 data format for Python pickles: {@link dev.picklejar.jackson.PickleMapper} binds what
 * CPython pickles to records, POJOs, enums, collections and arrays, and writes what CPython's
 * {@code pickle.dumps} writes for the equivalent Python value; {@link dev.picklejar.jackson.PickleFactory},
 * {@link dev.picklejar.jackson.PickleParser} and {@link dev.picklejar.jackson.PickleGenerator} are its
 * streaming layer, and {@link dev.picklejar.jackson.PythonClass} names the Python class a Java type is
 * written as.
 */
package dev.picklejar.jackson;
