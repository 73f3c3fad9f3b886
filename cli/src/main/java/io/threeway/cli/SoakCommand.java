package io.threeway.cli;

import io.threeway.soak.Soak;
import io.threeway.soak.SoakConfig;
import io.threeway.soak.SoakFailure;
import io.threeway.soak.SoakReport;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threeway soak}: the soak and invariant checker ({@link Soak}) for as long as asked: by default 100,000
 * connections started over one hour of virtual time through random faults, every invariant checked after every
 * event, and the JVM's heap compared before and after.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seeded random conversations through random faults on the simulator, every invariant checked after "
                + "every event; at the end nothing may be left (connections, timers, buffers, orphans, CurrEstab) and the "
                + "heap must be back at its baseline.",
                "Example: threeway soak --seed 1 --connections 100000 --duration 1h"},
        footer = {"", "Exit status: 0 every invariant held; 1 one did not (the message names the seed and the virtual time)."})
public final class SoakCommand implements Callable<Integer> {
    /** The heap may end at most this far above where it began (tables sized for the peak keep their arrays). */
    static final long HEAP_SLACK = 16L << 20;

    private final Terminal terminal;

    @Option(names = "--seed", defaultValue = "1", description = "The seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--connections", defaultValue = "100000", description = "Connections to start (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h", converter = Units.DurationConverter.class,
            description = "Virtual time over which they start (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--clients", defaultValue = "4", description = "Client hosts, each with its own path and settings (default: ${DEFAULT-VALUE}).")
    int clients;

    SoakCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        long wallStart = System.nanoTime(); // the CLI's own clock, only for the progress lines
        Soak soak = new Soak(new SoakConfig(seed, connections, duration, clients, true),
                line -> terminal.err().printf("%s (%d s wall)%n", line, (System.nanoTime() - wallStart) / 1_000_000_000L));
        SoakReport r;
        try {
            r = soak.run();
        } catch (SoakFailure f) {
            terminal.err().println("threeway soak: FAILED: " + f.getMessage());
            return Main.EXIT_FAILURE;
        }
        r.lines().forEach(terminal.out()::println);
        terminal.out().printf("  wall time %d s%n", (System.nanoTime() - wallStart) / 1_000_000_000L);
        if (r.heapAfter() - r.heapBefore() > HEAP_SLACK) {
            terminal.err().printf("threeway soak: FAILED: the heap ended %,d bytes above its baseline (slack %,d)%n",
                    r.heapAfter() - r.heapBefore(), HEAP_SLACK);
            return Main.EXIT_FAILURE;
        }
        return 0;
    }
}
