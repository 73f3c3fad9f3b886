package io.threeway.tcp;

/**
 * One connection's figures, copied at one moment: what Linux's {@code TCP_INFO} ({@code struct tcp_info}) and
 * {@code ss -tio} report, plus the sequence variables tests and experiments read. {@link TcpConnection#info}
 * makes one; nothing in it changes afterwards.
 *
 * <p>Units as {@code struct tcp_info}: {@code cwnd} and {@code ssthresh} in segments (the engine keeps bytes:
 * {@code cwndBytes}, {@code ssthreshBytes}), times in nanoseconds, and the {@code last*} fields how long ago the
 * event happened, or -1 if it never did. {@code srtt} is -1 before the first measurement, {@code minRtt}
 * {@code Long.MAX_VALUE}.
 *
 * @param state             RFC 9293's state (tcpi_state)
 * @param timestamps        timestamps agreed (TCPI_OPT_TIMESTAMPS)
 * @param sack              SACK agreed (TCPI_OPT_SACK)
 * @param ecn               ECN agreed in the handshake (TCPI_OPT_ECN)
 * @param congestionControl the algorithm (TCP_CONGESTION), e.g. {@code cubic}
 * @param windowScaling     window scaling agreed (TCPI_OPT_WSCALE)
 * @param sndWscale         the peer's shift (tcpi_snd_wscale)
 * @param rcvWscale         our shift (tcpi_rcv_wscale)
 * @param rto               the retransmission timeout with backoff (tcpi_rto)
 * @param backoff           doublings of the RTO (tcpi_backoff)
 * @param srtt              smoothed RTT (tcpi_rtt)
 * @param rttvar            RTT variation (tcpi_rttvar)
 * @param mss               payload per full-sized segment we send (tcpi_snd_mss)
 * @param rcvMss            the largest segment the peer sent (tcpi_rcv_mss)
 * @param advMss            the MSS we advertised (tcpi_advmss)
 * @param cwnd              congestion window in segments (tcpi_snd_cwnd)
 * @param ssthresh          slow-start threshold in segments (tcpi_snd_ssthresh)
 * @param bytesSent         payload bytes sent, retransmissions included (tcpi_bytes_sent)
 * @param bytesRetrans      payload bytes retransmitted (tcpi_bytes_retrans)
 * @param bytesAcked        bytes acknowledged (tcpi_bytes_acked)
 * @param bytesReceived     bytes received in order (tcpi_bytes_received)
 * @param segsOut           segments sent (tcpi_segs_out)
 * @param segsIn            segments received (tcpi_segs_in)
 * @param dataSegsOut       segments sent with data (tcpi_data_segs_out)
 * @param dataSegsIn        segments received with data (tcpi_data_segs_in)
 * @param lastSend          since data was last sent (tcpi_last_data_sent), or -1
 * @param lastReceive       since data last arrived (tcpi_last_data_recv), or -1
 * @param lastAck           since an ACK last arrived (tcpi_last_ack_recv), or -1
 * @param unacked           sequence space sent and not acknowledged (tcpi_unacked, in bytes here)
 * @param retransmits       consecutive retransmission timeouts (tcpi_retransmits)
 * @param totalRetrans      segments retransmitted in all (tcpi_total_retrans)
 * @param rcvSpace          the receive buffer's window space (tcpi_rcv_space)
 * @param notSent           bytes queued and never sent (tcpi_notsent_bytes)
 * @param minRtt            the smallest RTT measured (tcpi_min_rtt)
 * @param probes            unanswered zero-window or keepalive probes (tcpi_probes)
 * @param timer             the timer ss -o shows ({@code on}, {@code persist}, {@code keepalive},
 *                          {@code timewait}) or null
 * @param timerDeadline     when that timer fires (engine time, ns)
 * @param orphaned          the application has closed the socket
 * @param sendQueue         bytes written and not yet acknowledged (ss's Send-Q, SIOCOUTQ)
 * @param readable          bytes received and not yet read (ss's Recv-Q, SIOCINQ)
 * @param bufferBytes       bytes of ring memory held (both rings' arrays)
 * @param cwndBytes         congestion window in bytes
 * @param ssthreshBytes     slow-start threshold in bytes
 * @param sndWnd            SND.WND in bytes
 * @param rcvWnd            RCV.WND as last advertised, in bytes
 * @param iss               ISS
 * @param irs               IRS
 * @param sndUna            SND.UNA
 * @param sndNxt            SND.NXT
 * @param sndMax            the highest sequence number sent plus one
 * @param rcvNxt            RCV.NXT
 * @param tsRecent          TS.Recent
 * @param inRecovery        a loss recovery episode is under way (fast recovery or RFC 6675)
 * @param synDataAcked      data in a SYN was acknowledged (TCPI_OPT_SYN_DATA)
 * @param lastDataSendTime  when data was last sent (engine time, ns; 0 never): what {@code lastSend} counts from
 * @param lastDataRecvTime  when data last arrived (ns; 0 never)
 * @param lastAckRecvTime   when an ACK last arrived (ns; 0 never)
 * @param delivered         segments the peer acknowledged, the SYN or SYN-ACK included (tcpi_delivered)
 * @param retransOut        retransmitted segments not yet acknowledged or SACKed (tcpi_retrans)
 * @param busyTime          time with data queued or in flight (tcpi_busy_time)
 * @param rwndLimited       the part of it the peer's receive window held data back (tcpi_rwnd_limited)
 * @param caState           Linux's congestion-avoidance state (tcpi_ca_state: 0 Open, 1 Disorder, 2 CWR, 3 Recovery,
 *                          4 Loss; {@code io.threeway.tcp.recovery.CaState})
 * @param ecnSeen           an ECT or CE data segment arrived (TCPI_OPT_ECN_SEEN, ss's {@code ecnseen})
 */
public record TcpInfo(TcpState state, boolean timestamps, boolean sack, boolean ecn, String congestionControl,
                      boolean windowScaling, int sndWscale, int rcvWscale, long rto, int backoff, long srtt,
                      long rttvar, int mss, int rcvMss, int advMss, int cwnd, int ssthresh, long bytesSent,
                      long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
                      long dataSegsOut, long dataSegsIn, long lastSend, long lastReceive, long lastAck, int unacked,
                      int retransmits, int totalRetrans, int rcvSpace, int notSent, long minRtt, int probes,
                      String timer, long timerDeadline, boolean orphaned, int sendQueue, int readable,
                      int bufferBytes, int cwndBytes, int ssthreshBytes, int sndWnd, int rcvWnd, int iss, int irs,
                      int sndUna, int sndNxt, int sndMax, int rcvNxt, int tsRecent, boolean inRecovery,
                      boolean synDataAcked, long lastDataSendTime, long lastDataRecvTime, long lastAckRecvTime,
                      long delivered, int retransOut, long busyTime, long rwndLimited,
                      int caState, boolean ecnSeen) {

    /** How long before {@code now} something at {@code at} happened, or -1 if it never did ({@code happened} is 0). */
    static long ago(long at, long happened, long now) {
        return happened > 0 && at > 0 && at <= now ? now - at : -1;
    }
}
