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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code threeway dump FILE.pcap}: a capture's packets as {@code tcpdump -nn -r FILE} prints them. */
@Command(name = "dump", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a pcap file's packets as 'tcpdump -nn -r FILE' does, one line each.",
            "Reads classic pcap (micro- or nanosecond), raw IP, Ethernet, Linux cooked and loopback captures:",
            "the files 'lab ... --pcap' writes and most that tcpdump writes."},
        footer = {"", "Exit status: 0 when the whole file was read; 1 when it cannot be read or is damaged",
            "(the lines before the damage are printed, then one line on stderr).",
            "", "Example:", "  threeway lab handshake --pcap hs.pcap && threeway dump -S hs.pcap"})
public final class DumpCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = {"-S", "--absolute-tcp-sequence-numbers"}, description = "Absolute sequence numbers, not relative.")
    boolean absolute;

    @Option(names = "--tt", description = "Seconds since time 0 instead of the time of day (tcpdump -tt).")
    boolean seconds;

    @Parameters(index = "0", paramLabel = "FILE.pcap", description = "The capture to print.")
    Path file;

    public DumpCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        TcpdumpFormatter f = new TcpdumpFormatter(seconds ? TimestampFormat.SECONDS : TimestampFormat.TIME_OF_DAY, absolute);
        try (InputStream in = Files.newInputStream(file); PcapReader r = new PcapReader(in)) {
            for (PcapPacket p; (p = r.next()) != null; ) terminal.out().println(f.format(p));
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
