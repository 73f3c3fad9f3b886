package io.threeway.cli;

import io.threeway.lab.Moments;
import io.threeway.lab.Progress;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.LabOptions;
import io.threeway.lab.OptionException;
import java.time.Duration;
import io.threeway.lab.Scenarios;
import io.threeway.lab.file.FileScenario;
import io.threeway.lab.file.ScenarioFile;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import io.threeway.lab.record.RecordLimits;
import io.threeway.lab.record.RunRecorder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;

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
        CommandLine run = new CommandLine(new RunCommand(terminal));
        run.setStopAtPositional(true); // everything after NAME belongs to the scenario
        run.setUnmatchedOptionsArePositionalParams(true);
        lab.addSubcommand(run);
        for (Scenario s : scenarios) {
            if (RESERVED.contains(s.name())) continue; // still reachable as 'lab run NAME'
            lab.addSubcommand(s.name(), scenarioCommandLine(terminal, s));
        }
        return lab;
    }

    /** A scenario as a command: the common options, the scenario's own parameters, and the tools' views. */
    static CommandLine scenarioCommandLine(Terminal terminal, Scenario s) {
        CommandLine sub = new CommandLine(new ScenarioCommand(terminal, s));
        List<String> description = new ArrayList<>();
        description.add(ScenarioOptionsMixin.literal(s.summary() + "."));
        for (String line : s.help()) description.add(ScenarioOptionsMixin.literal(line));
        sub.getCommandSpec().usageMessage().description(description.toArray(String[]::new));
        new ScenarioOptionsMixin().install(sub.getCommandSpec(), LabOptions.fields(s), Set.of());
        sub.getCommandSpec().usageMessage().footer("",
                "With --ss, --nstat or --netstat the scenario runs silently and the tool prints its hosts at",
                "--at TIME (virtual time) or at the end of the run, e.g.",
                "  threeway lab run " + s.name() + " --at 1s --ss '-tan'");
        return sub;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: list, run NAME, or a scenario's name");
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
            description = "Run a scenario by name (see 'threeway lab list'); the options after NAME are the "
                    + "scenario's ('threeway lab run NAME --help').")
    static final class RunCommand implements Callable<Integer> {
        private final Terminal terminal;

        @Spec
        CommandSpec spec;

        @Option(names = "--file", paramLabel = "FILE.yaml",
                description = "Run a scenario of your own from a YAML file instead of NAME: hosts, links with their "
                        + "impairments, settings and applications (see docs/SCENARIO-FILES.md).")
        Path file;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The scenario, e.g. handshake.")
        String name;

        @Parameters(index = "1..*", paramLabel = "OPTION", description = "The scenario's options.")
        List<String> rest = new ArrayList<>();

        RunCommand(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws IOException {
            if (file != null) {
                List<String> args = new ArrayList<>();
                if (name != null) args.add(name); // an option after --file, taken for NAME
                args.addAll(rest);
                Scenario fromFile = new FileScenario(ScenarioFile.load(file));
                CommandLine sub = scenarioCommandLine(terminal, fromFile);
                CommandLine self = spec.commandLine();
                sub.setCommandName(spec.qualifiedName() + " --file " + file);
                sub.setOut(self.getOut());
                sub.setErr(self.getErr());
                sub.setParameterExceptionHandler(self.getParameterExceptionHandler());
                sub.setExecutionExceptionHandler(self.getExecutionExceptionHandler());
                return sub.execute(args.toArray(String[]::new));
            }
            if (name == null) {
                throw new ParameterException(spec.commandLine(), "missing NAME (see 'threeway lab list') or --file FILE.yaml");
            }
            Optional<Scenario> s = Scenarios.find(name);
            if (s.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "unknown scenario '" + name + "' (see 'threeway lab list')");
            }
            CommandLine sub = spec.parent().subcommands().get(name);
            if (sub == null) sub = scenarioCommandLine(terminal, s.get());
            return sub.execute(rest.toArray(String[]::new));
        }
    }

    /** One scenario as its own subcommand; name, description and parameters are set from the scenario. */
    @Command(mixinStandardHelpOptions = true, sortOptions = false)
    static final class ScenarioCommand implements Callable<Integer> {
        private final Terminal terminal;
        private final Scenario scenario;

        @Spec
        CommandSpec spec;

        @Option(names = "--at", order = ScenarioOptionsMixin.AFTER, paramLabel = "TIME", converter = Units.DurationConverter.class,
                description = "With a tool view: show the hosts at this virtual time (default: the end of the run).")
        Duration at;

        @Option(names = "--host", order = ScenarioOptionsMixin.AFTER, paramLabel = "NAME", description = "With a tool view: only this host (client, server, VARIANT/HOST).")
        String host;

        @Option(names = "--ss", order = ScenarioOptionsMixin.AFTER, paramLabel = "ARGS", description = "Instead of the report, print 'ss ARGS' of the hosts, e.g. '-tan state time-wait'.")
        String ss;

        @Option(names = "--nstat", order = ScenarioOptionsMixin.AFTER, paramLabel = "ARGS", arity = "0..1", fallbackValue = "",
                description = "Instead of the report, print 'nstat ARGS' of the hosts, e.g. '-az'.")
        String nstat;

        @Option(names = "--netstat", order = ScenarioOptionsMixin.AFTER, description = "Instead of the report, print 'netstat -s' of the hosts.")
        boolean netstat;

        @Option(names = "--series", paramLabel = "FILE.csv|FILE.json",
                description = "Also write each connection's figures over time (cwnd, ssthresh, bytes in flight, SRTT,"
                        + " RTO, advertised and peer's window, Recv-Q, Send-Q, state) at every change: CSV, or JSON"
                        + " when FILE ends in .json (the data the web lab plots).")
        Path series;

        ScenarioCommand(Terminal terminal, Scenario scenario) {
            this.terminal = terminal;
            this.scenario = scenario;
        }

        @Override
        public Integer call() throws Exception {
            ScenarioOptions o;
            try {
                o = ScenarioOptionsMixin.of(spec).toOptions(scenario);
            } catch (OptionException.OptionsException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            boolean tools = ss != null || nstat != null || netstat;
            if (tools && series != null) {
                throw new ParameterException(spec.commandLine(), "--series goes with a run's report, not with --ss, --nstat or --netstat");
            }
            if (!tools && (at != null || host != null)) {
                throw new ParameterException(spec.commandLine(), "--at and --host go with --ss, --nstat or --netstat");
            }
            if (!tools) {
                Progress bar = o.json() ? Progress.NONE : ProgressBar.forTerminal(terminal.err());
                o = o.withProgress(bar);
                RunRecorder recorder = series == null ? null
                        : new RunRecorder(RecordLimits.SERIES, false);
                if (series != null) SeriesFile.checkWritable(series);
                try {
                    int status = scenario.run(o.withRecorder(recorder), terminal.out());
                    terminal.out().flush();
                    if (series != null) SeriesFile.write(series, recorder, terminal);
                    return status;
                } finally {
                    if (bar instanceof ProgressBar b) b.done();
                }
            }
            // Parse the tools' arguments first, so a typo fails before the run.
            SsCommand ssCmd = new SsCommand(terminal);
            if (ss != null) {
                new CommandLine(ssCmd).parseArgs(words(ss));
                ssCmd.check();
            }
            NstatCommand nstatCmd = new NstatCommand(terminal);
            if (nstat != null) new CommandLine(nstatCmd).parseArgs(words(nstat));
            Moments m = new Moments(Snapshots.nanos(at), Snapshots.nanos(nstatCmd.since));
            scenario.run(o.withMoments(m), new PrintStream(OutputStream.nullOutputStream()));
            var hosts = Snapshots.select(m.snapshots(), host);
            if (ss != null) ssCmd.print(hosts);
            if (nstat != null) nstatCmd.print(hosts, h -> m.earlier(h.host()));
            if (netstat) NetstatCommand.print(terminal, hosts);
            return 0;
        }

        private static String[] words(String args) {
            String t = args.strip();
            return t.isEmpty() ? new String[0] : t.split("\\s+");
        }
    }
}
