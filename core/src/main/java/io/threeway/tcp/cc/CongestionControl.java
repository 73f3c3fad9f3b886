package io.threeway.tcp.cc;

/**
 * A congestion control algorithm: how the congestion window grows on ACKs and shrinks on congestion
 * (RFC 5681). Loss detection and recovery (duplicate ACKs, the SACK scoreboard, window inflation during
 * Reno-style fast recovery) are the engine's; an algorithm owns only cwnd and ssthresh and its own state.
 *
 * <p>Windows are in bytes. Times are nanoseconds on the engine's clock, passed in; no algorithm reads a clock.
 * Implementations are deterministic and allocate nothing after construction. The shape follows Linux's
 * {@code tcp_congestion_ops} and gVisor's {@code congestionControl}: a few events, no policy about
 * retransmission.
 */
public interface CongestionControl {

    /** RFC 6928's initial window, Linux's TCP_INIT_CWND: ten segments. */
    int INITIAL_WINDOW_SEGMENTS = 10;

    /**
     * The largest congestion window kept: the largest window a peer can offer (RFC 7323 §2.3: 65535 shifted
     * by 14, just under 2^30 bytes). A larger cwnd could never be used, and capping here keeps every
     * {@code cwnd + growth} far from int overflow.
     */
    int MAX_CWND = 65535 << 14;

    /** The algorithm's name as Linux's TCP_CONGESTION and ss print it ({@code reno}, {@code cubic}). */
    String name();

    /** Sets the initial window for a sender with this MSS (RFC 6928: 10 segments). */
    void init(int mss, long now);

    int cwnd();

    int ssthresh();

    /**
     * New data was cumulatively acknowledged outside loss recovery.
     *
     * @param ackedBytes  bytes newly acknowledged by this ACK
     * @param mss         the sender's maximum segment size (SMSS)
     * @param cwndLimited whether the window, not the application or the peer's window, limited sending
     *                    (Linux's tcp_is_cwnd_limited; see {@link CwndValidation}); the window grows only then
     * @param rttSample   the RTT this ACK measured, or a negative value when it measured none
     * @param now         the engine's time
     */
    void onAck(int ackedBytes, int mss, boolean cwndLimited, long rttSample, long now);

    /**
     * A congestion event: loss detected by duplicate ACKs or the SACK scoreboard, on entering loss recovery.
     * Sets ssthresh by the algorithm's multiplicative decrease and cwnd = ssthresh. The engine then applies its
     * recovery's own window: RFC 5681 §3.2 step 2 (cwnd = ssthresh + 3*SMSS, then inflation) for Reno-style
     * recovery, or RFC 6675 §5 step (4.2) (cwnd = ssthresh, sending by pipe) for SACK recovery.
     *
     * @param flightSize bytes outstanding (SND.MAX - SND.UNA) when the loss was detected
     */
    void onLossDetected(int flightSize, int mss, long now);

    /**
     * A congestion event whose window reduction {@link Prr} paces (Linux's tcp_init_cwnd_reduction, which sets
     * {@code snd_ssthresh = icsk_ca_ops->ssthresh(sk)} and leaves cwnd where it is): ssthresh by the algorithm's
     * multiplicative decrease of the current cwnd, as Linux computes it (tcp_reno_ssthresh, bictcp_recalc_ssthresh),
     * and the algorithm's own state (CUBIC's W_max) as on a loss; cwnd is not touched.
     */
    void onCongestion(int mss, long now);

    /** Loss recovery ended with a full acknowledgment (RFC 6582 §3.2 step 3; RFC 6675 §5 (A)). */
    void onRecoveryExit(int flightSize, int mss);

    /** The retransmission timer expired (RFC 5681 §3.1, equation 4; cwnd becomes the loss window). */
    void onRetransmitTimeout(int flightSize, int mss, long now);

    /**
     * The connection sends again after an idle period longer than an RTO, with tcp_slow_start_after_idle set
     * (RFC 5681 §4.1: "cwnd to no more than RW before beginning transmission").
     */
    void onIdleRestart(int mss, long now);

    /**
     * Data is sent with nothing in flight (Linux's CA_EVENT_TX_START). Time-based algorithms exclude the
     * application-limited gap since {@code lastSendTime} from their clock, as Linux's CUBIC does.
     */
    void onTransmitStart(long lastSendTime, long now);

    /**
     * A reduction found spurious is taken back (Linux's tcp_undo_cwnd_reduction with the algorithm's undo_cwnd):
     * "tcp_snd_cwnd_set(tp, icsk->icsk_ca_ops->undo_cwnd(sk)); if (tp->prior_ssthresh > tp->snd_ssthresh)
     * tp->snd_ssthresh = tp->prior_ssthresh". Reno's and CUBIC's undo_cwnd are both tcp_reno_undo_cwnd,
     * max(cwnd, prior_cwnd); this default applies it through {@link #setCwnd} and {@link #raiseSsthresh}.
     *
     * @param priorCwnd     cwnd when the reduction began (tp->prior_cwnd)
     * @param priorSsthresh ssthresh then, as tcp_current_ssthresh gave it (tp->prior_ssthresh)
     */
    default void undoCwndReduction(int priorCwnd, int priorSsthresh) {
        setCwnd(Math.max(cwnd(), priorCwnd));
        raiseSsthresh(priorSsthresh);
    }

    /** Sets ssthresh to {@code ssthresh} if that is larger (an undo's prior_ssthresh). */
    void raiseSsthresh(int ssthresh);

    /** Sets the window during recovery (window inflation and deflation are the engine's). */
    void setCwnd(int cwnd);
}
