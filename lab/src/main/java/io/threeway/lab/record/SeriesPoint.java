package io.threeway.lab.record;

import io.threeway.tcp.TcpState;

/**
 * One endpoint's figures at one moment, recorded whenever one of them changes (the series the web lab plots
 * and {@code --series} writes). Windows, queues and flight in bytes; times in nanoseconds.
 *
 * @param time      virtual ns
 * @param endpoint  the endpoint's id ({@link Recording#endpoints()})
 * @param state     its state
 * @param cwnd      congestion window, bytes
 * @param ssthresh  slow-start threshold, bytes, or -1 while it is infinite (Linux's TCP_INFINITE_SSTHRESH)
 * @param inFlight  bytes sent and not yet acknowledged (SND.MAX - SND.UNA, SYN and FIN counted as one each)
 * @param srtt      smoothed RTT, negative before the first sample
 * @param rto       the retransmission timeout, backoff included
 * @param advertised the receive window this end advertises (RCV.WND), bytes
 * @param peerWindow the peer's advertised window as this end applies it (SND.WND), bytes
 * @param recvQ     bytes received and not yet read (ss's Recv-Q)
 * @param sendQ     bytes written and not yet acknowledged (ss's Send-Q)
 */
public record SeriesPoint(long time, int endpoint, TcpState state, long cwnd, long ssthresh, long inFlight,
                          long srtt, long rto, long advertised, long peerWindow, long recvQ, long sendQ) {

    /** Whether every figure but the time equals {@code o}'s. */
    public boolean sameFigures(SeriesPoint o) {
        return o != null && endpoint == o.endpoint && state == o.state && cwnd == o.cwnd && ssthresh == o.ssthresh
                && inFlight == o.inFlight && srtt == o.srtt && rto == o.rto && advertised == o.advertised
                && peerWindow == o.peerWindow && recvQ == o.recvQ && sendQ == o.sendQ;
    }
}
