package dev.picklejar.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets (Jazzer). In the normal test run each target replays the committed
 * inputs under {@code src/test/resources/dev/picklejar/fuzz/PickleFuzzTestInputs/<target>/}: a seed
 * corpus of real CPython pickles and every crash ever found. {@code tools/fuzz.sh TARGET MINUTES}
 * fuzzes one target; see {@link FuzzTargets} for what each target promises.
 */
class PickleFuzzTest {
    @FuzzTest
    void loads(byte[] data) {
        FuzzTargets.loads(data);
    }

    @FuzzTest
    void strictLoads(byte[] data) {
        FuzzTargets.strictLoads(data);
    }

    @FuzzTest
    void dis(byte[] data) {
        FuzzTargets.dis(data);
    }

    @FuzzTest
    void scan(byte[] data) {
        FuzzTargets.scan(data);
    }

    @FuzzTest
    void roundTrip(byte[] data) {
        FuzzTargets.roundTrip(data);
    }
}
