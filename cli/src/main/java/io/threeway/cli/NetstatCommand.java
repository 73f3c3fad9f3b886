package io.threeway.cli;

import io.threeway.tools.HostSnapshot;
import io.threeway.tools.NetstatFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code threeway netstat -s}: a scenario's counters in netstat's sentences. */
@Command(name = "netstat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show counters as 'netstat -s' does ('12 times the listen queue of a socket overflowed')."},
        footer = {"", "Example:", "  threeway netstat -s --scenario syn-flood --host syncookies=1/server"})
public final class NetstatCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--statistics"}, description = "Counters by protocol (the only view offered).")
    boolean statistics;

    @Mixin
    Snapshots source;

    @Mixin
    ScenarioOptionsMixin scenarioOptions;

    public NetstatCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (!statistics) throw new ParameterException(spec.commandLine(), "only 'netstat -s' is offered");
        List<HostSnapshot> hosts = source.capture(scenarioOptions, null);
        print(terminal, hosts);
        return 0;
    }

    static void print(Terminal terminal, List<HostSnapshot> hosts) {
        Snapshots.print(terminal, hosts, h -> NetstatFormatter.format(h.counters()));
    }
}
