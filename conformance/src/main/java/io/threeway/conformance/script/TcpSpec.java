package io.threeway.conformance.script;

import java.util.List;

/**
 * The TCP fields of a packet line: {@code S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 6>}.
 * Fields a line leaves out are null (not checked on outbound packets, zero on inbound ones);
 * {@code options} is null for {@code <...>} (don't check) and empty when the line has no option list.
 *
 * @param flags the flag letters as written ({@code S.}, {@code F.}, {@code SEW}, {@code .})
 * @param anySeq the line wrote {@code ...(len)}: any sequence number matches (outbound only)
 * @param seqStart the sequence number of the first byte (absolute on a SYN, relative otherwise)
 * @param seqEnd one past the last byte
 * @param payload the payload length in parentheses
 */
public record TcpSpec(String flags, boolean anySeq, long seqStart, long seqEnd, int payload, Long ack, Integer window, Integer urgent,
                      List<TcpOption> options, String ecn) {

    /** Flag letters packetdrill knows: F S R P . (ACK) U E (ECE) W (CWR). */
    public static final String FLAG_LETTERS = "FSRP.UEW";

    public boolean has(char flag) {
        return flags.indexOf(flag) >= 0;
    }
}
