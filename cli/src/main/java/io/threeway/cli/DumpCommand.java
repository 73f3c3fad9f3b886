package io.threeway.cli;

import io.threeway.trace.PcapPacket;
import io.threeway.trace.PcapReader;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.trace.TimestampFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code threeway dump FILE.pcap}: a capture's packets as {@code tcpdump -nn -r FILE} prints them. */
@Command(name = "dump", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a pcap file's packets as 'tcpdump -nn -r FILE [EXPRESSION]' does, one line each.",
            "EXPRESSION takes pcap-filter's common forms: ip, ip6, tcp, udp, icmp; [src|dst] host ADDR;",
            "[src|dst] net ADDR/LEN; [tcp|udp] [src|dst] port N; tcp[tcpflags] & tcp-syn != 0; and, or, not, ( ).",
            "Reads classic pcap (micro- or nanosecond), raw IP, Ethernet, Linux cooked and loopback captures:",
            "the files 'lab ... --pcap' writes and most that tcpdump writes."},
        footer = {"", "Exit status: 0 when the whole file was read; 1 when it cannot be read or is damaged",
            "(the lines before the damage are printed, then one line on stderr).",
            "", "Examples:", "  threeway lab handshake --pcap hs.pcap && threeway dump -S hs.pcap",
            "  threeway dump -c 3 -v hs.pcap 'tcp[tcpflags] & tcp-syn != 0'",
            "  threeway dump -X hs.pcap host 198.18.0.2 and tcp port 80"})
public final class DumpCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = {"-S", "--absolute-tcp-sequence-numbers"}, description = "Absolute sequence numbers, not relative.")
    boolean absolute;

    @Option(names = "--tt", description = "Seconds since time 0 instead of the time of day (tcpdump -tt).")
    boolean seconds;

    @Option(names = "-c", paramLabel = "N", description = "Stop after N packets (those the expression selects).")
    Integer count;

    @Option(names = "-v", description = "IP header fields, the TCP checksum, and HTTP payloads line by line, as tcpdump -v.")
    boolean verbose;

    @Option(names = "-X", description = "Each packet in hex and ASCII too, as tcpdump -X.")
    boolean hex;

    @Parameters(index = "0", paramLabel = "FILE.pcap", description = "The capture to print.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "EXPRESSION", description = "A filter (pcap-filter's common forms).")
    List<String> expression = new ArrayList<>();

    public DumpCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (count != null && count < 1) throw new ParameterException(spec.commandLine(), "-c: " + count + " is not a count of packets (at least 1)");
        Predicate<PacketFields> filter;
        try {
            filter = PacketFilter.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TcpdumpFormatter f = new TcpdumpFormatter(seconds ? TimestampFormat.SECONDS : TimestampFormat.TIME_OF_DAY, absolute);
        try (InputStream in = Files.newInputStream(file); PcapReader r = new PcapReader(in)) {
            int printed = 0;
            for (PcapPacket p; (count == null || printed < count) && (p = r.next()) != null; ) {
                if (!filter.test(PacketFields.of(p.data()))) continue;
                String line = f.format(p);
                terminal.out().println(verbose ? DumpDetail.verbose(line, p.data(), f) : line);
                if (hex) DumpDetail.hex(p.data()).forEach(terminal.out()::println);
                printed++;
            }
            terminal.out().flush();
            return 0;
        } catch (NoSuchFileException e) {
            return fail(file + ": no such file");
        } catch (IOException e) {
            return fail(file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private int fail(String message) {
        terminal.out().flush();
        terminal.err().println("threeway dump: " + message);
        terminal.err().flush();
        return Main.EXIT_FAILURE;
    }
}
