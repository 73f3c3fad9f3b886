package io.threeway.cli;

import io.threeway.lab.LabOptions;
import io.threeway.lab.Moments;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Scenarios;
import io.threeway.tools.HostSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Where the tools ({@code ss}, {@code nstat}, {@code netstat}) get their hosts from: a scenario run to its
 * end, or copied at a chosen virtual time ({@code --at}); or a running {@code threeway serve}, asked over its
 * control socket ({@code --control PATH}). The scenario runs in full and silently; only the tool's output is
 * printed. The same moments are offered from the lab's side as {@code threeway lab run NAME --at 30s --ss '-tan'}.
 * A running stack is asked with the tool's own options only (see {@link ToolRequest}); it answers with the lines
 * the tool prints for one host of a scenario.
 */
public final class Snapshots {

    /** The tool this mixin is part of, for its parsed options. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec tool;

    @Option(names = "--control", paramLabel = "SOCKET",
            description = "Ask the running stack of 'threeway serve --control SOCKET' instead of a scenario.")
    Path control;

    @Option(names = "--scenario", paramLabel = "NAME", description = "The scenario whose hosts to show (see 'threeway lab list').")
    String scenario;

    @Option(names = "--at", paramLabel = "TIME", converter = Units.DurationConverter.class,
            description = "Show the hosts at this virtual time of the run, e.g. 30s (default: the end of the run).")
    Duration at;

    @Option(names = "--host", paramLabel = "NAME",
            description = "Show only this host: client, server, or VARIANT/HOST for a scenario with variants.")
    String host;

    @Option(names = {"-P", "--param"}, paramLabel = "NAME=VALUE",
            description = "A parameter of the scenario, e.g. -P rate=500, or any of its options, e.g. -P ipv6=true "
                    + "(repeatable; see 'threeway lab NAME --help').")
    Map<String, String> params = new LinkedHashMap<>();

    /** The moments of the last {@link #capture}: the hosts at --at, and at the tool's --since. */
    private Moments moments;

    /** The moments of the last {@link #capture}. */
    Moments moments() {
        return moments;
    }

    /**
     * Whether the tool asks a running serve ({@code --control}) rather than a scenario, after checking that
     * exactly one of the two is named and that, with {@code --control}, no scenario option is given.
     */
    boolean remote() {
        if (control != null && scenario != null) {
            throw new IllegalArgumentException("--scenario and --control name two different stacks: give one");
        }
        if (control == null && scenario == null) {
            throw new IllegalArgumentException("no stack to show: give --scenario NAME, or --control SOCKET for a "
                    + "running 'threeway serve --control SOCKET'");
        }
        if (control == null) return false;
        for (OptionSpec o : tool.commandLine().getParseResult().matchedOptions()) {
            if (!o.longestName().equals("--control") && !ToolRequest.offered(tool, o)) {
                throw new IllegalArgumentException(o.longestName() + " goes with --scenario, not with --control");
            }
        }
        return true;
    }

    /** Prints what the serve at {@code --control} answers for the tool's options (one host: no heading). */
    void printRemote(Terminal t) throws IOException {
        for (String l : ControlClient.ask(control, ToolRequest.line(tool))) t.out().println(l);
        t.out().flush();
    }

    /** The hosts of the chosen scenario at the chosen moment, selected by {@code --host}. */
    List<HostSnapshot> capture(Duration since) throws Exception {
        if (remote()) throw new IllegalStateException("the tool asks a running serve, not a scenario");
        Scenario s = Scenarios.find(scenario).orElseThrow(() ->
                new IllegalArgumentException("unknown scenario '" + scenario + "' (see 'threeway lab list')"));
        ScenarioOptionsMixin common = ScenarioOptionsMixin.of(tool);
        for (var e : params.entrySet()) {
            if (LabOptions.field(s, e.getKey()) == null) {
                throw new IllegalArgumentException("scenario '" + scenario + "' has no parameter '" + e.getKey() + "'");
            }
            common.put(e.getKey(), e.getValue());
        }
        Moments m = new Moments(nanos(at), nanos(since));
        moments = m;
        ScenarioOptions o = common.toOptions(s).withMoments(m);
        s.run(o, new PrintStream(OutputStream.nullOutputStream()));
        return select(m.snapshots(), host);
    }

    static long nanos(Duration d) {
        return d == null ? -1 : d.toNanos();
    }

    /** The hosts named {@code host} (whole name, or the part after the variant), or all when null. */
    static List<HostSnapshot> select(List<HostSnapshot> all, String host) {
        if (host == null) return all;
        List<HostSnapshot> out = new ArrayList<>();
        for (HostSnapshot h : all) {
            if (h.host().equals(host) || h.host().endsWith("/" + host)) out.add(h);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no host '" + host + "' (hosts: "
                    + String.join(", ", all.stream().map(HostSnapshot::host).toList()) + ")");
        }
        return out;
    }

    /** Prints each host's lines, under a {@code # HOST at TIME} heading when there is more than one. */
    static void print(Terminal t, List<HostSnapshot> hosts, Function<HostSnapshot, List<String>> lines) {
        for (HostSnapshot h : hosts) {
            if (hosts.size() > 1) t.out().println(String.format(Locale.ROOT, "# %s at %.3f s", h.host(), h.time() / 1e9));
            for (String l : lines.apply(h)) t.out().println(l);
        }
        t.out().flush();
    }
}
