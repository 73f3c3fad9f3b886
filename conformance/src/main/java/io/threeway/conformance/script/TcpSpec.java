package io.threeway.conformance.script;

import java.util.List;

/**
 * The TCP fields of a packet line: {@code S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 6>}.
 * Fields a line leaves out are null (not checked on outbound packets, zero on inbound ones);
 * {@code options} is null for {@code <...>} (don't check) and empty when the line has no option list.
 *
 * @param flags the flag letters as written ({@code S.}, {@code F.}, {@code SEW}, {@code .}; empty for {@code -});
 *        AccECN's ACE field is a digit ({@code S.4})
 * @param anySeq the line wrote {@code ...(len)} (FreeBSD's packetdrill): any sequence number matches (outbound only)
 * @param seqStart the sequence number of the first byte (absolute on a SYN, relative otherwise)
 * @param seqEnd one past the last byte
 * @param payload the payload length in parentheses
 * @param srcPort the source port the line gives ({@code 8080 > 9000 S ...}), or null
 * @param dstPort the destination port the line gives, or null
 */
public record TcpSpec(String flags, boolean anySeq, long seqStart, long seqEnd, int payload, Long ack, Integer window, Integer urgent,
                      List<TcpOption> options, Integer srcPort, Integer dstPort) {

    /** Flag letters packetdrill knows: F S R P . (ACK) U E (ECE) W (CWR) A (AE), and 0-7 for AccECN's ACE field. */
    public static final String FLAG_LETTERS = ".FSRPEWAU01234567";

    public boolean has(char flag) {
        return flags.indexOf(flag) >= 0;
    }
}
