package io.threeway.fuzz;

/**
 * The class Jazzer's driver runs ({@code --target_class=io.threeway.fuzz.JazzerEntry --target_args=NAME}): it
 * picks the target named by the first argument and hands it every input. Used by {@code threeway fuzz}.
 */
public final class JazzerEntry {
    private JazzerEntry() {}

    private static FuzzTarget target;

    /** Jazzer calls this once, with {@code --target_args} split on spaces. */
    public static void fuzzerInitialize(String[] args) {
        if (args.length != 1) throw new IllegalArgumentException("expected one argument, the target's name");
        target = FuzzTargets.get(args[0]);
    }

    /** Jazzer calls this for every input. */
    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        target.fuzz(input);
    }
}
