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

    /** ACKs still to send at once (icsk_ack.quick). */
    private int quickAcks;
    /** The delayed-ACK timeout (icsk_ack.ato): 0 until the first data or quick-ACK mode sets it. */
    private long ato;
    /** Interactive mode: no quick ACKs (inet_csk_in_pingpong_mode). */
    private boolean pingpong;
    /** When data last arrived, or the connection was established (icsk_ack.lrcvtime). */
    private long lastDataArrival;
    /** The largest segment payload the peer has sent us (Linux keeps it here too: icsk_ack.rcv_mss). */
    int rcvMss;
    /** {@link #start} was called. */
    private boolean started;
    /** Data has arrived since the connection was established (Linux: icsk_ack.ato is no longer 0). */
    private boolean dataSeen;

    /**
     * The connection is established at {@code since} (tcp_finish_connect, tcp_create_openreq_child set lrcvtime):
     * its first segments are ACKed at once.
     */
    void start(long since) {
        quickAcks = MAX_QUICKACKS;
        lastDataArrival = since;
        started = true;
    }

    /**
     * Data arrived (Linux's tcp_event_data_recv): the first initializes the delayed-ACK engine, later ones adapt
     * the timeout to the gap since the last data.
     */
    void dataArrived(long now, long rto) {
        boolean first = !dataSeen;
        dataSeen = true;
        if (ato == 0) ato = ATO_MIN; // "The _first_ data packet received, initialize delayed ACK engine"
        if (!first) {
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
        return Math.max(ato, ATO_MIN);
    }

    /** Linux's tcp_enter_quickack_mode: quick ACKs again, out of pingpong mode, the timeout back to its floor. */
    void enterQuickAckMode() {
        enterQuickAckMode(MAX_QUICKACKS);
    }

    /** tcp_enter_quickack_mode(sk, max): at least {@code max} quick ACKs (tcp_incr_quickack), as on CE (ECN). */
    void enterQuickAckMode(int max) {
        quickAcks = Math.max(quickAcks, max);
        pingpong = false;
        ato = ATO_MIN;
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
            ato = Math.min(Math.max(ato, ATO_MIN) << 1, Math.max(ATO_MIN, Math.min(rto, DELACK_MAX)));
        }
    }

    /**
     * We sent data (Linux's tcp_event_data_sent): an answer within the ATO of the last data received (or of the
     * handshake) makes the connection interactive (TCP_PINGPONG_THRESH = 1). Before any data arrived the ATO is 0,
     * so nothing counts as an answer yet.
     */
    void dataSent(long now) {
        if ((started || dataSeen) && now - lastDataArrival < ato) pingpong = true;
    }
}
