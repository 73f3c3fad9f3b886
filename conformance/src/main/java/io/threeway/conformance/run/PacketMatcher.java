package io.threeway.conformance.run;

import io.threeway.conformance.script.TcpSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a packet the stack sent with the line that expected it, with packetdrill's rules: the flags
 * exactly; the sequence range relative to the stack's ISN (learned from its first SYN); the ACK, window and
 * urgent pointer when the line gives them; the options byte for byte unless the line says {@code <...>},
 * except TSval, which is the stack's clock (its offset from the script's value is learned instead).
 */
final class PacketMatcher {
    private PacketMatcher() {}

    /** The differences, empty when the packet matches; learns the ISN and TS offset on the way. */
    static List<String> compare(TcpSpec want, SentPacket got, Peer peer) {
        List<String> diffs = new ArrayList<>();
        if (!got.tcp()) {
            diffs.add("not a TCP packet");
            return diffs;
        }
        int wantFlags = Flags.bits(want.flags());
        if (wantFlags != got.flags()) diffs.add("flags " + Flags.letters(got.flags()) + " instead of " + want.flags());
        if ((got.flags() & 0x02) != 0 && !peer.localIsnKnown && !want.anySeq()) {
            peer.localIsn = (got.seq() - want.seqStart()) & 0xFFFFFFFFL;
            peer.localIsnKnown = true;
        }
        long seq = peer.localRelative(got.seq());
        if (!want.anySeq() && seq != (want.seqStart() & 0xFFFFFFFFL)) diffs.add("seq " + seq + " instead of " + want.seqStart());
        if (got.payload() != want.payload()) diffs.add("length " + got.payload() + " instead of " + want.payload());
        if (want.ack() != null && got.ack() != (want.ack() & 0xFFFFFFFFL)) diffs.add("ack " + got.ack() + " instead of " + want.ack());
        if (want.window() != null && got.window() != want.window()) diffs.add("win " + got.window() + " instead of " + want.window());
        if (want.urgent() != null && got.urgent() != want.urgent()) diffs.add("urg " + got.urgent() + " instead of " + want.urgent());
        if (want.options() != null) {
            OptionBytes.Encoded e = OptionBytes.encode(want.options(), x -> x, x -> x);
            byte[] expected = e.bytes();
            byte[] actual = got.options();
            // TSval is the stack's clock: copy it over before comparing, and learn its offset.
            if (expected.length == actual.length) {
                for (int off : e.tsValOffsets()) {
                    if (actual.length >= off + 4 && actual[off - 2] == 8) {
                        long scriptVal = OptionBytes.u32(expected, off);
                        long wireVal = OptionBytes.u32(actual, off);
                        if (!peer.tsOffsetKnown) {
                            peer.tsOffset = (wireVal - scriptVal) & 0xFFFFFFFFL;
                            peer.tsOffsetKnown = true;
                        }
                        System.arraycopy(actual, off, expected, off, 4);
                    }
                }
            }
            if (!Arrays.equals(expected, actual)) {
                diffs.add("options <" + OptionBytes.describe(actual, 0, actual.length, x -> x) + "> instead of <"
                        + OptionBytes.describe(e.bytes(), 0, e.bytes().length, x -> x) + ">");
            }
        }
        return diffs;
    }

    /** A sent packet in script notation, numbers relative as the script would write them. */
    static String describe(SentPacket p, Peer peer) {
        if (!p.tcp()) return "a non-TCP packet of " + p.packet().length + " bytes";
        long seq = peer.localRelative(p.seq());
        StringBuilder s = new StringBuilder("> ").append(Flags.letters(p.flags())).append(' ')
                .append(seq).append(':').append((seq + p.payload()) & 0xFFFFFFFFL).append('(').append(p.payload()).append(')');
        if ((p.flags() & 0x10) != 0) s.append(" ack ").append(p.ack());
        s.append(" win ").append(p.window());
        if (p.options().length > 0) s.append(" <").append(OptionBytes.describe(p.options(), 0, p.options().length, x -> x)).append('>');
        return s.toString();
    }
}
