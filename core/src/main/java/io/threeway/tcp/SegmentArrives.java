package io.threeway.tcp;

import io.threeway.stats.Counter;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpSegment;

/**
 * RFC 9293 §3.10.7, "SEGMENT ARRIVES", as the RFC writes it: by state, and for the synchronized states in the
 * RFC's steps (sequence number, RST, SYN, ACK, text, FIN). Each step hands its work to the part it belongs to:
 * the {@link Receiver} for acceptability, text and FIN, the {@link Sender} for the ACK, the {@link Handshake}
 * for SYN-SENT and the ACK of our SYN, {@link TimeWait} for TIME-WAIT.
 */
final class SegmentArrives {
    private SegmentArrives() {}

    /** What the first step decided: the segment goes on. */
    private static final int ACCEPT = 0;
    /** What the first step decided: the segment was answered (or not) and is dropped. */
    private static final int DROP = 1;
    /** What the first step decided: all duplicate, but BSD processes its ACK and acknowledges it afterwards. */
    private static final int OLD_DUPLICATE = 2;

    /** Processes one segment addressed to the connection, by state. */
    static void process(TcpConnection c, TcpSegment seg, long now) {
        c.tcb.segsIn++;
        switch (c.tcb.state) {
            case CLOSED -> { } // the host answers segments for closed ports; a stray one here is dropped
            case LISTEN -> listenArrives(c, seg, now);
            case SYN_SENT -> c.handshake().synSentArrives(seg, now);
            case TIME_WAIT -> TimeWait.arrives(c.timeWaitView(), c.tcb.env, seg, now);
            default -> synchronizedArrives(c, seg, now);
        }
        c.afterEvent(now);
    }

    /** §3.10.7.2: "If the state is LISTEN". */
    private static void listenArrives(TcpConnection c, TcpSegment seg, long now) {
        if (seg.rst()) return;                                  // "An incoming RST should be ignored"
        if (seg.ackFlag()) {                                    // "Any acknowledgment is bad if it arrives on a
            c.transmitter.replyReset(seg, now);                 //  connection still in the LISTEN state"
            return;
        }
        if (seg.syn()) c.acceptSyn(seg, now);                   // "third, check for a SYN"
    }

    /** §3.10.7.4: "Otherwise" (SYN-RECEIVED and the synchronized states). */
    private static void synchronizedArrives(TcpConnection c, TcpSegment seg, long now) {
        Tcb t = c.tcb;
        boolean simultaneousSynAck = simultaneousSynAck(t, seg);
        // RFC 7323 §5.3 R1, before the sequence check: PAWS rejects a segment whose timestamp is older than
        // TS.Recent (by more than Linux's TCP_PAWS_WINDOW of 1), unless TS.Recent is over 24 days old (R5).
        if (c.receiver.pawsRejects(seg, now)) {
            t.counters().inc(Counter.PAWS_ESTAB);
            if (!c.transmitter.outOfWindowAckLimited(now)) c.transmitter.sendAck(now);
            return;
        }
        int verdict = simultaneousSynAck ? ACCEPT : checkSequence(c, seg, now);   // first
        if (verdict == DROP) return;
        t.lastReceiveTime = now;
        // RFC 7323 §4.3: TS.Recent follows the peer's clock for segments at or before Last.ACK.sent.
        if (c.receiver.updatesTsRecent(seg)) {
            t.tsRecent = seg.options.tsVal;
            t.tsRecentTime = now;
        }
        if (seg.rst()) {                                                           // second
            checkRst(c, seg, now);
            return;
        }
        if (seg.syn() && !simultaneousSynAck) {                                    // fourth
            synArrives(c, seg, now);
            return;
        }
        if (!checkAck(c, seg, now)) return;                                        // fifth
        if (simultaneousSynAck) {
            // Linux's tcp_data_queue on this SYN-ACK: its SYN is a retransmission (end_seq not after rcv_nxt), so
            // "Force an immediate ack" with a D-SACK for it (tcp_dsack_set; RFC 2883 §4).
            c.receiver.duplicateData(seg.seq, seg.seq + 1);
            c.receiver.ackNow();
        }
        if (verdict == OLD_DUPLICATE) {
            c.transmitter.sendAck(now); // its text and FIN were all duplicates
            return;
        }
        if (!text(c, seg, now)) return;                                            // seventh
        if (seg.fin()) c.receiver.finSegment(seg.seq + seg.payloadLength, now);    // eighth
    }

    /**
     * Simultaneous open (§3.5 Figure 8, line 6): the peer's SYN-ACK repeats its SYN, one below RCV.NXT, and
     * acknowledges ours. The acceptability test and the SYN check would both reject it, and the connection
     * would only establish on a later bare ACK; Linux's tcp_validate_incoming lets exactly this segment
     * through to the ACK processing ("goto pass"), which establishes the connection.
     */
    private static boolean simultaneousSynAck(Tcb t, TcpSegment seg) {
        return t.state == TcpState.SYN_RECEIVED && !t.passive && seg.syn() && seg.ackFlag() && !seg.rst()
                && seg.segLen() == 1 && seg.seq + 1 == t.rcvNxt && seg.ack == t.sndNxt;
    }

    /** First, check the sequence number: {@link #ACCEPT}, {@link #DROP} (after any answer) or {@link #OLD_DUPLICATE}. */
    private static int checkSequence(TcpConnection c, TcpSegment seg, long now) {
        if (c.receiver.acceptable(seg)) return ACCEPT;
        if (c.receiver.bsdOldDuplicate(seg)) {
            // BSD's tcp_input trims a segment that lies wholly before RCV.NXT to nothing but keeps on processing
            // its ACK, and acknowledges it afterwards (TF_ACKNOW; Stevens vol. 2 p. 960). RFC 9293 and Linux
            // (tcp_sequence) drop it after the acknowledgment, below.
            return OLD_DUPLICATE;
        }
        if (seg.syn()) {
            // RFC 5961 §4.2: "If the SYN bit is set, irrespective of the sequence number, TCP MUST send an
            // ACK (also referred to as challenge ACK)" (Linux: tcp_validate_incoming -> syn_challenge).
            synArrives(c, seg, now);
        } else if (!seg.rst()) {
            // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply". Linux
            // rate-limits the answers to pure segments (tcp_oow_rate_limited, tcp_invalid_ratelimit), so two
            // stacks cannot ping-pong duplicate ACKs; data segments are always answered.
            if (seg.segLen() == 0 && c.transmitter.outOfWindowAckLimited(now)) {
                c.tcb.counters().inc(Counter.TCP_ACK_SKIPPED_SEQ);
            } else {
                int rcvNxt = c.tcb.rcvNxt;
                if (seg.payloadLength > 0 && Seq.lt(seg.seq, rcvNxt)) {
                    c.receiver.duplicateData(seg.seq, Seq.min(seg.seq + seg.payloadLength, rcvNxt)); // Linux's tcp_dsack_set
                }
                c.transmitter.sendAck(now);
            }
        }
        return DROP;
    }

    /**
     * Second, check the RST bit (RFC 5961 §3.2: only an exact match resets; in-window otherwise draws a challenge
     * ACK, unless the profile turns the check off as FreeBSD's insecure_rst does).
     */
    private static void checkRst(TcpConnection c, TcpSegment seg, long now) {
        if (seg.seq != c.tcb.rcvNxt && c.tcb.env.engineProfile().challengeRst()) {
            c.transmitter.sendChallengeAck(now);
            return;
        }
        resetArrived(c, now);
    }

    /** An acceptable RST: the connection ends, as each state's rule says. */
    private static void resetArrived(TcpConnection c, long now) {
        Tcb t = c.tcb;
        switch (t.state) {
            case SYN_RECEIVED -> {
                if (t.passive) {
                    // "If this connection was initiated with a passive OPEN, then return this connection to LISTEN".
                    c.dropHalfOpen("RST received", now);
                } else {
                    t.error = Errno.ECONNREFUSED;
                    c.closeNow("RST received", now);
                }
            }
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK -> {
                // In CLOSING and LAST-ACK the application may still hold the socket (it only shut down its
                // sending side); Linux's tcp_reset reports ECONNRESET there too.
                t.error = Errno.ECONNRESET;
                c.closeNow("RST received", now);
            }
            default -> c.closeNow("RST received", now);
        }
    }

    /** A SYN in SYN-RECEIVED or a synchronized state, in the window or not: the segment is dropped after this. */
    private static void synArrives(TcpConnection c, TcpSegment seg, long now) {
        Tcb t = c.tcb;
        if (t.state == TcpState.SYN_RECEIVED && seg.seq == t.irs && !seg.ackFlag()) {
            // The peer retransmitted its SYN (SEG.SEQ = RCV.NXT-1, so it never passes the acceptability test):
            // our SYN-ACK was lost. Linux answers with the SYN-ACK again.
            c.handshake().resendSynAck(now);
            return;
        }
        if (!t.env.engineProfile().challengeSyn() && t.state != TcpState.SYN_RECEIVED && t.state != TcpState.TIME_WAIT
                && c.receiver.inWindow(seg.seq)) {
            // RFC 793 before RFC 5961 (FreeBSD's insecure_syn, tcp_drop): "If the SYN is in the window it is an
            // error, send a reset, any outstanding RECEIVEs and SEND should receive 'reset' responses".
            t.error = Errno.ECONNRESET;
            c.resetAndClose("SYN received in the window", now);
            return;
        }
        // RFC 5961 §4.2 / RFC 9293 fourth step: "send a 'challenge ACK'" and drop the segment.
        t.counters().inc(Counter.TCP_SYN_CHALLENGE);
        c.transmitter.sendChallengeAck(now);
    }

    /**
     * Fifth, check the ACK field: the ACK of our SYN, then the sender's processing, then what it means for our
     * FIN in FIN-WAIT-1, CLOSING and LAST-ACK. Returns whether the segment's text and FIN are still to be processed.
     */
    private static boolean checkAck(TcpConnection c, TcpSegment seg, long now) {
        Tcb t = c.tcb;
        if (!seg.ackFlag()) return false;
        // Our SYN is unacknowledged: SYN-RECEIVED, or FIN-WAIT-1 after a close in SYN-RECEIVED (§3.10.4).
        if (t.sndUna == t.iss && !c.handshake().synAcknowledged(seg, now)) return false;
        if (!c.sender.processAck(seg, now)) return false;
        switch (t.state) {
            case FIN_WAIT_1 -> {
                if (t.finAcked) {
                    c.setState(TcpState.FIN_WAIT_2, "ACK of FIN received", now);
                    if (t.orphaned) c.armFinWait2(now);
                }
            }
            case CLOSING -> {
                if (t.finAcked) TimeWait.enter(c, "ACK of FIN received in CLOSING", now);
            }
            case LAST_ACK -> {
                if (t.finAcked) {
                    c.closeNow("ACK of FIN received", now);
                    return false;
                }
            }
            default -> { }
        }
        return t.state != TcpState.TIME_WAIT;
    }

    /** The seventh and eighth steps alone, for a segment whose earlier steps ran elsewhere (a Fast Open SYN-ACK's data). */
    static void textAndFin(TcpConnection c, TcpSegment seg, long now) {
        if (text(c, seg, now) && seg.fin()) c.receiver.finSegment(seg.seq + seg.payloadLength, now);
    }

    /** Seventh, process the segment text. Returns false when data after close() aborted the connection. */
    private static boolean text(TcpConnection c, TcpSegment seg, long now) {
        Tcb t = c.tcb;
        if (seg.payloadLength == 0) return true;
        if (t.state == TcpState.ESTABLISHED || t.state == TcpState.FIN_WAIT_1 || t.state == TcpState.FIN_WAIT_2) {
            if (t.orphaned) {
                // Linux: data after the application closed its socket cannot be delivered (TCPAbortOnData):
                // tcp_rcv_state_process returns SKB_DROP_REASON_TCP_ABORT_ON_DATA and tcp_v4_do_rcv answers the
                // segment itself (tcp_v4_send_reset: <SEQ=SEG.ACK><CTL=RST>), as FreeBSD's tcp_dropwithreset does.
                t.counters().inc(Counter.TCP_ABORT_ON_DATA);
                c.transmitter.replyReset(seg, now);
                c.closeNow("data received after close()", now);
                t.env.timersChanged(c);
                return false;
            }
            c.receiver.receiveText(seg, now);
        }
        return true;
    }
}
