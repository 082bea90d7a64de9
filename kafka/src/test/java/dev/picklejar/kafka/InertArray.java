package dev.picklejar.kafka;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.picklejar.numpy.NdArray;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a numpy array's pickle holds, as numpy prints it: its dtype string ({@code '<f8'}), its shape
 * ({@code "2,3"}) and its raw C-order bytes, read from the {@link NdArray} picklejar loads it as.
 */
record InertArray(String dtype, String shape, byte[] data) {
    static InertArray of(Object value) {
        NdArray array = assertInstanceOf(NdArray.class, value);
        ByteBuffer buffer = array.buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new InertArray(array.dtype().str(),
                Arrays.stream(array.shape()).mapToObj(String::valueOf).collect(Collectors.joining(",")), bytes);
    }
}
