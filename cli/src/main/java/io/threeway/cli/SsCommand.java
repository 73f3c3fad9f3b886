package io.threeway.cli;

import io.threeway.tools.HostSnapshot;
import io.threeway.tools.SsFilter;
import io.threeway.tools.SsFormatter;
import io.threeway.tools.SsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code threeway ss}: the socket table of a scenario's hosts, as iproute2's ss prints it. */
@Command(name = "ss", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ScenarioOptionsMixin.ForTools.class,
        description = {"Show sockets as 'ss -t' does: State, Recv-Q, Send-Q, Local Address:Port, Peer Address:Port.",
            "The hosts are a scenario's, at the end of its run or at --at TIME (virtual time), or a running",
            "serve's, asked over its control socket (--control SOCKET).",
            "On a listener Recv-Q is the accept queue's length and Send-Q its limit (the backlog)."},
        footer = {"", "Filters: state STATE (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait,",
            "close-wait, last-ack, listening, closing, closed; all, connected, synchronized, bucket, big),",
            "dst ADDR[/PREFIX][:PORT], src ADDR[/PREFIX][:PORT].",
            "", "Examples:",
            "  threeway ss -tan --scenario time-wait-exhaustion --at 20s -P rate=500 -s",
            "  threeway ss -tn state time-wait --scenario connection-pool --host client",
            "  threeway ss -tlnp --scenario backlog-overflow --at 2s",
            "  threeway ss -tan state time-wait --control /run/threeway/tw0.sock   (a running serve)",
            "  threeway lab run backlog-overflow --at 2s --ss '-tlno'     (the same, from the lab's side)"})
public final class SsCommand implements Callable<Integer>, HostTool {
    private final Terminal terminal;

    @Option(names = {"-t", "--tcp"}, description = "TCP sockets (the only kind Threeway has).")
    boolean tcp;
    @Option(names = {"-a", "--all"}, description = "Listening and non-listening sockets, TIME-WAIT and SYN-RECV included.")
    boolean all;
    @Option(names = {"-l", "--listening"}, description = "Listening sockets only.")
    boolean listening;
    @Option(names = {"-n", "--numeric"}, description = "Do not name services (80, not http).")
    boolean numeric;
    @Option(names = {"-i", "--info"}, description = "TCP details under each connection (rto, rtt, cwnd, bytes...).")
    boolean info;
    @Option(names = {"-o", "--options"}, description = "Timers: timer:(on|persist|keepalive|timewait,TIME,COUNT).")
    boolean timers;
    @Option(names = {"-s", "--summary"}, description = "The summary line: TCP: N (estab N, closed N, orphaned N, timewait N).")
    boolean summary;
    @Option(names = {"-p", "--processes"}, description = "Accepted for habit's sake; Threeway's sockets have no process.")
    boolean processes;
    @Option(names = {"-4", "--ipv4"}, description = "IPv4 sockets only.")
    boolean ipv4;
    @Option(names = {"-6", "--ipv6"}, description = "IPv6 sockets only.")
    boolean ipv6;

    @Parameters(paramLabel = "FILTER", arity = "0..*", description = "state STATE, dst ADDR, src ADDR.")
    List<String> filter = new ArrayList<>();

    @Mixin
    Snapshots source;

    public SsCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        check(); // before the scenario runs, or the request is sent
        if (source.remote()) {
            source.printRemote(terminal);
        } else {
            print(source.capture(null));
        }
        return 0;
    }

    /** The filter words must parse. */
    @Override
    public void check() {
        SsFilter.parse(filter);
    }

    @Override
    public List<String> lines(HostSnapshot host) {
        SsOptions o = new SsOptions(all, listening, numeric, info, timers, summary, ipv4, ipv6);
        return SsFormatter.format(host, o, SsFilter.parse(filter));
    }

    /** Prints {@code hosts} with this command's options and filter. */
    void print(List<HostSnapshot> hosts) {
        Snapshots.print(terminal, hosts, this::lines);
    }
}
