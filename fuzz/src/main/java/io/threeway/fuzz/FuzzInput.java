package io.threeway.fuzz;

import java.util.Arrays;

/**
 * Structured values drawn from a fuzz input, front to back: the small reader a target uses to decode choices
 * (a mode, an offset, a count, a state to start from, a sequence of segments) from the fuzzer's bytes. When the
 * bytes run out every value is its smallest, so any input decodes. Like Jazzer's {@code FuzzedDataProvider}, but
 * over a plain {@code byte[]}, so the same input replays from a corpus file, a JUnit test or a regression test.
 */
public final class FuzzInput {
    private final byte[] data;
    private int position;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    /** Bytes not consumed yet. */
    public int remaining() { return data.length - position; }

    /** The next byte, 0 to 255 (0 once the input is used up). */
    public int nextByte() {
        return position < data.length ? data[position++] & 0xFF : 0;
    }

    public boolean nextBoolean() {
        return (nextByte() & 1) != 0;
    }

    /** A value from {@code min} to {@code max} inclusive, from the next one to four bytes. */
    public int nextInt(int min, int max) {
        if (max < min) throw new IllegalArgumentException(min + " > " + max);
        long range = (long) max - min + 1;
        long v = 0;
        for (long r = range - 1; r > 0; r >>>= 8) v = (v << 8) | nextByte();
        return (int) (min + Math.floorMod(v, range));
    }

    /** A 32-bit value from the next four bytes, big-endian. */
    public int nextInt32() {
        return (nextByte() << 24) | (nextByte() << 16) | (nextByte() << 8) | nextByte();
    }

    /** The next {@code n} bytes (fewer if the input ends first). */
    public byte[] nextBytes(int n) {
        int take = Math.min(n, remaining());
        byte[] b = Arrays.copyOfRange(data, position, position + take);
        position += take;
        return b;
    }

    /** Everything not consumed yet. */
    public byte[] rest() {
        return nextBytes(remaining());
    }
}
