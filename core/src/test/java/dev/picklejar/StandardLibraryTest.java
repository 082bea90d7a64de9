package dev.picklejar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The standard library's other data types (array, Fraction, enum members, re, partial, zoneinfo,
 * pathlib, ipaddress...). Their vectors, every protocol, are in {@code vectors/stdlib.tsv}
 * (written by {@code src/test/python/make_stdlib_vectors.py}) and run with the reader's and the
 * writer's vector tests; the tests here name single behaviours.
 */
class StandardLibraryTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void anArrayAtProtocol4KeepsItsThreeDistinctArrayStrings() {
        // pickle.dumps(array.array('i', [1, -2, 3]), 4): 'array' (the module of
        // _array_reconstructor), 'array' (the module of array.array) and 'array' (its name) are three
        // strings, so none is fetched from the memo. 89 bytes; sharing the module name gave 83.
        byte[] cpython = hex("8004954e000000000000008c056172726179948c145f61727261795f7265636f6e7374727563746f7294939428"
                + "8c056172726179948c0561727261799493948c0169944b08430c01000000feffffff0300000094749452942e");
        assertArrayEquals(cpython, Pickler.standard(4).dumps(Pickle.loads(cpython)));
    }
}
