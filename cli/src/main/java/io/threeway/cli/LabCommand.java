package io.threeway.cli;

import io.threeway.lab.Scenario;
import io.threeway.lab.Scenarios;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code threeway lab}: the scenarios. Each scenario on the class path is a subcommand of its own
 * ({@code threeway lab handshake}) and can also be run as {@code threeway lab run NAME}.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Deterministic experiments with TCP over a simulated network.")
public final class LabCommand implements Callable<Integer> {

    private static final Set<String> RESERVED = Set.of("list", "run", "help");

    @Spec
    CommandSpec spec;

    /** The {@code lab} command with {@code list}, {@code run} and one subcommand per scenario. */
    static CommandLine commandLine(Terminal terminal) {
        List<Scenario> scenarios = Scenarios.all();
        CommandLine lab = new CommandLine(new LabCommand());
        lab.addSubcommand(new ListCommand(terminal, scenarios));
        lab.addSubcommand(new RunCommand(terminal));
        for (Scenario s : scenarios) {
            if (RESERVED.contains(s.name())) continue; // still reachable as 'lab run NAME'
            CommandLine sub = new CommandLine(new ScenarioCommand(terminal, s));
            sub.getCommandSpec().usageMessage().description(s.summary());
            lab.addSubcommand(s.name(), sub);
        }
        return lab;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: list, run NAME, or a scenario's name");
    }

    static int runScenario(Terminal terminal, Scenario scenario, ScenarioOptionsMixin options) throws Exception {
        int status = scenario.run(options.toOptions(), terminal.out());
        terminal.out().flush();
        return status;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the scenarios.")
    static final class ListCommand implements Callable<Integer> {
        private final Terminal terminal;
        private final List<Scenario> scenarios;

        ListCommand(Terminal terminal, List<Scenario> scenarios) {
            this.terminal = terminal;
            this.scenarios = scenarios;
        }

        @Override
        public Integer call() {
            int width = scenarios.stream().mapToInt(s -> s.name().length()).max().orElse(0);
            for (Scenario s : scenarios) {
                terminal.out().println(String.format("%-" + width + "s  %s", s.name(), s.summary()));
            }
            terminal.out().flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run a scenario by name (see 'threeway lab list').")
    static final class RunCommand implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The scenario, e.g. handshake.")
        String name;

        @Mixin
        ScenarioOptionsMixin options;

        RunCommand(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws Exception {
            Optional<Scenario> s = Scenarios.find(name);
            if (s.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "unknown scenario '" + name + "' (see 'threeway lab list')");
            }
            return runScenario(terminal, s.get(), options);
        }
    }

    /** One scenario as its own subcommand; name and description are set from the scenario. */
    @Command(mixinStandardHelpOptions = true, sortOptions = false)
    static final class ScenarioCommand implements Callable<Integer> {
        private final Terminal terminal;
        private final Scenario scenario;

        @Mixin
        ScenarioOptionsMixin options;

        ScenarioCommand(Terminal terminal, Scenario scenario) {
            this.terminal = terminal;
            this.scenario = scenario;
        }

        @Override
        public Integer call() throws Exception {
            return runScenario(terminal, scenario, options);
        }
    }
}
