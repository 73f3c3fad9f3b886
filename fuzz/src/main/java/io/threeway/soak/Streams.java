package io.threeway.soak;

/**
 * The bytes each stream carries: byte {@code i} of stream {@code id} is a hash of both, so a reader can check every
 * byte it gets against the offset it expects, with nothing stored. A byte out of place, lost, repeated or
 * corrupted shows as a mismatch at the first offset where it happens.
 */
final class Streams {
    private Streams() {}

    /** Byte {@code offset} of stream {@code id}. */
    static byte at(long id, long offset) {
        long x = id * 0x9E3779B97F4A7C15L + offset * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        x *= 0x94D049BB133111EBL;
        return (byte) (x ^ (x >>> 32));
    }

    /** Fills {@code b[0..len)} with bytes {@code offset..offset+len) of stream {@code id}. */
    static void fill(long id, long offset, byte[] b, int len) {
        for (int i = 0; i < len; i++) b[i] = at(id, offset + i);
    }

    /** The first index in {@code b[0..len)} that is not stream {@code id} from {@code offset}, or -1. */
    static int mismatch(long id, long offset, byte[] b, int len) {
        for (int i = 0; i < len; i++) if (b[i] != at(id, offset + i)) return i;
        return -1;
    }
}
