package io.threeway.tcp.recovery;

/**
 * F-RTO (RFC 5682, the SACK-enhanced algorithm of §3 that Linux applies to every connection; net.ipv4.tcp_frto,
 * tp->frto and the F-RTO half of tcp_process_loss): after a retransmission timeout the sender resends only the
 * first segment; when the first ACK after it advances SND.UNA without completing the recovery, it sends new
 * data instead of more retransmissions (step 2b); when the next ACKs then acknowledge data that was never
 * retransmitted, the original segments were not lost and the timeout was spurious (step 3b); a duplicate ACK or
 * new SACK information instead shows the loss was real (step 3a), and the conventional recovery goes on.
 *
 * <p>One per {@link Undo}, made with it at a connection's first loss episode.
 */
final class Frto {
    /** {@link #onAck}: nothing for F-RTO to decide on this ACK. */
    static final int CONTINUE = 0;
    /** Step 3b: "declare the timeout spurious" (Linux's tcp_try_undo_loss(sk, true)). */
    static final int SPURIOUS = 1;
    /** Step 2b: "transmit up to two new (previously unsent) segments" (Linux's REXMIT_NEW). */
    static final int SEND_NEW = 2;
    /** Step 3a: the loss was real; go on with the conventional recovery (Linux's REXMIT_LOST). */
    static final int REAL_LOSS = 3;

    /** Whether F-RTO runs for the current timeout (Linux's tp->frto). */
    private boolean active;

    /**
     * A timeout began a loss episode (tcp_enter_loss): "retransmit SND.UNA if no previous loss recovery is
     * underway except recurring timeout(s) on the same SND.UNA (sec 3.2)", when tcp_frto is set.
     */
    void start(boolean enabled) {
        active = enabled;
    }

    /** Whether F-RTO is deciding the current loss episode. */
    boolean active() {
        return active;
    }

    /** F-RTO ends (the timeout was undone, or new data could not be sent: Linux's tp->frto = 0). */
    void stop() {
        active = false;
    }

    /**
     * One ACK in the loss state, as tcp_process_loss reads it.
     *
     * @param origAcked     never-retransmitted data at or below high_seq was acknowledged or SACKed
     *                      (FLAG_ORIG_SACK_ACKED)
     * @param sackedOrDup   the ACK SACKed new data or was a duplicate (FLAG_DATA_SACKED || num_dupack)
     * @param newDataSent   data beyond high_seq has been sent (step 2b happened: after(snd_nxt, high_seq))
     * @param partial       SND.UNA advanced but not to high_seq
     * @param canSendNew    data waits unsent and the peer's window has room for it
     * @return {@link #CONTINUE}, {@link #SPURIOUS}, {@link #SEND_NEW} or {@link #REAL_LOSS}
     */
    int onAck(boolean origAcked, boolean sackedOrDup, boolean newDataSent, boolean partial, boolean canSendNew) {
        if (!active) return CONTINUE;
        // "Step 3.b. A timeout is spurious if not all data are lost, i.e., never-retransmitted data are (s)acked."
        if (origAcked) return SPURIOUS;
        if (newDataSent) {
            if (!sackedOrDup) return CONTINUE;
            active = false; // "Step 3.a. loss was real"
            return REAL_LOSS;
        }
        if (!partial) return CONTINUE;
        // "Step 2.b. Try send new data ... Otherwise fall back to the conventional recovery."
        if (canSendNew) return SEND_NEW;
        active = false;
        return CONTINUE;
    }
}
