package io.threeway.tcp;

/**
 * When a receiver acknowledges, as Linux decides it (RFC 1122 §4.2.3.2 and RFC 5681 §4.2 leave the
 * details to the implementation):
 * <ul>
 *   <li>at the start of a connection, every segment at once ("quick ACKs", Linux's tcp_incr_quickack, up to
 *       TCP_MAX_QUICKACKS), so the sender's window opens quickly;</li>
 *   <li>otherwise, at once when more than one full-sized segment is unacknowledged ("an ACK SHOULD be generated
 *       for at least every second full-sized segment"), else after the delayed-ACK timeout (the ATO);</li>
 *   <li>in "pingpong" (interactive) mode, entered when we answer data promptly, no quick ACKs: the answer is
 *       expected to carry the ACK. This is what makes Nagle's algorithm stall a write-write-read client.</li>
 * </ul>
 * The ATO starts at 40 ms (TCP_ATO_MIN) and follows the gaps between arriving data (tcp_event_data_recv): a
 * delayed ACK that no data carried doubles it, up to the RTO and 200 ms (TCP_DELACK_MAX); data close together
 * brings it back down. The engine keeps the timer itself; this class only answers its questions.
 */
final class DelayedAck {
    /** Linux's TCP_ATO_MIN: the shortest delayed-ACK timeout, 40 ms. */
    static final long ATO_MIN = 40_000_000L;
    /** Linux's TCP_DELACK_MAX: the longest delayed-ACK timeout, 200 ms. */
    static final long DELACK_MAX = 200_000_000L;
    /** Linux's TCP_MAX_QUICKACKS: ACK at once for this many segments at the start of a connection. */
    static final int MAX_QUICKACKS = 16;

    /** Segments still to be ACKed at once (Linux's icsk_ack.quick). */
    private int quickAcks;
    /** The delayed-ACK timeout now (icsk_ack.ato), ns. */
    private long ato = ATO_MIN;
    /** Interactive mode: no quick ACKs, the answer carries the ACK (icsk_ack.pingpong). */
    private boolean pingpong;
    /** When data last arrived (icsk_ack.lrcvtime), ns; the ATO follows the gaps. */
    private long lastDataArrival;

    /** The connection is established: its first segments are ACKed at once. */
    void start() {
        quickAcks = MAX_QUICKACKS;
    }

    /** Data arrived (Linux's tcp_event_data_recv): the timeout adapts to the gap since the last data. */
    void dataArrived(long now, long rto) {
        if (lastDataArrival != 0) {
            long gap = now - lastDataArrival;
            if (gap <= ATO_MIN / 2) {
                ato = (ato >> 1) + ATO_MIN / 2;
            } else if (gap < ato) {
                ato = Math.min((ato >> 1) + gap, Math.max(ATO_MIN, rto));
            } else if (gap > rto) {
                quickAcks = Math.max(quickAcks, MAX_QUICKACKS); // the sender is restarting: ACK it quickly
            }
        }
        lastDataArrival = now;
    }

    /**
     * Whether in-order data just received must be ACKed at once (Linux's __tcp_ack_snd_check), given the bytes
     * received since our last ACK and the peer's segment size; false means the ACK may wait {@link #timeout()}.
     */
    boolean ackAtOnce(int unackedBytes, int rcvMss, boolean quickAckOption) {
        // tcp_in_quickack_mode; TCP_QUICKACK forces it.
        if (quickAckOption || (quickAcks > 0 && !pingpong)) {
            if (quickAcks > 0) quickAcks--;
            return true;
        }
        return unackedBytes > Math.max(rcvMss, 1);
    }

    /** How long an ACK may wait for data to carry it. */
    long timeout() {
        return ato;
    }

    /**
     * The delayed-ACK timer fired: no data carried the ACK (Linux's tcp_delack_timer_handler). In pingpong mode
     * the connection is not interactive after all: leave the mode, reset the timeout; otherwise the peer is
     * slower than the ATO assumed: double it.
     */
    void timerFired(long rto) {
        if (pingpong) {
            pingpong = false;
            ato = ATO_MIN;
        } else {
            ato = Math.min(ato << 1, Math.max(ATO_MIN, Math.min(rto, DELACK_MAX)));
        }
    }

    /**
     * We sent data (Linux's tcp_event_data_sent): an answer soon after data arrived makes the connection
     * interactive (TCP_PINGPONG_THRESH = 1).
     */
    void dataSent(long now) {
        if (lastDataArrival != 0 && now - lastDataArrival < ato) pingpong = true;
    }
}
