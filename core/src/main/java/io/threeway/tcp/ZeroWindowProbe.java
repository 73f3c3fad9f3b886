package io.threeway.tcp;

import io.threeway.settings.Sysctl;

/**
 * Zero-window probing (RFC 9293 §3.8.6.1): the persist timer's probe (Linux's tcp_probe_timer and tcp_send_probe0),
 * and the retransmission timer's own probes when the peer shrank its window to zero under data in flight
 * (tcp_retransmit_timer's "Receiver dastardly shrinks window" branch). Both keep a connection alive only while the
 * peer keeps answering.
 */
final class ZeroWindowProbe {
    private ZeroWindowProbe() { }

    /** The persist timer fell due: fill a small window, or probe a zero one with SND.UNA - 1 (tcp_probe_timer). */
    static void persistTimeout(Sender sender, TcpConnection conn, Tcb tcb, long now) {
        if (tcb.notSent() == 0 && !sender.finUnsent()) return;
        if (tcb.sndWnd > 0) {
            // A window too small for silly-window avoidance to use: fill it anyway (Linux's tcp_write_wakeup).
            sender.forcedOutput(now);
            return;
        }
        Timers timers = conn.timers;
        if (tcb.orphaned && OutOfResources.check(conn, tcb, true, now)) return; // tcp_probe_timer's tcp_out_of_resources
        int maxProbes = tcb.orphaned ? Math.max(tcb.sysctls().get(Sysctl.TCP_ORPHAN_RETRIES), 8)
                : tcb.sysctls().get(Sysctl.TCP_RETRIES2);
        if (timers.probesOut >= maxProbes) {
            conn.abortOnTimeout("zero-window probes unanswered", false, now);
            return;
        }
        // Linux sends a probe with an old sequence number (SND.UNA - 1), which the receiver must ACK.
        conn.transmitter.sendBareAck(tcb.sndUna - 1, now);
        timers.probesOut++;
        if (timers.backoff < tcb.sysctls().get(Sysctl.TCP_RETRIES2)) timers.backoff++;
        timers.armPersist(now);
    }

    /**
     * The retransmission timer with a zero send window, Linux's tcp_retransmit_timer: "Receiver dastardly shrinks
     * window. Our retransmits become zero probes, but we should not timeout this connection" while the peer still
     * answers (within TCP_RTO_MAX).
     */
    static void retransmitTimeout(Sender sender, TcpConnection conn, Tcb tcb, long now) {
        Timers timers = conn.timers;
        if (now - tcb.lastReceiveTime > tcb.rtt.rtoMax()) {
            conn.abortOnTimeout("zero window and no answer for TCP_RTO_MAX", false, now);
            return;
        }
        sender.retransmit(tcb.sndUna, sender.currentMss(), now);
        if (timers.backoff < 64) timers.backoff++;
        timers.armRetransmit(now);
    }
}
