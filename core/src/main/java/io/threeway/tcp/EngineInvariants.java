package io.threeway.tcp;

import io.threeway.wire.Seq;

/**
 * What must hold for a connection between any two events, whatever arrived and whatever the application did: the
 * checks a soak or a fuzz target runs after every step (Linux has no one place for them; these are the
 * {@code WARN_ON}s of its state machine, gathered). Read-only; costs a few field reads, no allocation unless one fails.
 *
 * <ul>
 *   <li>SND.UNA &le; SND.NXT &le; SND.MAX (RFC 9293 §3.3.1, with BSD's snd_max after go-back-N);</li>
 *   <li>a CLOSED connection has no timer left (tcp_done's {@code inet_csk_clear_xmit_timers});</li>
 *   <li>while the SYN or data or a FIN is unacknowledged, the retransmission (or persist, or loss recovery's) timer
 *       runs: nothing sent can wait forever for an ACK that never comes (RFC 6298 §5.1);</li>
 *   <li>an orphan (closed by its application) that is not CLOSED has a timer, so it cannot linger forever
 *       (tcp_fin_timeout for FIN-WAIT-2, the retransmission timer otherwise), and TIME-WAIT has its 2·MSL;</li>
 *   <li>nothing was taken in beyond the right edge of the window last offered (RCV.NXT &le; RCV.WUP + RCV.WND,
 *       the FIN's sequence number aside): the offered window never shrinks (tcp_select_window) and data past it
 *       is dropped (tcp_sequence).</li>
 * </ul>
 */
public final class EngineInvariants {
    private EngineInvariants() {}

    /** The first broken invariant of {@code c}, in words, or null when all hold. */
    public static String violation(TcpConnection c) {
        Tcb t = c.tcb;
        if (t.state == TcpState.TIME_WAIT && t.sendBuf == null) return null; // a compact TIME-WAIT's husk: the host's record rules
        TcpState s = c.state();
        long deadline = c.nextDeadline();
        if (s == TcpState.CLOSED) return deadline == Timers.NEVER ? null : "CLOSED with a timer left: " + c.timers.describe();
        if (s == TcpState.LISTEN || t.sendBuf == null) return null; // a listener, or a compact TIME-WAIT's husk
        if (!(Seq.leq(t.sndUna, t.sndNxt) && Seq.leq(t.sndNxt, t.sndMax))) {
            return "SND.UNA " + Integer.toUnsignedString(t.sndUna) + " <= SND.NXT " + Integer.toUnsignedString(t.sndNxt)
                    + " <= SND.MAX " + Integer.toUnsignedString(t.sndMax) + " does not hold";
        }
        if (s == TcpState.TIME_WAIT) return t.orphaned && c.timers.closeDeadline() == Timers.NEVER ? "TIME-WAIT without its timer" : null;
        boolean outstanding = t.sndUna != t.sndMax || s == TcpState.SYN_SENT || s == TcpState.SYN_RECEIVED;
        if (outstanding && c.timers.retransmitIdle() && c.sender.recoveryDeadline() == Timers.NEVER) {
            return s + " with " + Integer.toUnsignedString(t.sndMax - t.sndUna) + " sequence numbers unacknowledged and no"
                    + " retransmission timer";
        }
        if (t.orphaned && deadline == Timers.NEVER) return "an orphan in " + s + " with no timer: it would never end";
        int rightEdge = t.rcvWup + t.rcvWnd + (t.finReceived ? 1 : 0);
        if (t.state.isSynchronized() && !Seq.leq(t.rcvNxt, rightEdge)) {
            return "RCV.NXT " + Integer.toUnsignedString(t.rcvNxt) + " beyond the window's right edge "
                    + Integer.toUnsignedString(rightEdge);
        }
        return null;
    }
}
