package io.threeway.cli;

import java.io.PrintStream;

/** Where commands print: standard output for results, standard error for diagnostics. */
public record Terminal(PrintStream out, PrintStream err) {
    public static Terminal system() {
        return new Terminal(System.out, System.err);
    }
}
