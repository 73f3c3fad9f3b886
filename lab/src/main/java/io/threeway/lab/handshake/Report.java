package io.threeway.lab.handshake;

import static io.threeway.lab.handshake.HandshakeScenario.duration;
import static io.threeway.lab.handshake.HandshakeScenario.seconds;

import io.threeway.lab.Findings;
import io.threeway.lab.LabJson;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.handshake.HandshakeScenario.Result;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.Transition;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The handshake scenario's report, as text for people or as one JSON document. Every figure comes from the run. */
final class Report {
    private Report() {}

    /** The sequence-number facts of the run, read from the recorded packets and the connections. */
    record Isn(long client, long server, CapturedPacket syn, CapturedPacket synAck, CapturedPacket finalAck,
            int synsSent, int synAcksSeen) {
        long synAckAck() { return synAck == null ? -1 : u32(HandshakeScenario.tcp(synAck).ack); }
        long finalAckAck() { return finalAck == null ? -1 : u32(HandshakeScenario.tcp(finalAck).ack); }
        long synSeq() { return syn == null ? -1 : u32(HandshakeScenario.tcp(syn).seq); }
        long synAckSeq() { return synAck == null ? -1 : u32(HandshakeScenario.tcp(synAck).seq); }
    }

    static Isn isn(Result r) {
        CapturedPacket syn = null, synAck = null, finalAck = null;
        int syns = 0, synAcks = 0;
        for (CapturedPacket p : r.packets) {
            TcpSegment s = HandshakeScenario.tcp(p);
            if (s == null) continue;
            if (p.outbound() && s.syn() && !s.ackFlag()) {
                syns++;
                if (syn == null) syn = p;
            } else if (!p.outbound() && s.syn() && s.ackFlag()) {
                synAcks++;
                if (synAck == null) synAck = p;
            } else if (p.outbound() && synAck != null && finalAck == null && s.ackFlag() && !s.syn() && !s.rst()) {
                finalAck = p;
            }
        }
        long server = r.server != null ? u32(r.server.info(0).iss()) : synAck != null ? u32(HandshakeScenario.tcp(synAck).seq) : -1;
        return new Isn(u32(r.client.info(0).iss()), server, syn, synAck, finalAck, syns, synAcks);
    }

    private static long u32(int v) { return Integer.toUnsignedLong(v); }

    /** The bytes of data a connection sent once (retransmissions not counted twice). */
    private static long dataSent(TcpConnection c) {
        if (c == null) return 0;
        TcpInfo i = c.info(0); // no "ago" figures are read: any time will do
        return i.bytesSent() - i.bytesRetrans();
    }

    static Transition find(Result r, String endpoint, TcpState to) {
        for (Transition t : r.transitions) if (t.endpoint().equals(endpoint) && t.to() == to) return t;
        return null;
    }

    static Transition findFrom(Result r, String endpoint, TcpState from) {
        for (Transition t : r.transitions) if (t.endpoint().equals(endpoint) && t.from() == from) return t;
        return null;
    }

    /** How long TIME-WAIT lasted at the client, or -1 if it did not run its course. */
    static long timeWait(Result r) {
        Transition in = find(r, "client", TcpState.TIME_WAIT);
        Transition out = findFrom(r, "client", TcpState.TIME_WAIT);
        return in == null || out == null ? -1 : out.timeNanos() - in.timeNanos();
    }

    static String outcome(Result r) {
        if (!r.established()) {
            return "the handshake failed: the client never reached ESTABLISHED"
                    + (r.clientError != null ? " (connect() failed with " + r.clientError + ")" : "");
        }
        if (!r.responseOk) return "the connection was established but the response never arrived complete"
                + (r.clientError != null ? " (" + r.clientError + ")" : "");
        if (r.internalErrors > 0) return "the exchange completed, but the engine reported " + r.internalErrors + " internal errors";
        if (!r.success()) return "the response arrived, but the connections did not both close (client "
                + r.client.state().rfcName() + ", server " + (r.server == null ? "none" : r.server.state().rfcName()) + ")";
        return "the request was answered and both ends closed cleanly";
    }

    /** A probability as a percentage, without trailing zeros: {@code 30%}, {@code 0.5%}. */
    static String loss(double loss) {
        String s = String.format(Locale.ROOT, "%.4f", loss * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    private static String rttText(long nanos) {
        if (nanos % 1_000_000 == 0) return nanos / 1_000_000 + "ms";
        if (nanos % 1000 == 0) return nanos / 1000 + "us";
        return nanos + "ns";
    }

    // ------------------------------------------------------------------------------------------------
    // Text

    /** {@code 198.18.0.1:80}, or {@code [2001:db8::1]:80}. */
    private static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    static String text(ScenarioOptions o, Result r) {
        StringBuilder b = new StringBuilder();
        long rtt = o.rtt().toNanos();
        b.append("threeway lab handshake: client ").append(endpoint(r.clientAddress, r.clientPort))
                .append(" -> server ").append(endpoint(r.serverAddress, HandshakeScenario.SERVER_PORT))
                .append(", rtt ").append(rttText(rtt)).append(" (").append(rttText(rtt / 2)).append(" each way)")
                .append(", loss ").append(loss(o.loss())).append(", seed ").append(o.seed()).append('\n');
        b.append('\n');

        b.append("Segments as tcpdump -tt -nn prints them on the client (").append(r.packets.size()).append("):\n");
        for (CapturedPacket p : r.packets) b.append("  ").append(p.line()).append('\n');
        b.append('\n');

        b.append("State transitions (").append(r.transitions.size()).append("):\n");
        int wFrom = 4, wTo = 2;
        for (Transition t : r.transitions) {
            wFrom = Math.max(wFrom, t.from().rfcName().length());
            wTo = Math.max(wTo, t.to().rfcName().length());
        }
        int wTime = 0;
        for (Transition t : r.transitions) wTime = Math.max(wTime, seconds(t.timeNanos()).length());
        String fmt = "  %" + wTime + "s  %-6s  %-" + wFrom + "s -> %-" + wTo + "s  %s%n";
        for (Transition t : r.transitions) {
            b.append(String.format(Locale.ROOT, fmt, seconds(t.timeNanos()), t.endpoint(), t.from().rfcName(),
                    t.to().rfcName(), t.cause()));
        }
        b.append('\n');

        Isn isn = isn(r);
        b.append("Sequence numbers (absolute, as tcpdump -S would print them):\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"client ISN", Long.toString(isn.client()),
                isn.syn() == null ? "" : "seq of the SYN sent at " + seconds(isn.syn().timeNanos())
                        + (isn.synSeq() == isn.client() ? "" : " (differs: " + isn.synSeq() + ")")});
        if (isn.server() >= 0) {
            rows.add(new String[] {"server ISN", Long.toString(isn.server()),
                    isn.synAck() == null ? "" : "seq of the SYN-ACK received at " + seconds(isn.synAck().timeNanos())
                            + (isn.synAckSeq() == isn.server() ? "" : " (differs: " + isn.synAckSeq() + ")")});
        }
        if (isn.synAck() != null) {
            long want = (isn.client() + 1) & 0xFFFFFFFFL;
            rows.add(new String[] {"SYN-ACK's ack", Long.toString(isn.synAckAck()),
                    (isn.synAckAck() == want ? "= " : "!= ") + "client ISN + 1 = " + want});
        }
        if (isn.finalAck() != null) {
            long want = (isn.server() + 1) & 0xFFFFFFFFL;
            rows.add(new String[] {"final ACK's ack", Long.toString(isn.finalAckAck()),
                    (isn.finalAckAck() == want ? "= " : "!= ") + "server ISN + 1 = " + want + ", sent at "
                            + seconds(isn.finalAck().timeNanos())});
        }
        if (r.established()) {
            rows.add(bytesRow("client sent", r.client, dataSent(r.client)));
            if (r.server != null) rows.add(bytesRow("server sent", r.server, dataSent(r.server)));
        }
        table(b, rows);
        b.append('\n');

        b.append("Summary:\n");
        rows.clear();
        if (r.established()) {
            long hs = r.establishedAt - r.connectAt;
            rows.add(new String[] {"handshake", duration(hs), "connect() at " + seconds(r.connectAt)
                    + ", ESTABLISHED at " + seconds(r.establishedAt) + rtts(hs, rtt)});
        } else {
            rows.add(new String[] {"handshake", "failed", isn.synsSent() + " SYNs sent, " + isn.synAcksSeen()
                    + " SYN-ACKs received; gave up at " + seconds(r.end)});
        }
        if (r.firstResponseByteAt >= 0) {
            rows.add(new String[] {"first response byte", duration(r.firstResponseByteAt - r.connectAt),
                    "after connect(); " + duration(r.firstResponseByteAt - r.requestSentAt) + " after the request was written"});
        }
        rows.add(new String[] {"retransmissions", Long.toString(r.clientRetransSegs + r.serverRetransSegs),
                "client " + r.clientRetransSegs + " (" + r.clientSynRetrans + " SYN), server " + r.serverRetransSegs
                        + "; timeouts: client " + r.clientTimeouts + ", server " + r.serverTimeouts});
        long tw = timeWait(r);
        if (tw >= 0) {
            Transition in = find(r, "client", TcpState.TIME_WAIT);
            String restarts = "";
            for (CapturedPacket p : r.packets) {
                TcpSegment s = HandshakeScenario.tcp(p);
                if (!p.outbound() && s != null && s.fin() && p.timeNanos() > in.timeNanos()
                        && p.timeNanos() < in.timeNanos() + tw) {
                    restarts += (restarts.isEmpty() ? "; restarted by a retransmitted FIN at " : ", ") + seconds(p.timeNanos());
                }
            }
            TimeWaitRst rst = TimeWaitRst.of(r);
            String ended = rst != null && rst.ended() ? ", ended by the server's RST (why: below)" : "";
            rows.add(new String[] {"TIME-WAIT", duration(tw), "client, from " + seconds(in.timeNanos()) + " to "
                    + seconds(in.timeNanos() + tw) + restarts + ended});
        }
        rows.add(new String[] {"result", r.success() ? "ok" : "FAILED", outcome(r)});
        table(b, rows);
        TimeWaitRst rst = TimeWaitRst.of(r);
        if (rst != null) b.append('\n').append(rst.text(o)).append('\n');
        return b.toString();
    }

    private static String[] bytesRow(String label, TcpConnection c, long data) {
        long fin = c.state() == TcpState.CLOSED || c.writeClosed() ? 1 : 0;
        TcpInfo i = c.info(0);
        long nxt = Integer.toUnsignedLong(i.sndNxt());
        long span = (i.sndNxt() - i.iss()) & 0xFFFFFFFFL;
        String arith = "snd.nxt " + nxt + " = ISN + " + span + " (SYN 1 + data " + data + (fin == 1 ? " + FIN 1)" : ")")
                + (span == 1 + data + fin ? "" : " [does not add up]");
        return new String[] {label, data + " bytes", arith};
    }

    private static String rtts(long nanos, long rtt) {
        if (rtt <= 0) return "";
        return String.format(Locale.ROOT, " (%.2f RTT)", (double) nanos / rtt);
    }

    private static void table(StringBuilder b, List<String[]> rows) {
        int w0 = 0, w1 = 0;
        for (String[] row : rows) {
            w0 = Math.max(w0, row[0].length());
            w1 = Math.max(w1, row[1].length());
        }
        for (String[] row : rows) {
            String line = String.format(Locale.ROOT, "  %-" + w0 + "s  %" + w1 + "s  %s", row[0], row[1], row[2]);
            b.append(line.stripTrailing()).append('\n');
        }
    }

    // ------------------------------------------------------------------------------------------------
    // JSON

    static String json(ScenarioOptions o, Result r) {
        Findings f = new Findings("handshake");
        long tw = timeWait(r);
        Isn isn = isn(r);
        f.group("").put("ok", r.success()).put("established", r.established())
                .seconds("handshake", r.established() ? r.establishedAt - r.connectAt : -1)
                .seconds("first response byte", r.firstResponseByteAt >= 0 ? r.firstResponseByteAt - r.connectAt : -1)
                .put("retransmissions by the client", r.clientRetransSegs)
                .put("SYN retransmissions by the client", r.clientSynRetrans)
                .put("retransmissions by the server", r.serverRetransSegs)
                .seconds("time wait", tw).seconds("end", r.end)
                .put("bytes sent by the client", dataSent(r.client), "bytes")
                .put("bytes sent by the server", r.server == null ? null : dataSent(r.server), "bytes")
                .put("MSS offered by the client", mss(isn.syn()), "bytes")
                .put("MSS offered by the server", mss(isn.synAck()), "bytes")
                .put("outcome", outcome(r));
        TimeWaitRst rst = TimeWaitRst.of(r);
        if (rst != null) f.conclude(rst.text(o));
        ObjectNode root = f.tree(o);
        ObjectNode ends = root.putObject("endpoints");
        ends.putObject("client").put("address", r.clientAddress).put("port", r.clientPort);
        ends.putObject("server").put("address", r.serverAddress).put("port", HandshakeScenario.SERVER_PORT);
        ArrayNode segments = root.putArray("segments");
        for (CapturedPacket p : r.packets) {
            segments.addObject().put("t_s", p.timeNanos() / 1e9).put("direction", p.outbound() ? "out" : "in")
                    .put("line", p.lineWithoutTime());
        }
        ArrayNode transitions = root.putArray("transitions");
        for (Transition t : r.transitions) {
            transitions.addObject().put("t_s", t.timeNanos() / 1e9).put("endpoint", t.endpoint())
                    .put("from", t.from().rfcName()).put("to", t.to().rfcName()).put("cause", t.cause());
        }
        ObjectNode n = root.putObject("isn");
        n.put("client", isn.client());
        putOrNull(n, "server", isn.server() < 0 ? null : isn.server());
        putOrNull(n, "syn_ack_ack", isn.synAck() == null ? null : isn.synAckAck());
        putOrNull(n, "final_ack_ack", isn.finalAck() == null ? null : isn.finalAckAck());
        n.put("syns_sent", isn.synsSent()).put("syn_acks_received", isn.synAcksSeen());
        return LabJson.write(root);
    }

    /** The MSS option a captured SYN or SYN-ACK carries (its interface's MTU less the headers), or null. */
    private static Integer mss(CapturedPacket p) {
        TcpSegment seg = p == null ? null : HandshakeScenario.tcp(p);
        return seg == null || seg.options.mss < 0 ? null : seg.options.mss;
    }

    private static void putOrNull(ObjectNode n, String field, Long v) {
        if (v == null) n.putNull(field);
        else n.put(field, v);
    }
}
