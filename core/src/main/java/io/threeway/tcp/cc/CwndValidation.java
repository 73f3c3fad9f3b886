package io.threeway.tcp.cc;

import io.threeway.wire.Seq;

/**
 * Whether the congestion window is what limits the sender, as Linux decides it for tcp_is_cwnd_limited
 * (tcp_cwnd_validate, after RFC 7661's idea): an algorithm grows cwnd only on ACKs for data the window held
 * back, never while the application or the peer's window is the bottleneck.
 *
 * <p>The engine reports each transmission round (the end of its output loop); the verdict holds for one
 * window of data: it is re-decided once SND.UNA passes the SND.NXT of the round that set it, or at once when
 * the window becomes the limit, or when more is in flight than ever in this period.
 *
 * <p>In slow start the window is also "limited" while it is below twice the most that was in flight, so it
 * can double each round trip as slow start intends even when a round ended with a little room to spare.
 */
public final class CwndValidation {
    /** Whether the window limited sending in the current period (Linux's is_cwnd_limited). */
    private boolean limited;
    /** The most bytes in flight seen in the current period (Linux's max_packets_out, in bytes). */
    private int maxInFlight;
    /** The period ends when SND.UNA reaches this (Linux's cwnd_usage_seq). */
    private int usageSeq;

    /** Starts afresh at the connection's first sequence number. */
    public void reset(int sndUna) {
        limited = false;
        maxInFlight = 0;
        usageSeq = sndUna;
    }

    /**
     * Records one transmission round: call when the output loop stops, if it sent something or was stopped by
     * the congestion window.
     *
     * @param inFlight  bytes in flight after the round (SND.NXT - SND.UNA, or the SACK pipe)
     * @param cwndFull  whether the congestion window stopped the round: {@code cwnd - inFlight < SMSS} with
     *                  data waiting (Linux: {@code tcp_packets_in_flight(tp) >= tcp_snd_cwnd(tp)})
     */
    public void onTransmitRound(int inFlight, boolean cwndFull, int sndUna, int sndNxt) {
        if (!Seq.lt(sndUna, usageSeq) || cwndFull || (!limited && inFlight > maxInFlight)) {
            limited = cwndFull;
            maxInFlight = inFlight;
            usageSeq = sndNxt;
        }
    }

    /** Linux's tcp_is_cwnd_limited: whether an ACK now may grow a window of {@code cwnd}. */
    public boolean isCwndLimited(int cwnd, int ssthresh) {
        if (limited) return true;
        // "If in slow start, ensure cwnd grows to twice what was ACKed."
        return cwnd < ssthresh && cwnd < 2L * maxInFlight;
    }
}
