package io.threeway.cli.bench;

import io.threeway.cli.Terminal;
import io.threeway.cli.Units;
import io.threeway.lab.bench.BenchOptions;
import io.threeway.lab.bench.ThreewayBench;
import java.time.Duration;
import java.util.Locale;
import io.threeway.lab.LabJson;
import tools.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code threeway bench}: the same workload over Threeway and over the Linux kernel's loopback, side by side.
 * Threeway's side comes from a {@link ThreewayBench} on the class path; without one it prints {@code n/a}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare Threeway with the Linux kernel on the same workload (127.0.0.1 only).")
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static CommandLine commandLine(Terminal terminal) {
        CommandLine bench = new CommandLine(new BenchCommand());
        bench.addSubcommand(new ConnRate(terminal));
        bench.addSubcommand(new Throughput(terminal));
        return bench;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: conn-rate or throughput");
    }

    /** Options both benchmarks take. */
    abstract static class Common implements Callable<Integer> {
        final Terminal terminal;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "5", converter = WholeSeconds.class,
                description = "Measured time in whole seconds, after the warm-up, e.g. 5 or 5s (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s",
                converter = Units.DurationConverter.class,
                description = "Time run before measuring, e.g. 500ms (default: ${DEFAULT-VALUE}).")
        Duration warmup;

        @Option(names = "--json", description = "Print one JSON object instead of a table.")
        boolean json;

        Common(Terminal terminal) {
            this.terminal = terminal;
        }

        abstract String name();
        abstract String unit();
        abstract BenchOptions options();
        abstract double linux(BenchOptions o) throws Exception;
        abstract double threeway(ThreewayBench b, BenchOptions o) throws Exception;
        /** The table shows {@code value / tableScale} in {@code tableUnit}. */
        abstract String tableUnit();
        abstract double tableScale();
        abstract String note(BenchOptions o);

        void checkSeconds() {
            if (seconds < 1 || seconds > 3600) {
                throw new IllegalArgumentException("--seconds must be from 1 to 3600, got " + seconds);
            }
        }

        @Override
        public Integer call() throws Exception {
            checkSeconds();
            BenchOptions o = options();
            double linux = linux(o);
            Optional<ThreewayBench> impl = ThreewayBench.find();
            Double threeway = impl.isPresent() ? threeway(impl.get(), o) : null;
            Double ratio = threeway == null || linux <= 0 ? null : threeway / linux;
            if (json) {
                ObjectNode n = LabJson.MAPPER.createObjectNode().put("benchmark", name());
                n.put("threeway", rounded(threeway, 1)).put("linux", rounded(linux, 1)).put("unit", unit())
                        .put("ratio", rounded(ratio, 3));
                terminal.out().println(LabJson.MAPPER.writeValueAsString(n));
            } else {
                String metric = name() + " (" + tableUnit() + ")";
                int w = Math.max(metric.length(), "metric".length());
                String fmt = "%-" + w + "s  %12s  %12s  %7s%n";
                terminal.out().printf(Locale.ROOT, fmt, "metric", "threeway", "linux", "ratio");
                terminal.out().printf(Locale.ROOT, fmt, metric,
                        threeway == null ? "n/a" : String.format(Locale.ROOT, "%.1f", threeway / tableScale()),
                        String.format(Locale.ROOT, "%.1f", linux / tableScale()),
                        ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio));
                terminal.out().println();
                terminal.out().println(note(o));
                if (impl.isEmpty()) terminal.out().println("threeway: n/a (Threeway's side is not available yet)");
            }
            terminal.out().flush();
            return 0;
        }

        /** {@code v} rounded to {@code places} decimals, or null. */
        private static java.math.BigDecimal rounded(Double v, int places) {
            return v == null ? null : java.math.BigDecimal.valueOf(v).setScale(places, java.math.RoundingMode.HALF_EVEN);
        }
    }

    /**
     * {@code --seconds}: a whole number of seconds, with or without the {@code s} unit ({@code 5}, {@code 5s}); a
     * one-line reason otherwise ("not an int" said nothing about what to write).
     */
    static final class WholeSeconds implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String t = value.strip();
            String digits = t.endsWith("s") ? t.substring(0, t.length() - 1).strip() : t;
            if (!digits.matches("\\d{1,9}")) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a whole number of seconds: write e.g. 5 or 5s");
            }
            return Integer.parseInt(digits);
        }
    }

    @Command(name = "conn-rate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Connections per second: clients connect, wait for the server's close, and close; "
                    + "the server accepts and closes."})
    static final class ConnRate extends Common {
        @Option(names = "--threads", paramLabel = "N",
                description = "Client threads (default: the number of processors, at least 2).")
        Integer threads;

        ConnRate(Terminal terminal) {
            super(terminal);
        }

        @Override String name() { return "conn-rate"; }
        @Override String unit() { return "conn/s"; }
        @Override String tableUnit() { return "conn/s"; }
        @Override double tableScale() { return 1; }

        @Override
        BenchOptions options() {
            int n = threads != null ? threads : Math.max(2, Runtime.getRuntime().availableProcessors());
            if (n < 1 || n > 256) throw new IllegalArgumentException("--threads must be from 1 to 256, got " + n);
            return new BenchOptions(warmup, Duration.ofSeconds(seconds), 1500, n);
        }

        @Override double linux(BenchOptions o) throws Exception { return KernelBench.connectionsPerSecond(o); }
        @Override double threeway(ThreewayBench b, BenchOptions o) throws Exception { return b.connectionsPerSecond(o); }

        @Override
        String note(BenchOptions o) {
            return "linux: the kernel's loopback through java.net, " + o.threads() + " client threads; warm-up "
                    + Units.formatDuration(o.warmup()) + ", measured " + seconds + "s";
        }
    }

    @Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Bytes per second over one connection: 64 KiB writes, a reader discarding."})
    static final class Throughput extends Common {
        @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500",
                description = "Link MTU for Threeway's side (default: ${DEFAULT-VALUE}); the kernel's loopback keeps its own.")
        int mtu;

        Throughput(Terminal terminal) {
            super(terminal);
        }

        @Override String name() { return "throughput"; }
        @Override String unit() { return "bytes/s"; }
        @Override String tableUnit() { return "MB/s"; }
        @Override double tableScale() { return 1e6; }

        @Override
        BenchOptions options() {
            if (mtu < 68 || mtu > 65535) throw new IllegalArgumentException("--mtu must be from 68 to 65535, got " + mtu);
            return new BenchOptions(warmup, Duration.ofSeconds(seconds), mtu, 1);
        }

        @Override double linux(BenchOptions o) throws Exception { return KernelBench.bytesPerSecond(o); }
        @Override double threeway(ThreewayBench b, BenchOptions o) throws Exception { return b.bytesPerSecond(o); }

        @Override
        String note(BenchOptions o) {
            return "linux: the kernel's loopback through java.net (its own MTU); threeway: MTU " + o.mtu()
                    + "; warm-up " + Units.formatDuration(o.warmup()) + ", measured " + seconds + "s";
        }
    }
}
