package io.threeway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    @Test
    void rfc1071Example() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(~0xddf2 & 0xFFFF, InternetChecksum.finish(InternetChecksum.add(0, b, 0, b.length)));
    }

    @Test
    void oddLengthPadsWithZero() {
        byte[] b = {0x12, 0x34, 0x56};
        assertEquals(~(0x1234 + 0x5600) & 0xFFFF, InternetChecksum.finish(InternetChecksum.add(0, b, 0, 3)));
    }
}
