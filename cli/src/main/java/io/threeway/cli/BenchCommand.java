package io.threeway.cli;

import io.threeway.bench.BenchReport;
import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.suite.BenchRows;
import io.threeway.bench.BenchSettings;
import io.threeway.bench.jmh.JmhRow;
import io.threeway.bench.memory.MemoryRow;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code threeway bench}: the suite of {@code io.threeway.bench}, each row Threeway against a baseline doing
 * the same work in the same run; {@code bench all} runs every row. Packets go only to loopback and to
 * namespaces the suite creates.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: Threeway against lwIP, the kernel and veth doing the same work in the same run "
                + "(loopback and namespaces the bench creates only).")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static CommandLine commandLine(Terminal terminal) {
        CommandLine bench = new CommandLine(new BenchCommand());
        for (BenchRow row : BenchRows.all()) bench.addSubcommand(row.name(), rowCommand(terminal, row));
        CommandLine all = new CommandLine(new RowCommand(terminal, null));
        all.getCommandSpec().usageMessage().description("every row in order: " + String.join(", ",
                BenchRows.all().stream().map(BenchRow::name).toList()));
        bench.addSubcommand("all", all);
        return bench;
    }

    private static CommandLine rowCommand(Terminal terminal, BenchRow row) {
        CommandLine cl = new CommandLine(new RowCommand(terminal, row));
        cl.getCommandSpec().usageMessage().description(row.description());
        return cl;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** One row ({@code row} set) or every row ({@code all}). */
    @Command(mixinStandardHelpOptions = true, sortOptions = false)
    static final class RowCommand implements Callable<Integer> {
        private final Terminal terminal;
        private final BenchRow row;

        @Spec
        CommandSpec spec;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "3", converter = WholeSeconds.class,
                description = "Measured whole seconds per side of each comparison, e.g. 3 or 3s (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s",
                converter = Units.DurationConverter.class,
                description = "Time each side runs before measuring, e.g. 500ms (default: ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
                description = "Runs of each fixed-size comparison (lwIP's); the best of each side is kept (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--include", paramLabel = "REGEX",
                description = "jmh only: the benchmarks to run (default: every one under io.threeway.bench.jmh).")
        String include;

        @Option(names = "--connections", paramLabel = "N",
                description = "memory only: entries of each kind measured (default: " + MemoryRow.DEFAULT_CONNECTIONS + ").")
        Integer connections;

        @Option(names = "--quick", description = "Tiny runs (50 ms warm-up, 200 ms measured): checks that a row works; "
                + "its figures are too short to quote.")
        boolean quick;

        @Option(names = "--json", description = "Print a JSON array, one object per comparison.")
        boolean json;

        @Option(names = "--markdown", description = "Print a Markdown table (as in the README's Performance section).")
        boolean markdown;

        RowCommand(Terminal terminal, BenchRow row) {
            this.terminal = terminal;
            this.row = row;
        }

        @Override
        public Integer call() throws Exception {
            BenchSettings s = settings();
            List<BenchResult> results = new ArrayList<>();
            for (BenchRow r : row == null ? BenchRows.all() : List.of(row)) {
                BenchRow run = include != null && r instanceof JmhRow ? new JmhRow(include)
                        : connections != null && r instanceof MemoryRow ? new MemoryRow(connections) : r;
                if (!json && !markdown) terminal.err().println("bench: running " + r.name() + "...");
                terminal.err().flush();
                results.addAll(run.run(s));
            }
            PrintWriter out = new PrintWriter(terminal.out(), false, terminal.out().charset());
            if (json) {
                out.println(BenchReport.json(results));
            } else if (markdown) {
                out.print(BenchReport.markdown(results));
            } else {
                BenchReport.table(results, out);
            }
            out.flush();
            return 0;
        }

        private BenchSettings settings() {
            if (json && markdown) throw new IllegalArgumentException("--json and --markdown exclude each other");
            if (include != null && row != null && !(row instanceof JmhRow)) {
                throw new IllegalArgumentException("--include applies to jmh only");
            }
            if (connections != null && row != null && !(row instanceof MemoryRow)) {
                throw new IllegalArgumentException("--connections applies to memory only");
            }
            if (connections != null && (connections < 1000 || connections > 10_000_000)) {
                throw new IllegalArgumentException("--connections must be from 1000 to 10000000, got " + connections);
            }
            if (quick) return BenchSettings.tiny();
            if (seconds < 1 || seconds > 3600) throw new IllegalArgumentException("--seconds must be from 1 to 3600, got " + seconds);
            if (repeats < 1 || repeats > 100) throw new IllegalArgumentException("--repeats must be from 1 to 100, got " + repeats);
            return new BenchSettings(warmup, Duration.ofSeconds(seconds), repeats, false);
        }
    }

    /**
     * {@code --seconds}: a whole number of seconds, with or without the {@code s} unit ({@code 5}, {@code 5s}); a
     * one-line reason otherwise ("not an int" said nothing about what to write).
     */
    static final class WholeSeconds implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String t = value.strip();
            String digits = t.endsWith("s") ? t.substring(0, t.length() - 1).strip() : t;
            if (!digits.matches("\\d{1,9}")) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a whole number of seconds: write e.g. 5 or 5s");
            }
            return Integer.parseInt(digits);
        }
    }
}
