package io.threeway.sim;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
 * A minimal private copy for rules that rewrite packets; the stack has its own in {@code wire}.
 */
final class InternetChecksum {
    private InternetChecksum() {}

    /** Adds {@code length} bytes at {@code offset} to the running 32-bit sum {@code sum} (odd tail padded with 0). */
    static long add(long sum, byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < end) sum += (b[i] & 0xFF) << 8;
        return sum;
    }

    /** Folds the carries of a running sum into 16 bits and complements it. */
    static int finish(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }
}
