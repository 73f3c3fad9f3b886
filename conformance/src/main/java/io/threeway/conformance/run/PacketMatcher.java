package io.threeway.conformance.run;

import io.threeway.conformance.script.IpInfo;
import io.threeway.conformance.script.TcpSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a packet the stack sent with the line that expected it, with packetdrill's rules (run_packet.c's
 * verify_outbound_live_packet): all flag bits exactly; the sequence, ACK and SACK numbers translated into the
 * script's space ({@link Peer}); the window and urgent pointer when the line gives them; the options one by one
 * unless the line says {@code <...>}: the same kinds and lengths, the same bytes except the timestamp's, whose
 * TSval is the stack's clock (checked only with {@code --tcp_ts_tick_usecs}) and whose TSecr packetdrill does not
 * check; the IP ECN field or TOS byte and TTL when the line gives them.
 */
final class PacketMatcher {
    private PacketMatcher() {}

    /**
     * The differences, empty when the packet matches; learns the stack's ISN and TSvals on the way.
     *
     * @param tsTickUs packetdrill's --tcp_ts_tick_usecs: 0 (the default) leaves TSval unchecked
     * @param toleranceUs how far TSval may stray, in microseconds of ticks
     */
    static List<String> compare(TcpSpec want, IpInfo ip, SentPacket got, Peer peer, long tsTickUs, long toleranceUs) {
        List<String> diffs = new ArrayList<>();
        if (!got.tcp()) {
            diffs.add("not a TCP packet");
            return diffs;
        }
        int wantFlags = Flags.bits(want.flags());
        if (wantFlags != got.flags()) diffs.add("flags " + Flags.letters(got.flags()) + " instead of " + (want.flags().isEmpty() ? "-" : want.flags()));
        boolean syn = (got.flags() & 0x02) != 0;
        if (syn && !peer.localIsnKnown && !want.anySeq()) peer.learnLocalIsn(want.seqStart(), got.seq());
        long seq = peer.localToScript(got.seq(), syn);
        if (!want.anySeq() && seq != (want.seqStart() & 0xFFFFFFFFL)) diffs.add("seq " + seq + " instead of " + want.seqStart());
        if (got.payload() != want.payload()) diffs.add("length " + got.payload() + " instead of " + want.payload());
        long ack = peer.remoteToScript(got.ack(), syn);
        if (want.ack() != null && ack != (want.ack() & 0xFFFFFFFFL)) diffs.add("ack " + ack + " instead of " + want.ack());
        if (want.window() != null && got.window() != want.window()) diffs.add("win " + got.window() + " instead of " + want.window());
        if (want.urgent() != null && got.urgent() != want.urgent()) diffs.add("urg " + got.urgent() + " instead of " + want.urgent());
        if (want.options() != null) {
            String o = OptionCompare.compare(want.options(), got.options(), peer, syn, tsTickUs, toleranceUs);
            if (o != null) diffs.add(o);
        }
        String ipDiff = ipFields(ip, got);
        if (ipDiff != null) diffs.add(ipDiff);
        return diffs;
    }

    /** verify_outbound_live_tos and the TTL: the ECN field, ECT(0) or ECT(1) for {@code ect01}, or the whole TOS. */
    private static String ipFields(IpInfo ip, SentPacket got) {
        int ecn = got.tos() & 3;
        if ("ect01".equals(ip.ecn())) {
            if (ecn != 1 && ecn != 2) return "IP ECN field " + ecnName(ecn) + " instead of ECT(0) or ECT(1)";
        } else if (ip.ecn() != null) {
            if (ecn != ip.ecnBits()) return "IP ECN field " + ecnName(ecn) + " instead of " + ecnName(ip.ecnBits());
        } else if (ip.tos() != null && got.tos() != ip.tos()) {
            return String.format("IP TOS 0x%02x instead of 0x%02x", got.tos(), ip.tos());
        }
        if (ip.ttl() != null && got.ttl() != ip.ttl()) return "TTL " + got.ttl() + " instead of " + ip.ttl();
        return null;
    }

    static String ecnName(int bits) {
        return switch (bits) {
            case 0 -> "not-ECT";
            case 1 -> "ECT(1)";
            case 2 -> "ECT(0)";
            default -> "CE";
        };
    }

    /** A sent packet in script notation, numbers relative as the script would write them. */
    static String describe(SentPacket p, Peer peer) {
        if (!p.tcp()) return "a non-TCP packet of " + p.packet().length + " bytes";
        boolean syn = (p.flags() & 0x02) != 0;
        long seq = peer.localToScript(p.seq(), syn);
        StringBuilder s = new StringBuilder("> ");
        if ((p.tos() & 3) != 0) s.append('[').append(switch (p.tos() & 3) { case 1 -> "ect1"; case 2 -> "ect0"; default -> "ce"; }).append("] ");
        s.append(Flags.letters(p.flags())).append(' ')
                .append(seq).append(':').append((seq + p.payload()) & 0xFFFFFFFFL).append('(').append(p.payload()).append(')');
        if ((p.flags() & 0x10) != 0) s.append(" ack ").append(peer.remoteToScript(p.ack(), syn));
        s.append(" win ").append(p.window());
        if (p.options().length > 0) {
            s.append(" <").append(OptionBytes.describe(p.options(), 0, p.options().length, x -> peer.remoteToScript(x, syn))).append('>');
        }
        return s.toString();
    }

    /** Option bytes as a list of options (EOL and NOP one byte each; a malformed tail kept whole). */
    static List<byte[]> split(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < b.length) {
            int kind = b[i] & 0xFF;
            int len = kind <= 1 ? 1 : (i + 1 < b.length ? Math.max(2, b[i + 1] & 0xFF) : b.length - i);
            len = Math.min(len, b.length - i);
            out.add(Arrays.copyOfRange(b, i, i + len));
            i += len;
        }
        return out;
    }
}
