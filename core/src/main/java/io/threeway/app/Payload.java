package io.threeway.app;

/**
 * The bytes {@code /bytes/N} serves: byte {@code i} is {@code i mod 251}. A prime period never lines up
 * with segment or buffer sizes, so a byte dropped, repeated or moved shows in a checksum, and a test can
 * compute the expected SHA-256 without keeping the data.
 */
public final class Payload {
    private Payload() {}

    public static final int PERIOD = 251;

    /** Fills {@code b[0, len)} with the payload's bytes from position {@code position}. */
    public static void fill(long position, byte[] b, int len) {
        int v = (int) (position % PERIOD);
        for (int i = 0; i < len; i++) {
            b[i] = (byte) v;
            if (++v == PERIOD) v = 0;
        }
    }
}
