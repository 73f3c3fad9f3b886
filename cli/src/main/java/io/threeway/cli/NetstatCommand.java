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
        modelTransformer = ScenarioOptionsMixin.ForTools.class,
        description = {"Show counters as 'netstat -s' does ('12 times the listen queue of a socket overflowed')."},
        footer = {"", "Examples:", "  threeway netstat -s --scenario syn-flood --host syncookies=1/server",
            "  threeway netstat -s --control /run/threeway/tw0.sock   (a running serve)"})
public final class NetstatCommand implements Callable<Integer>, HostTool {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--statistics"}, description = "Counters by protocol (the only view offered).")
    boolean statistics;

    @Mixin
    Snapshots source;

    public NetstatCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        check();
        if (source.remote()) {
            source.printRemote(terminal);
        } else {
            print(terminal, source.capture(null));
        }
        return 0;
    }

    /** {@code -s} is the only view. */
    @Override
    public void check() {
        if (!statistics) throw new ParameterException(spec.commandLine(), "only 'netstat -s' is offered");
    }

    @Override
    public List<String> lines(HostSnapshot host) {
        return NetstatFormatter.format(host.counters());
    }

    static void print(Terminal terminal, List<HostSnapshot> hosts) {
        Snapshots.print(terminal, hosts, h -> NetstatFormatter.format(h.counters()));
    }
}
