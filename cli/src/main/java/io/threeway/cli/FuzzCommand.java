package io.threeway.cli;

import io.threeway.fuzz.FuzzTarget;
import io.threeway.fuzz.FuzzTargets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code threeway fuzz TARGET --duration D}: runs one of the {@link FuzzTargets} under Jazzer (coverage-guided,
 * libFuzzer's engine) in a child JVM for a while, growing a working corpus, and prints how many inputs ran. A
 * finding (a crash, or a broken invariant) is copied into the committed regression inputs, where CI replays it
 * from then on, and the command exits 1.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fuzz one target with Jazzer for a while (coverage-guided; CI replays the committed corpus).",
                "Example: threeway fuzz tcp --duration 10m"},
        footer = {"", "Exit status: 0 no finding; 1 a finding (copied to the regression inputs) or the fuzzer failed."})
public final class FuzzCommand implements Callable<Integer> {
    /** The directory, under the project, that Jazzer's JUnit integration replays (one subdirectory a target). */
    static final String INPUTS = "fuzz/src/test/resources/io/threeway/fuzz/FuzzTargetsTestInputs";
    private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
    /** libFuzzer's progress lines start with the executions so far, e.g. {@code #181900 REDUCE cov: 830}. */
    private static final Pattern PROGRESS = Pattern.compile("^#(\\d+)\\s");

    private final Terminal terminal;

    @Parameters(arity = "0..1", paramLabel = "TARGET", description = "The target (see --list).")
    String target;

    @Option(names = "--list", description = "List the targets and exit.")
    boolean list;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1m", converter = Units.DurationConverter.class,
            description = "How long to fuzz (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--corpus", paramLabel = "DIR", description = "The working corpus, kept between runs "
            + "(default: fuzz/target/corpus/TARGET in the project, else ./threeway-fuzz/TARGET).")
    Path corpus;

    @Option(names = "--project", paramLabel = "DIR", description = "The Threeway source tree, whose committed inputs seed "
            + "the run and receive findings (default: found from the current directory or the CLI's jar).")
    Path project;

    FuzzCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (list) {
            for (FuzzTarget t : FuzzTargets.ALL) terminal.out().printf("%-12s %s%n", t.name(), t.description());
            return 0;
        }
        if (target == null) throw new IllegalArgumentException("name a target (threeway fuzz --list shows them)");
        FuzzTarget t = FuzzTargets.get(target);
        if (duration.toSeconds() < 1) throw new IllegalArgumentException("--duration: at least 1s");
        Path root = project != null ? project : ProjectTree.find();
        Path seeds = root == null ? null : root.resolve(INPUTS).resolve(t.name().replace('-', '_'));
        Path work = corpus != null ? corpus
                : root != null ? root.resolve("fuzz/target/corpus").resolve(t.name()) : Path.of("threeway-fuzz", t.name());
        Path findings = Files.createDirectories(work.resolveSibling(work.getFileName() + "-findings"));
        Files.createDirectories(work);
        Result r = runJazzer(t, work, seeds, findings);
        List<Path> found = collectFindings(findings, seeds);
        terminal.out().printf("fuzz %s: %,d executions in %d s; corpus %s (%d inputs)%s%n", t.name(), r.executions,
                r.seconds, work, count(work), found.isEmpty() ? "; no finding" : "");
        for (Path f : found) terminal.out().println("fuzz " + t.name() + ": FINDING kept as a regression input: " + f);
        if (!found.isEmpty() || (r.exit != 0 && r.executions == 0)) return Main.EXIT_FAILURE;
        return r.exit == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /** What the child JVM reported. */
    private record Result(int exit, long executions, long seconds) {}

    private Result runJazzer(FuzzTarget t, Path work, Path seeds, Path findings) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED", "-XX:+EnableDynamicAgentLoading",
                "-cp", System.getProperty("java.class.path"), "com.code_intelligence.jazzer.Jazzer",
                "--target_class=io.threeway.fuzz.JazzerEntry", "--target_args=" + t.name(),
                "--instrumentation_includes=io.threeway.**", "-max_total_time=" + duration.toSeconds(),
                "-timeout=30", "-rss_limit_mb=4096", "-print_final_stats=1",
                "--reproducer_path=" + findings.toAbsolutePath(), // Jazzer's Crash_*.java, else written to the cwd
                "-artifact_prefix=" + findings.toAbsolutePath() + "/", work.toString()));
        if (seeds != null && Files.isDirectory(seeds)) cmd.add(seeds.toString());
        long started = System.nanoTime(); // the CLI's own wall clock: a fuzz run is real time by nature
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long executions = 0;
        long seconds = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                terminal.err().println(line);
                Matcher m = DONE.matcher(line);
                Matcher progress = PROGRESS.matcher(line);
                if (m.find()) {
                    executions = Long.parseLong(m.group(1));
                    seconds = Long.parseLong(m.group(2));
                } else if (progress.find()) {
                    executions = Math.max(executions, Long.parseLong(progress.group(1)));
                }
            }
        }
        int exit = p.waitFor();
        if (seconds < 0) seconds = (System.nanoTime() - started) / 1_000_000_000L;
        return new Result(exit, executions, seconds);
    }

    /**
     * Moves the inputs Jazzer wrote into the findings directory to the committed inputs (when there is a project);
     * its Java reproducers ({@code Crash_*.java}) stay in the findings directory.
     */
    private static List<Path> collectFindings(Path findings, Path seeds) throws IOException {
        List<Path> kept = new ArrayList<>();
        try (Stream<Path> files = Files.list(findings)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().endsWith(".java")) continue; // Jazzer's Crash_*.java stays with the findings
                if (seeds == null) {
                    kept.add(f);
                    continue;
                }
                Files.createDirectories(seeds);
                kept.add(Files.move(f, seeds.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING));
            }
        }
        return kept;
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
