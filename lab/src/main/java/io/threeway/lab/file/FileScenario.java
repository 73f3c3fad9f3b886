package io.threeway.lab.file;

import io.threeway.lab.Findings;
import io.threeway.lab.Durations;
import io.threeway.lab.LinkOptions;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Testbed;
import io.threeway.lab.file.ScenarioFile.AppSpec;
import io.threeway.lab.file.ScenarioFile.HostSpec;
import io.threeway.lab.file.ScenarioFile.LinkSpec;
import io.threeway.host.Stack;
import io.threeway.sim.Link;
import io.threeway.socket.ThreewaySockets;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario of the user's own ({@code threeway lab run --file my.yaml}): the file's hosts, links and applications
 * on one simulated network, with the same common options, tools, pcap, JSON and series as the built-in scenarios.
 * The command line's path options apply to the links that do not set them; one every link sets is refused.
 */
public final class FileScenario implements Scenario {
    private final ScenarioFile file;

    public FileScenario(ScenarioFile file) {
        this.file = file;
    }

    /** The file as read. */
    public ScenarioFile file() { return file; }

    @Override public String name() { return file.name(); }

    @Override
    public String summary() {
        return file.description().isEmpty() ? "A scenario from " + file.source() : file.description();
    }

    @Override
    public List<String> help() {
        return List.of(file.hosts().size() + " hosts, " + file.links().size() + " links, " + file.apps().size()
                + " applications, for " + Durations.format(file.duration()) + " (from " + file.source() + ").");
    }

    @Override public boolean supportsIpv6() { return true; }

    @Override
    public Map<String, String> refusedOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : file.fieldsEveryLinkSets()) {
            out.put(f, "every link of " + file.source() + " sets '" + f + "': change it there");
        }
        return out;
    }

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        findings(options).print(options, out);
        return 0;
    }

    /** Runs the file's scenario; its report, every figure read from the run. */
    public Findings findings(ScenarioOptions options) {
        Map<AppSpec, AppStats> stats = new LinkedHashMap<>();
        Map<String, Stack> hosts = new LinkedHashMap<>();
        List<Link> links = new ArrayList<>();
        List<LinkOptions> paths = new ArrayList<>();
        long end = file.duration();
        try (Testbed tb = new Testbed(options, name(), true)) {
            for (HostSpec h : file.hosts()) {
                Stack s = tb.host(h.name());
                for (String a : h.sysctls()) s.sysctls().assign(a);
                hosts.put(h.name(), s);
            }
            for (int i = 0; i < file.links().size(); i++) {
                paths.add(FileLinks.merge(file, file.links().get(i), i, tb));
                links.add(link(tb, hosts, file.links().get(i), i, paths.getLast()));
            }
            tb.trace(file.capture());
            tb.sim().scheduler().useVirtualThreads(true);
            Map<String, ThreewaySockets> sockets = new LinkedHashMap<>();
            for (var e : hosts.entrySet()) sockets.put(e.getKey(), sockets(tb, e.getValue()));
            tb.start(end);
            for (AppSpec a : file.apps()) {
                AppStats st = new AppStats();
                stats.put(a, st);
                FileApps.start(tb, a, sockets.get(a.host()), a.kind().server ? null : target(tb, a), st, end);
            }
            for (HostSpec h : file.hosts()) if (h.crashAt() >= 0) crash(tb, h, hosts.get(h.name()), sockets, stats, end);
            tb.sim().runUntil(end);
            return FileReport.findings(file, hosts, links, paths, stats, tb.now());
        }
    }

    private Link link(Testbed tb, Map<String, Stack> hosts, LinkSpec l, int index, LinkOptions path) {
        try {
            return tb.link(hosts.get(l.a()), l.aAddress(), hosts.get(l.b()), l.bAddress(), 24, path.config());
        } catch (IllegalArgumentException e) {
            throw new FileError(file.source(), l.line(), "links[" + index + "]", e.getMessage()
                    + (tb.address("198.18.0.1").equals("198.18.0.1") ? "" : " (with -6, a file's IPv4 addresses must be in 198.18.0.0/15)"));
        }
    }

    /** The address a client connects to: its server host's address on their shared link, or the address written. */
    private String target(Testbed tb, AppSpec a) {
        String shared = FileParts.address(file.links(), a.host(), a.to());
        return tb.address(shared != null ? shared : a.to());
    }

    private static ThreewaySockets sockets(Testbed tb, Stack s) {
        return ThreewaySockets.on(s, tb.sim().scheduler());
    }

    /** The host crashes at its time and comes straight back; its servers listen again (the service restarts). */
    private void crash(Testbed tb, HostSpec h, Stack s, Map<String, ThreewaySockets> sockets, Map<AppSpec, AppStats> stats,
                       long end) {
        tb.sim().schedule(h.crashAt(), () -> {
            s.reboot(tb.now());
            for (AppSpec a : file.apps()) {
                if (a.host().equals(h.name()) && a.kind().server) FileApps.listen(tb, a, sockets.get(h.name()), stats.get(a), end);
            }
        });
    }
}
