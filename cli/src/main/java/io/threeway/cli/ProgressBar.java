package io.threeway.cli;

import io.threeway.lab.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error for long scenario runs, redrawn in place with a carriage
 * return, only when standard error is a terminal (never in pipes, files or tests), and only after the run
 * has lasted half a second of wall-clock time, so quick runs print nothing.
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long started = System.nanoTime();
    private int lastDrawn = -1;
    private boolean drawn;

    private ProgressBar(PrintStream err) {
        this.err = err;
    }

    /** A bar on {@code err} when this process talks to a terminal, else {@link Progress#NONE}. */
    static Progress forTerminal(PrintStream err) {
        return System.console() != null && System.console().isTerminal() ? new ProgressBar(err) : Progress.NONE;
    }

    @Override
    public void update(String label, double fraction) {
        if (System.nanoTime() - started < 500_000_000L) return;
        int filled = (int) Math.round(fraction * WIDTH);
        if (filled == lastDrawn && fraction < 1) return;
        lastDrawn = filled;
        err.print(String.format(Locale.ROOT, "\r%-24s [%s%s] %3.0f%%", label.length() > 24 ? label.substring(0, 24) : label,
                "#".repeat(filled), " ".repeat(WIDTH - filled), fraction * 100));
        drawn = true;
        if (fraction >= 1) {
            err.print("\r" + " ".repeat(WIDTH + 32) + "\r");
            lastDrawn = -1;
        }
        err.flush();
    }

    /** Clears the line if a bar is showing. */
    void done() {
        if (drawn) err.print("\r" + " ".repeat(WIDTH + 32) + "\r");
        err.flush();
    }
}
