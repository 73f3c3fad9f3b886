package io.threeway.cli;

import io.threeway.settings.Sysctls;
import io.threeway.lab.ScenarioOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every lab scenario takes. */
public final class ScenarioOptionsMixin {

    @Option(names = "--rtt", paramLabel = "DURATION", defaultValue = "100ms",
            converter = Units.DurationConverter.class,
            description = "Round-trip time of the simulated path, e.g. 100ms, 1.5s, 250us (default: ${DEFAULT-VALUE}).")
    Duration rtt;

    @Option(names = "--loss", paramLabel = "RATE", defaultValue = "0", converter = Units.LossConverter.class,
            description = "Probability that the path drops a packet, each direction: a fraction from 0 to 1 "
                    + "(e.g. 0.1) or a percentage (10%%) (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed for every random choice: the same seed gives the same run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Write the packets to FILE in pcap format (tcpdump -r FILE, Wireshark).")
    Path pcap;

    @Option(names = "--json", description = "Print a JSON report instead of text.")
    boolean json;

    @Option(names = "--sysctl", paramLabel = "NAME=VALUE", converter = SysctlAssignment.Converter.class,
            description = "Change a setting on every host, e.g. net.ipv4.tcp_syn_retries=2 (repeatable; "
                    + "see 'threeway sysctl -a').")
    List<SysctlAssignment> sysctls = new ArrayList<>();

    @Option(names = "--sysctl-file", paramLabel = "FILE",
            description = "Apply a settings file ('name = value' a line) before any --sysctl.")
    Path sysctlFile;

    /** The options as the lab takes them; a bad settings file gives IllegalArgumentException or IOException. */
    public ScenarioOptions toOptions() throws IOException {
        Sysctls s = new Sysctls();
        if (sysctlFile != null) SettingsFile.loadStrict(sysctlFile, s);
        for (SysctlAssignment a : sysctls) a.applyTo(s);
        return new ScenarioOptions(rtt, loss, seed, pcap, json, s);
    }
}
