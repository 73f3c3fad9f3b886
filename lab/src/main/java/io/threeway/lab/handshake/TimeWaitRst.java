package io.threeway.lab.handshake;

import static io.threeway.lab.handshake.HandshakeScenario.duration;
import static io.threeway.lab.handshake.HandshakeScenario.seconds;

import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.handshake.HandshakeScenario.Result;
import io.threeway.settings.Sysctl;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.Transition;
import io.threeway.wire.TcpSegment;

/**
 * An RST that reached the client in TIME-WAIT, read from the run, and what it did: under
 * {@code net.ipv4.tcp_rfc1337=0} (Linux's default) it ends TIME-WAIT at once ({@code tcp_timewait_state_process}),
 * the "TIME-WAIT assassination" of RFC 1337; under 1 it is ignored. In this scenario such an RST is the server's
 * answer to a second ACK of its FIN that reached it after the first had closed it: a segment for no connection
 * draws a reset (RFC 9293 §3.10.7.1).
 *
 * @param rst         the RST as the client captured it
 * @param ended       whether it ended TIME-WAIT
 * @param acks        ACKs the client sent in TIME-WAIT before the RST came
 * @param serverClose the server's move to CLOSED, or null
 * @param timeWait    how long TIME-WAIT lasted, ns (-1: it had not ended when the run did)
 */
record TimeWaitRst(CapturedPacket rst, boolean ended, int acks, Transition serverClose, long timeWait) {

    /** The RST that reached the client in TIME-WAIT, or null when none did. */
    static TimeWaitRst of(Result r) {
        Transition in = Report.find(r, "client", TcpState.TIME_WAIT);
        if (in == null) return null;
        Transition out = Report.findFrom(r, "client", TcpState.TIME_WAIT);
        long until = out == null ? r.end : out.timeNanos();
        int acks = 0;
        for (CapturedPacket p : r.packets) {
            TcpSegment s = HandshakeScenario.tcp(p);
            if (s == null || p.timeNanos() < in.timeNanos() || p.timeNanos() > until) continue;
            if (!p.outbound() && s.rst()) {
                boolean ended = out != null && out.timeNanos() == p.timeNanos();
                return new TimeWaitRst(p, ended, acks, Report.find(r, "server", TcpState.CLOSED), Report.timeWait(r));
            }
            if (p.outbound() && s.ackFlag() && !s.syn() && !s.fin() && !s.rst()) acks++;
        }
        return null;
    }

    /** The explanation, in words, with the run's times and the settings that decided it. */
    String text(ScenarioOptions o) {
        StringBuilder b = new StringBuilder();
        b.append(ended ? "Why TIME-WAIT lasted " + duration(timeWait) + ", not " + duration(TcpConnection.TIME_WAIT_NANOS)
                        + ": an RST from the server arrived at " + seconds(rst.timeNanos()) + ". "
                : "An RST from the server arrived in TIME-WAIT at " + seconds(rst.timeNanos()) + " and was ignored. ");
        if (serverClose != null && serverClose.timeNanos() <= rst.timeNanos()) {
            b.append("The server had closed at ").append(seconds(serverClose.timeNanos())).append(" (")
                    .append(serverClose.from().rfcName()).append(" -> CLOSED: ").append(serverClose.cause()).append(") and ")
                    .append(second(o)).append(", so a later one found no connection there, and a segment for no connection "
                            + "is answered with an RST (RFC 9293 §3.10.7.1). ");
        }
        if (ended) {
            b.append("Under net.ipv4.tcp_rfc1337=0, Linux's default, an RST ends TIME-WAIT at once "
                    + "(tcp_timewait_state_process): the TIME-WAIT assassination RFC 1337 describes, which frees the "
                    + "four-tuple while old duplicates of this connection may still be in flight. "
                    + "--sysctl net.ipv4.tcp_rfc1337=1 ignores such an RST and keeps TIME-WAIT for its "
                    + duration(TcpConnection.TIME_WAIT_NANOS) + ".");
        } else if (o.sysctls().get(Sysctl.TCP_RFC1337) == 1) {
            b.append("net.ipv4.tcp_rfc1337=1 keeps TIME-WAIT against an RST, as RFC 1337 proposes; under Linux's "
                    + "default 0 this RST would have ended it (the TIME-WAIT assassination).");
        }
        return b.toString().stripTrailing();
    }

    /** How a second ACK of the server's FIN came to be: the client sent it, or the path copied the one it sent. */
    private String second(ScenarioOptions o) {
        if (acks >= 2) return "the client had acknowledged its FIN " + acks + " times (the FIN reached it " + acks + " times)";
        if (o.link().duplicate() > 0) {
            return "the path delivered the client's ACK of its FIN twice (--duplicate " + Report.loss(o.link().duplicate()) + ")";
        }
        return "a segment from the client reached it after that";
    }
}
