package io.threeway.cli;

import io.threeway.lab.LabJson;
import io.threeway.lab.Moments;
import io.threeway.tools.HostSnapshot;
import io.threeway.tools.NstatFormatter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code threeway nstat}: a scenario's counters as iproute2's nstat prints them. */
@Command(name = "nstat", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ScenarioOptionsMixin.ForTools.class,
        description = {"Show counters as nstat does: 'TcpExtListenOverflows           12                 0.0'.",
            "Like nstat's first run, values count from the start of the run; with --since TIME they are the",
            "increments from TIME to the moment shown (and the rate column their average per second).",
            "With --control SOCKET, a running serve's counters since it started."},
        footer = {"", "Examples:",
            "  threeway nstat --scenario backlog-overflow TcpExtListenOverflows TcpExtListenDrops",
            "  threeway nstat -az --scenario syn-flood --host syncookies=1/server 'TcpExtSyncookies*'",
            "  threeway nstat -az TcpExtListenOverflows --control /run/threeway/tw0.sock   (a running serve)"})
public final class NstatCommand implements Callable<Integer>, HostTool {
    private final Terminal terminal;

    @Option(names = {"-a", "--ignore"}, description = "Absolute values, not increments.")
    boolean absolute;
    @Option(names = {"-z", "--zeros"}, description = "Show counters that are zero too.")
    boolean zeros;
    @ScenarioOnly
    @Option(names = "--since", paramLabel = "TIME", converter = Units.DurationConverter.class,
            description = "Show increments since this virtual time (nstat's 'since the last run').")
    Duration since;
    @Option(names = {"-j", "--json"}, description = "Print the counters as nstat -j does: {\"kernel\":{\"NAME\":VALUE,...}}.")
    boolean json;
    @Parameters(paramLabel = "PATTERN", arity = "0..*", description = "Counters to show, e.g. TcpExtListenOverflows or 'Tcp*'.")
    List<String> patterns = new ArrayList<>();

    @Mixin
    Snapshots source;

    public NstatCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (source.remote()) {
            source.printRemote(terminal);
        } else {
            List<HostSnapshot> hosts = source.capture(since);
            Moments m = source.moments();
            if (json && hosts.size() > 1) {
                printJsonByHost(hosts, h -> m.earlier(h.host()));
            } else {
                print(hosts, h -> m.earlier(h.host()));
            }
        }
        return 0;
    }

    /** Every pattern is valid. */
    @Override
    public void check() {}

    /** The counters since the start, as nstat's first run prints them. */
    @Override
    public List<String> lines(HostSnapshot host) {
        return lines(host, null);
    }

    /** Prints each host's counters, as increments from {@code earlier}'s snapshot of it when there is one. */
    void print(List<HostSnapshot> hosts, Function<HostSnapshot, HostSnapshot> earlier) {
        Snapshots.print(terminal, hosts, h -> lines(h, earlier.apply(h)));
    }

    private List<String> lines(HostSnapshot h, HostSnapshot before) {
        double seconds = before == null ? 0 : (h.time() - before.time()) / 1e9;
        List<String> lines = NstatFormatter.format(h.counters(), before == null ? null : before.counters(), seconds,
                absolute, zeros);
        if (!patterns.isEmpty()) lines = filtered(lines);
        return json ? List.of(LabJson.MAPPER.writeValueAsString(document(lines))) : lines;
    }

    /**
     * Several hosts as one JSON document: each host's nstat document under its name
     * ({@code {"client":{"kernel":{...}},"server":{...}}}), where text output would head each with its name.
     */
    private void printJsonByHost(List<HostSnapshot> hosts, Function<HostSnapshot, HostSnapshot> earlier) {
        ObjectNode all = LabJson.MAPPER.createObjectNode();
        for (HostSnapshot h : hosts) {
            all.set(h.host(), LabJson.MAPPER.readTree(lines(h, earlier.apply(h)).getFirst()));
        }
        terminal.out().println(LabJson.MAPPER.writeValueAsString(all));
        terminal.out().flush();
    }

    /** nstat -j's document from the text lines: {@code {"kernel":{"TcpActiveOpens":1,...}}}. */
    private static ObjectNode document(List<String> lines) {
        ObjectNode root = LabJson.MAPPER.createObjectNode();
        ObjectNode kernel = root.putObject("kernel");
        for (String l : lines.subList(1, lines.size())) {
            String[] cols = l.trim().split("\\s+");
            kernel.put(cols[0], Long.parseLong(cols[1]));
        }
        return root;
    }

    private List<String> filtered(List<String> lines) {
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            String name = l.substring(0, l.indexOf(' ') < 0 ? l.length() : l.indexOf(' '));
            if (patterns.stream().anyMatch(p -> matches(p, name))) out.add(l);
        }
        return out;
    }

    /** nstat's shell-style patterns: {@code *} and {@code ?}. */
    static boolean matches(String pattern, String name) {
        String regex = pattern.replace(".", "\\.").replace("?", ".").replace("*", ".*");
        return name.toLowerCase(Locale.ROOT).matches(regex.toLowerCase(Locale.ROOT));
    }
}
