package io.threeway.sim;

/**
 * Observes packets on a link direction without affecting them, e.g. to write a capture file or a
 * delivery log. Called on the simulator thread; the bytes must not be modified or kept (copy them).
 */
@FunctionalInterface
public interface Tap {
    void packet(byte[] packet, int length, long now);
}
