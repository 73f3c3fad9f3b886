package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counters;
import io.threeway.wire.FourTuple;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * The transmission control block of one connection (RFC 9293 §3.3.1): the variables every part of the engine
 * shares, with the RFC's names ({@code SND.UNA} is {@link #sndUna}, {@code RCV.NXT} is {@link #rcvNxt}) and, where
 * the RFC has none, Linux's ({@code rcv_wup}, {@code rcv_ssthresh}, {@code mss_cache}). The parts that act on it
 * ({@link Handshake}, {@link Sender}, {@link Receiver}, {@link Timers}, {@link TimeWait}...) keep their own private
 * state; what more than one of them reads lives here. Package-private: users see {@link TcpConnection} and
 * {@link TcpInfo}.
 */
final class Tcb {
    /** The host, as the engine sees it: transmission, timers, wakeups, ISNs. */
    final Environment env;
    /** Local and remote address and port. */
    final FourTuple tuple;
    /**
     * The socket's options (setsockopt), shared with the socket layer; a listener's child starts with the copy all
     * its siblings share and gets its own at the first {@link TcpConnection#options()} (copy on write).
     */
    ConnectionOptions options;
    /** {@link #options} is shared with other connections (a listener's children): copy it before a change. */
    boolean optionsShared;
    /** The round-trip time and retransmission timeout (RFC 6298). */
    final RttEstimator rtt;

    /** RFC 9293 §3.3.2's state. */
    TcpState state = TcpState.CLOSED;
    /** Came from LISTEN (a passive open): an RST in SYN-RECEIVED returns it to LISTEN (RFC 9293 §3.10.7.4). */
    boolean passive;
    /** The application has closed its socket: nobody will read or write again (Linux's SOCK_DEAD). */
    boolean orphaned;
    /** Created by a Fast Open SYN whose data is readable before the handshake completes (RFC 7413 §4.3). */
    boolean fastOpenPassive;
    /** The SYN-ACK acknowledged data our SYN carried (Linux's tp->syn_data_acked, TCPI_OPT_SYN_DATA). */
    boolean synDataAcked;
    /** The error the connection ended with, reported once to the application (SO_ERROR). */
    Errno error;
    /**
     * The last soft error (Linux's sk_err_soft): an ICMP error on a synchronized connection, which does not
     * end it (RFC 1122 §4.2.3.9) but is what a later timeout reports instead of ETIMEDOUT.
     */
    Errno softError;

    /** ISS: our initial send sequence number. */
    int iss;
    /** SND.UNA: the oldest unacknowledged sequence number. */
    int sndUna;
    /** SND.NXT: the next sequence number to send (goes back to SND.UNA after a timeout: go-back-N). */
    int sndNxt;
    /** SND.WND in bytes (already scaled). */
    int sndWnd;
    /** SND.WL1: the segment sequence number of the last window update. */
    int sndWl1;
    /** SND.WL2: the segment acknowledgment number of the last window update. */
    int sndWl2;
    /** The highest sequence number sent so far plus one (BSD's snd_max): after a timeout SND.NXT goes back, this does not. */
    int sndMax;
    /** The largest window the peer has offered (RFC 9293 §3.8.6.2.1's Max(SND.WND)). */
    int maxSndWnd;

    /** IRS: the peer's initial sequence number. */
    int irs;
    /** RCV.NXT: the next sequence number expected. */
    int rcvNxt;
    /** RCV.WND as last advertised, in bytes (Linux's rcv_wnd); the right edge is {@link #rcvWup} + this. */
    int rcvWnd;
    /** RCV.NXT when the window was last advertised (Linux's rcv_wup). */
    int rcvWup;
    /** Linux's rcv_ssthresh: the window offered grows towards the buffer space as in-order data arrives (tcp_grow_window). */
    int rcvSsthresh;

    /** Snd.Wind.Shift (RFC 7323 §2.3): how far the peer's window field is shifted. */
    byte sndWscale;
    /** Rcv.Wind.Shift (RFC 7323 §2.3): how far our window field is shifted. */
    byte rcvWscale;
    /** Window scaling was agreed in the handshake. */
    boolean wscaleOk;
    /** Timestamps were agreed in the handshake (RFC 7323 §3.2). */
    boolean tsOk;
    /** SACK was agreed in the handshake (RFC 2018). */
    boolean sackOk;
    /**
     * ECN (RFC 3168 §6.1.1). Active open: we asked for it (tcp_ecn = 1), then whether the SYN-ACK agreed (ECE
     * without CWR). Passive open: the SYN asked (ECE and CWR) and tcp_ecn lets us accept, so the SYN-ACK
     * carries ECE. Then new data goes out ECT(0) ({@link Transmitter#emit}), and {@link Ecn} reacts to CE and ECE.
     */
    boolean ecnOk;
    /** The rest of Linux's tp->ecn_flags once ECN is agreed: {@link Ecn#QUEUE_CWR}, {@link Ecn#DEMAND_CWR}, {@link Ecn#SEEN}. */
    byte ecnFlags;
    /** TS.Recent (RFC 7323 §4.3): the timestamp to echo. */
    int tsRecent;
    /** When TS.Recent was last updated, in ns (Linux's ts_recent_stamp), for PAWS' 24-day rule and tcp_tw_reuse. */
    long tsRecentTime;
    /** Added to the millisecond clock in our TSvals (Linux's tcp_ts_off), so they leak no uptime. */
    int tsOffset;
    /** The MSS we advertise (see {@link MssPolicy#advertised}). */
    int advMss;
    /** The MSS the peer advertised, or RFC 9293 §3.7.1's default when it sent none. */
    int peerMss;
    /** The payload bytes per full-sized segment we send (Linux's mss_cache, see {@link MssPolicy#sending}). */
    int mss;

    /** Bytes written and not yet acknowledged; null in a compact TIME-WAIT. */
    SendBuffer sendBuf;
    /**
     * Where MSG_EOR records end in the send queue and how far the data is pushed; null until the first MSG_EOR or
     * MSG_MORE write (most connections never use them): then every byte queued is pushed and no record ends.
     */
    RecordMarks records;
    /** The send-side chronographs (tcpi_busy_time, tcpi_rwnd_limited); null until the first write. */
    Chrono chrono;
    /** Bytes received and not yet read, with out-of-order data in place; null in a compact TIME-WAIT. */
    ReceiveBuffer recvBuf;
    /** The sequence number of the send buffer's first byte (SND.UNA once the SYN is acknowledged). */
    int bufSeq;
    /** The application has shut down its sending side: a FIN follows the last queued byte. */
    boolean finQueued;
    /** Our FIN has been acknowledged. */
    boolean finAcked;
    /** The peer's FIN has been received and is in order: reads end in EOF once the buffer drains. */
    boolean finReceived;
    /** A FIN arrived ahead of a hole, at {@link #outOfOrderFinSeq}. */
    boolean outOfOrderFin;
    /** Where the out-of-order FIN lies (valid when {@link #outOfOrderFin}). */
    int outOfOrderFinSeq;
    /** When an acceptable segment last arrived (keepalive's idle time, the zero-window give-up). */
    long lastReceiveTime;

    /** Payload bytes sent, retransmissions included (tcpi_bytes_sent). */
    long bytesSent;
    /** Payload bytes retransmitted (tcpi_bytes_retrans). */
    long bytesRetrans;
    /** Sequence space acknowledged by the peer (tcpi_bytes_acked). */
    long bytesAcked;
    /** Payload bytes received in order (tcpi_bytes_received). */
    long bytesReceived;
    /** Segments sent (tcpi_segs_out, a u32 as in Linux). */
    int segsOut;
    /** Segments received (tcpi_segs_in, a u32). */
    int segsIn;
    /** Segments sent with data (tcpi_data_segs_out, a u32). */
    int dataSegsOut;
    /** Segments received with data (tcpi_data_segs_in, a u32). */
    int dataSegsIn;
    /** A writer waits for the handshake to finish (Linux's sk_write_pending), as the socket layer says. */
    boolean writePending;
    /** Segments retransmitted over the connection's life (tcpi_total_retrans). */
    int totalRetrans;
    /** When data was last sent, in ns (tcpi_last_data_sent counts from it). */
    long lastDataSendTime;
    /** When data last arrived, in ns (tcpi_last_data_recv). */
    long lastDataRecvTime;
    /** When an ACK last arrived, in ns (tcpi_last_ack_recv). */
    long lastAckRecvTime;

    Tcb(Environment env, FourTuple tuple, ConnectionOptions options) {
        this.env = env;
        this.tuple = tuple;
        this.options = options;
        Sysctls s = env.sysctls();
        this.rtt = new RttEstimator(s.get(Sysctl.TCP_RTO_MIN_US), s.get(Sysctl.TCP_RTO_MAX_MS));
    }

    /** The host's settings, read on every use (a setting may change while the connection lives). */
    Sysctls sysctls() {
        return env.sysctls();
    }

    /** The host's counters (Linux's SNMP MIB and TcpExt names). */
    Counters counters() {
        return env.counters();
    }

    /** The timestamp clock: milliseconds (Linux's tcp_time_stamp_ms) plus the per-connection offset. */
    int tsClock(long now) {
        return (int) (now / 1_000_000L) + tsOffset;
    }

    /** RCV.WND now: the room to the right edge last advertised. */
    int receiveWindow() {
        int w = (rcvWup + rcvWnd) - rcvNxt;
        return Math.max(w, 0);
    }

    /** SEG.WND in bytes: scaled, except in a SYN (RFC 7323 §2.2). */
    int peerWindow(TcpSegment seg) {
        return seg.syn() ? seg.window : seg.window << sndWscale;
    }

    /** Bytes queued and never sent. */
    int notSent() {
        if (sendBuf == null) return 0;
        return Math.max(0, sendBuf.size() - Math.max(0, sndNxt - bufSeq));
    }

    /** Bytes readable by the application now. */
    int readable() {
        return recvBuf == null ? 0 : recvBuf.readable();
    }

    /**
     * The application may send: ESTABLISHED and CLOSE-WAIT, and a passive Fast Open connection already in
     * SYN-RECEIVED, which may answer the SYN's data at once (Linux lets a Fast Open child send before the
     * final ACK: RFC 7413 §4.3, "the server MAY send data ... before the handshake completes").
     */
    boolean maySend() {
        return state.canSend() || (state == TcpState.SYN_RECEIVED && fastOpenPassive);
    }

    /** A synchronized state other than TIME-WAIT: data may flow. */
    boolean open() {
        return state.isSynchronized() && state != TcpState.TIME_WAIT;
    }

    /** CLOSED, LISTEN or SYN-SENT: no segment carries an ACK from here (RFC 9293 §3.10.7). */
    boolean beforeSynReceived() {
        return state == TcpState.CLOSED || state == TcpState.LISTEN || state == TcpState.SYN_SENT;
    }

    /** Our FIN has been sent and everything before it acknowledged: SND.UNA + 1 = SND.MAX, the FIN's sequence. */
    boolean onlyFinUnacknowledged() {
        return finQueued && !finAcked && sndMax - sndUna == 1 && sendBuf != null && sendBuf.size() == 0;
    }

    /** Gives the receive buffer's bytes back to the stack's tcp_mem account (data nobody will read). */
    void releaseReceiveBuffer() {
        if (recvBuf != null) recvBuf.release(env.memory());
    }

    /** The connection's own options (72 bytes, copied from the shared set at the first call that may change them). */
    ConnectionOptions ownOptions() {
        if (optionsShared) {
            options = options.copy();
            optionsShared = false;
        }
        return options;
    }

    /** The send queue's marks, made now if this is the first MSG_EOR or MSG_MORE write (all queued so far is pushed). */
    RecordMarks marks() {
        if (records == null) records = new RecordMarks(bufSeq + sendBuf.size());
        return records;
    }

    /** tcp_mark_push: the data up to {@code seq} is pushed (nothing to note while no MSG_MORE write held any back). */
    void markPushed(int seq) {
        if (records != null) records.pushSeq = seq;
    }

    /** Whether the byte at {@code seq} belongs to pushed data (its skb was marked by tcp_mark_push). */
    boolean pushedAt(int seq) {
        return records == null || Seq.gt(records.pushSeq, seq);
    }

    /** Sets SND.UNA, SND.NXT and SND.MAX around a new ISS (the SYN takes one sequence number). */
    void startSendSequence(int isn) {
        iss = isn;
        sndUna = isn;
        sndNxt = isn + 1;
        sndMax = sndNxt;
        bufSeq = isn + 1;
    }

    /** Takes the peer's ISN: RCV.NXT follows it, and the window's left edge is there. */
    void startReceiveSequence(int peerIsn) {
        irs = peerIsn;
        rcvNxt = peerIsn + 1;
        rcvWup = rcvNxt;
    }

    /** The send window from a segment that updates it (RFC 9293 §3.10.7.4: SND.WND, SND.WL1, SND.WL2). */
    void updateSendWindow(int window, TcpSegment seg) {
        sndWnd = window;
        sndWl1 = seg.seq;
        sndWl2 = seg.ack;
        if (sndWnd > maxSndWnd) maxSndWnd = sndWnd;
    }

    /** The first send window, from the peer's SYN or SYN-ACK (never scaled) or the ACK of our SYN. */
    void initialSendWindow(int window, TcpSegment seg) {
        sndWnd = window;
        maxSndWnd = sndWnd;
        sndWl1 = seg.seq;
        sndWl2 = seg.ack;
    }
}
