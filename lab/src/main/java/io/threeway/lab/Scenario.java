package io.threeway.lab;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * One lab experiment: a deterministic run over the simulator that prints what happened.
 *
 * <p>Scenarios are found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.threeway.lab.Scenario} (one class name a line) and give it a public no-argument
 * constructor. The command line offers each one as {@code threeway lab NAME} and {@code threeway lab run NAME}.
 */
public interface Scenario {

    /** The name users type, lower case with dashes, e.g. {@code handshake}. */
    String name();

    /** One line for {@code threeway lab list}. */
    String summary();

    /** What {@code --help} says beyond the summary: what the run shows and which settings matter. */
    default List<String> help() { return List.of(); }

    /** The scenario's own parameters, offered as {@code --NAME VALUE}. */
    default List<ScenarioParameter> parameters() { return List.of(); }

    /**
     * This scenario's defaults for common options ({@link LabOptions#COMMON}) where they differ from the lab's,
     * by option name, as typed: e.g. {@code rtt -> 500us} for a data-centre path. Help shows them as the defaults.
     */
    default Map<String, String> optionDefaults() { return Map.of(); }

    /**
     * Common options this scenario cannot honour, by name, with the one-line reason the user gets when giving
     * one (an option is never silently ignored).
     */
    default Map<String, String> refusedOptions() { return Map.of(); }

    /** Whether the scenario runs over IPv6 with {@code -6} (if not, {@code -6} is refused). */
    default boolean supportsIpv6() { return false; }

    /**
     * Runs the experiment and prints its report to {@code out} (JSON when {@link ScenarioOptions#json()}), and
     * writes {@link ScenarioOptions#pcap()} if set; copies its hosts into {@link ScenarioOptions#moments()} if
     * set (a {@link Testbed} does both).
     *
     * <p>Errors: throw {@link IllegalArgumentException} for options this scenario cannot honour and
     * {@link UnsupportedOperationException} for what is not implemented yet, each with a one-line message; the
     * command line prints it as one line and exits 2.
     *
     * @return the process exit status: 0 when the experiment ran, non-zero when its outcome is a failure
     */
    int run(ScenarioOptions options, PrintStream out) throws Exception;
}
