package io.threeway.tcp.sack;

/**
 * Limited Transmit (RFC 3042, folded into RFC 5681 §3.2 step 1) for a sender without SACK: on the first two
 * duplicate ACKs, send previously unsent data so the receiver can keep producing duplicate ACKs and fast
 * retransmit can trigger even with a small window. (A SACK sender does the same through pipe: RFC 6675 §5
 * step (3), {@link SackRecovery#LIMITED_TRANSMIT}.)
 *
 * <p>RFC 3042 §2: "a TCP sender SHOULD send a segment of previously unsent data in response to each of the
 * first two duplicate acknowledgments that arrive at the sender, if the receiver's advertised window allows,
 * the total FlightSize would remain less than or equal to cwnd plus 2*SMSS, and there is new data available
 * for transmission." And: "the sender MUST NOT change cwnd to reflect these two segments".
 */
public final class LimitedTransmit {
    private LimitedTransmit() {}

    /** At most this many segments beyond cwnd: one per each of the first two duplicate ACKs. */
    public static final int MAX_EXTRA_SEGMENTS = 2;

    /**
     * The window the sender may fill with new data now: cwnd, plus one SMSS for each of the first two
     * duplicate ACKs while fewer than DupThresh have arrived. The engine still applies the receiver's window
     * and sends only previously unsent data against the extra room.
     */
    public static int window(int cwnd, int dupAcks, int dupThresh, int mss) {
        if (dupAcks <= 0 || dupAcks >= dupThresh) return cwnd;
        long w = cwnd + (long) Math.min(dupAcks, MAX_EXTRA_SEGMENTS) * mss;
        return (int) Math.min(w, Integer.MAX_VALUE);
    }

    /** Whether one more segment of {@code len} new bytes may go out on this duplicate ACK. */
    public static boolean allows(int flightSize, int len, int cwnd, int dupAcks, int dupThresh, int mss) {
        return dupAcks > 0 && dupAcks < dupThresh && (long) flightSize + len <= window(cwnd, dupAcks, dupThresh, mss);
    }
}
