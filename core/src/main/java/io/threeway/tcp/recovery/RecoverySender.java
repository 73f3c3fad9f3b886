package io.threeway.tcp.recovery;

import io.threeway.stats.Counters;
import io.threeway.tcp.cc.CongestionControl;
import io.threeway.tcp.cc.Prr;

/**
 * What loss recovery may ask of the connection's sender: the send sequence variables, the segment size, the
 * congestion control, and the two ways to put data on the wire. The engine's sender implements it.
 */
public interface RecoverySender {

    /** SND.UNA. */
    int sndUna();

    /** The highest sequence number sent plus one (BSD's snd_max). */
    int sndMax();

    /** SND.WND, in bytes. */
    int sndWnd();

    /** The sender's MSS (SMSS). */
    int mss();

    /** The payload that fits in a segment now (the MSS less the room the SACK blocks we send take). */
    int currentMss();

    /** Bytes queued and never sent. */
    int notSent();

    /** DupThresh: duplicate ACKs that start fast retransmit (net.ipv4.tcp_reordering). */
    int reorderingThreshold();

    /** The congestion control, which owns cwnd and ssthresh. */
    CongestionControl congestionControl();

    /** The host's counters (TCPRenoRecovery, TCPSackRecovery, TCPFastRetrans...). */
    Counters counters();

    /** Retransmits up to {@code maxLen} bytes from {@code seq} (never past SND.MAX); returns the bytes sent. */
    int retransmit(int seq, int maxLen, long now);

    /** Sends one new segment at SND.MAX if the peer's window allows; returns whether one went out. */
    boolean sendNewData(long now);

    /**
     * The connection's Proportional Rate Reduction (made at the first reduction): fast recovery starts, paces and
     * ends its window reduction through it (tcp_enter_recovery, tcp_cwnd_reduction, tcp_end_cwnd_reduction).
     */
    Prr prr();

    /** Restarts the retransmission timer from now. */
    void restartRetransmitTimer(long now);
}
