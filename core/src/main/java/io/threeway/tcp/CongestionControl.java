package io.threeway.tcp;

/**
 * A congestion control algorithm: how the congestion window grows on ACKs and shrinks on loss
 * (RFC 5681). Loss detection and recovery are the engine's; this interface only owns cwnd and ssthresh.
 * Windows are in bytes.
 *
 * <p>Superseded by {@link io.threeway.tcp.cc.CongestionControl} (cwnd-limited growth, CUBIC, the registry);
 * kept, with the {@link NewReno} bridge, only until TcpConnection is moved over.
 */
interface CongestionControl {

    /** The algorithm's name as Linux's TCP_CONGESTION and ss print it ({@code reno}, {@code cubic}). */
    String name();

    /** Sets the initial window for a sender with this MSS (RFC 6928: 10 segments). */
    void init(int mss, long now);

    int cwnd();

    int ssthresh();

    /** New data was cumulatively acknowledged outside recovery. */
    void onAck(int ackedBytes, int mss, long rtt, long now);

    /** Fast retransmit: entering loss recovery with {@code flightSize} bytes outstanding (RFC 5681 §3.2 step 2). */
    void onFastRetransmit(int flightSize, int mss, long now);

    /** Recovery ended (RFC 6582 §3.2 step 3: full acknowledgment). */
    void onRecoveryExit(int flightSize, int mss);

    /** The retransmission timer expired (RFC 5681 §3.1, equation 4). */
    void onRetransmitTimeout(int flightSize, int mss, long now);

    /** The connection was idle longer than an RTO (RFC 5681 §4.1; Linux tcp_slow_start_after_idle). */
    void onIdleRestart(int mss);

    /** Sets the window during recovery (window inflation and deflation are the engine's). */
    void setCwnd(int cwnd);
}
