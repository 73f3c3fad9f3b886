package io.threeway.tcp;

import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;

/**
 * Where every segment of the connection is built and handed to the host: headers with our ACK, window,
 * timestamps and SACK blocks; data as a view of the send ring; pure ACKs, challenge ACKs (RFC 5961) and resets.
 * What to send and when is decided elsewhere ({@link Sender}, {@link Receiver}, {@link Handshake}).
 */
final class Transmitter {
    /** The connection, whose segments these are (the host's {@link Environment#transmit} takes it). */
    private final TcpConnection conn;
    /** Its control block. */
    private final Tcb tcb;
    /** A copy of a payload that wraps around the send ring (grown once to the largest needed). */
    private byte[] wrapScratch;
    /**
     * When a challenge ACK was last sent (RFC 5961 §3.2, rate limited by tcp_invalid_ratelimit), as a wrapping 32-bit
     * millisecond stamp, {@link #NEVER} before the first (as Linux's u32 jiffies stamps: 4 bytes, not 8, on every
     * connection).
     */
    private int lastChallengeAck = NEVER;
    /** When a duplicate ACK for an out-of-window segment was last sent (Linux's last_oow_ack_time), the same way. */
    private int lastOutOfWindowAck = NEVER;
    /** A stamp that was never set (a real one equals it only 2^31 ms, 24.8 days, into a run, and is then ignored). */
    private static final int NEVER = Integer.MIN_VALUE;

    Transmitter(TcpConnection conn, Tcb tcb) {
        this.conn = conn;
        this.tcb = tcb;
    }

    /** When an out-of-window segment was last answered (ns), or Long.MIN_VALUE. */
    long lastOutOfWindowAck() {
        return lastOutOfWindowAck == NEVER ? Long.MIN_VALUE : lastOutOfWindowAck * 1_000_000L;
    }

    /** The host's outgoing segment, refilled for every transmission (no allocation per segment). */
    TcpSegment scratch() {
        return tcb.env.scratchSegment();
    }

    /** Drops the copy buffer (an orphaned connection in TIME-WAIT). */
    void release() {
        wrapScratch = null;
    }

    /** Builds and hands over one segment carrying {@code len} bytes from send-buffer {@code offset}. */
    void emit(int seq, int flags, int offset, int len, long now) {
        TcpSegment s = header(seq, flags, now);
        if (len > 0) {
            SendBuffer buf = tcb.sendBuf;
            if (buf.contiguous(offset, len)) {
                s.payload = buf.array();
                s.payloadOffset = buf.index(offset);
            } else {
                if (wrapScratch == null || wrapScratch.length < len) wrapScratch = new byte[Math.max(len, tcb.mss)];
                buf.copy(offset, wrapScratch, 0, len);
                s.payload = wrapScratch;
                s.payloadOffset = 0;
            }
            s.payloadLength = len;
            markEcn(s, seq);
        }
        transmit(s, now);
    }

    /** The most an IPv6 header (40) and a TCP header with every option (60) take of a super-segment's size. */
    private static final int MAX_HEADERS = 100;

    /**
     * Adds {@code len} bytes at {@code seq} (send-buffer {@code offset}) to the super-segment the scratch segment
     * holds ({@code merging}) when they follow it, lie in the ring's contiguous part, and keep it under the device's
     * {@code gso} bytes (Linux's sk_gso_max_size, less the headers as tcp_xmit_size_goal leaves them); otherwise
     * sends that one and starts a new one with them. Returns whether the scratch segment now holds one unsent
     * ({@link #sendMerged} sends it); false when the bytes went out at once (a range that wraps the ring).
     */
    boolean merge(int seq, int flags, int offset, int len, int mss, int gso, boolean merging, long now) {
        SendBuffer buf = tcb.sendBuf;
        if (merging) {
            TcpSegment s = scratch();
            int start = s.seq - tcb.bufSeq;
            if (s.seq + s.payloadLength == seq && s.payloadLength + len <= gso - MAX_HEADERS
                    && buf.contiguous(start, s.payloadLength + len)) {
                s.payloadLength += len;
                s.flags |= flags & (TcpFlags.PSH | TcpFlags.FIN);
                s.gsoSize = mss;
                return true;
            }
            sendMerged(now);
        }
        if (!buf.contiguous(offset, len)) {
            emit(seq, flags, offset, len, now);
            return false;
        }
        TcpSegment s = header(seq, flags, now);
        s.payload = buf.array();
        s.payloadOffset = buf.index(offset);
        s.payloadLength = len;
        markEcn(s, seq);
        return true;
    }

    /** Sends the super-segment {@link #merge} built (one segment's worth or several MSS). */
    void sendMerged(long now) {
        transmit(scratch(), now);
    }

    /**
     * Linux's tcp_ecn_send: once ECN is agreed, new data goes out ECN-capable (INET_ECN_xmit, ECT(0), RFC 3168
     * §6.1.2), with CWR after a reduction; pure ACKs and retransmissions ("before(seq, snd_nxt)") do not (§6.1.4,
     * §6.1.5). ECE while demanded is set on every segment by {@link #header}.
     */
    private void markEcn(TcpSegment s, int seq) {
        if (tcb.ecnOk && !Seq.lt(seq, tcb.sndMax)) Ecn.send(tcb, s, true);
    }

    /** A segment header with our ACK, window and timestamp filled in. */
    TcpSegment header(int seq, int flags, long now) {
        TcpSegment s = scratch();
        s.clear();
        s.srcPort = tcb.tuple.localPort();
        s.dstPort = tcb.tuple.remotePort();
        s.seq = seq;
        s.flags = flags;
        if ((flags & TcpFlags.ACK) != 0) {
            s.ack = tcb.rcvNxt;
            s.window = conn.receiver.selectWindow();
        }
        if (tcb.tsOk) {
            s.options.timestamps = true;
            s.options.tsVal = tcb.tsClock(now);
            s.options.tsEcr = tcb.tsRecent;
        }
        if (conn.receiver.sackBlocksToSend() > 0 && (flags & TcpFlags.ACK) != 0) conn.receiver.addSackBlocks(s.options);
        if (tcb.ecnFlags != 0) Ecn.send(tcb, s, false); // ECE until the peer's CWR (tcp_ecn_send)
        return s;
    }

    /** Hands over a segment built by {@link #header}: counts it, and notes that an ACK went out. */
    void transmit(TcpSegment s, long now) {
        if ((s.flags & TcpFlags.RST) != 0) tcb.counters().inc(Counter.OUT_RSTS);
        if ((s.flags & TcpFlags.ACK) != 0) {
            conn.receiver.ackSent(s.ack);
            conn.timers.cancelDelayedAck();
        }
        handOver(s);
    }

    /** Counts a segment and gives it to the host (a SYN or SYN-ACK comes here directly). */
    void handOver(TcpSegment s) {
        int pieces = s.pieces(); // a super-segment counts as the segments it stands for (tcp_skb_pcount)
        tcb.segsOut += pieces;
        tcb.counters().add(Counter.OUT_SEGS, pieces);
        tcb.env.transmit(conn, s);
    }

    /**
     * A pure ACK of RCV.NXT (§3.10.7.4: "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"). Its sequence number is the
     * highest ever sent, not a SND.NXT rewound by a timeout: the peer has seen up to there, and an ACK below
     * its RCV.NXT would fail its acceptability test and be lost (BSD's tcp_output sends snd_max here; Linux
     * never rewinds snd_nxt).
     */
    void sendAck(long now) {
        if (tcb.beforeSynReceived()) return;
        if (tcb.env.engineProfile().finWithAck() && tcb.onlyFinUnacknowledged()) {
            // BSD's tcp_output: the FIN goes again with every segment while it is all that is outstanding.
            transmit(header(tcb.sndMax - 1, TcpFlags.FIN | TcpFlags.ACK, now), now);
            return;
        }
        sendBareAck(tcb.sndMax, now);
    }

    /** An ACK with this sequence number and nothing else (keepalive and zero-window probes use old ones). */
    void sendBareAck(int seq, long now) {
        transmit(header(seq, TcpFlags.ACK, now), now);
    }

    /**
     * Whether a duplicate ACK answering an out-of-window segment must be skipped now (Linux's
     * tcp_oow_rate_limited, tcp_invalid_ratelimit), so two stacks cannot ping-pong duplicate ACKs.
     */
    boolean outOfWindowAckLimited(long now) {
        if (rateLimited(lastOutOfWindowAck, now)) return true;
        lastOutOfWindowAck = millis(now);
        return false;
    }

    /**
     * RFC 5961 §3.2/§4.2/§5.2's challenge ACK: tells a legitimate peer where we are, so a blind attacker's
     * guess gains nothing. Rate limited per connection by tcp_invalid_ratelimit, as Linux does.
     */
    void sendChallengeAck(long now) {
        if (rateLimited(lastChallengeAck, now)) return;
        lastChallengeAck = millis(now);
        tcb.counters().inc(Counter.TCP_CHALLENGE_ACK);
        // Never with the FIN of EngineProfile.finWithAck: BSD answers with tcp_respond, not tcp_output.
        if (!tcb.beforeSynReceived()) sendBareAck(tcb.sndMax, now);
    }

    /**
     * RST with our sequence number (abort, §3.10.5): <SEQ=SND.NXT><CTL=RST,ACK>, as Linux's tcp_send_active_reset,
     * which goes through tcp_transmit_skb and so carries the timestamp option when agreed (RFC 7323 §4.2 does
     * not exempt it).
     */
    void sendReset(int seq, long now) {
        TcpSegment s = header(seq, TcpFlags.RST | TcpFlags.ACK, now);
        s.window = 0;
        boolean ts = s.options.timestamps;
        int tsVal = s.options.tsVal;
        int tsEcr = s.options.tsEcr;
        s.options.clear();
        if (ts) {
            s.options.timestamps = true;
            s.options.tsVal = tsVal;
            s.options.tsEcr = tsEcr;
        }
        transmit(s, now);
    }

    /** The reset that answers an unacceptable segment (§3.10.7.1's forms). */
    void replyReset(TcpSegment seg, long now) {
        TcpSegment s = scratch();
        if (Resets.replyTo(seg, s)) transmit(s, now);
    }

    /**
     * Linux's __tcp_oow_rate_limited (its 0 for never is {@link #NEVER} here): "if (*last_oow_ack_time) { s32 elapsed = now - *last_oow_ack_time; if (0 <=
     * elapsed && elapsed < sysctl_tcp_invalid_ratelimit) return true; }" (in milliseconds here).
     */
    private boolean rateLimited(int last, long now) {
        if (last == NEVER) return false;
        int elapsed = millis(now) - last;
        return elapsed >= 0 && elapsed < tcb.sysctls().get(Sysctl.TCP_INVALID_RATELIMIT);
    }

    /** {@code nanos} as a wrapping 32-bit millisecond stamp. */
    private static int millis(long nanos) {
        return (int) Math.floorDiv(nanos, 1_000_000L);
    }
}
