package io.threeway.cli.bench;

/** Reaches the bench command's package-private parts from tests in other packages. */
public final class BenchCommandAccess {
    /** {@code --seconds}' converter. */
    public int seconds(String text) {
        return new BenchCommand.WholeSeconds().convert(text);
    }
}
