package io.threeway.fuzz;

import static io.threeway.fuzz.FuzzFinding.check;

import io.threeway.trace.PcapPacket;
import io.threeway.trace.PcapReader;
import io.threeway.trace.TcpdumpFormatter;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * A pcap file read as {@code threeway dump} reads it: {@code PcapReader} for the file and every record, and
 * {@code TcpdumpFormatter} for each packet's line. A damaged file must fail with an {@code IOException} that says
 * what is wrong; every packet, however malformed, formats to one line.
 */
final class PcapTarget implements FuzzTarget {
    /** Records read at most per input, so a file of tiny records stays quick. */
    private static final int MAX_RECORDS = 10_000;

    @Override
    public String name() { return "pcap"; }

    @Override
    public String description() { return "pcap files (PcapReader) and each packet's tcpdump line (TcpdumpFormatter)"; }

    @Override
    public void fuzz(byte[] input) {
        TcpdumpFormatter formatter = new TcpdumpFormatter();
        try (PcapReader reader = new PcapReader(new ByteArrayInputStream(input))) {
            PcapPacket p;
            for (int n = 0; n < MAX_RECORDS && (p = reader.next()) != null; n++) {
                check(p.data().length <= input.length, "a record larger than the file");
                String line = formatter.format(p);
                check(line != null && line.indexOf('\n') < 0, () -> "not one line: " + line);
            }
        } catch (IOException e) {
            check(e.getMessage() != null && !e.getMessage().isBlank(), "an IOException without a reason");
        }
    }
}
