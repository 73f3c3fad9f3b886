package io.threeway.fuzz;
import java.util.function.Supplier;

/** An invariant a fuzz target checks did not hold: what a crash is for a target that nothing made throw. */
public final class FuzzFinding extends AssertionError {
    private FuzzFinding(String message) {
        super(message);
    }

    /** Throws a finding with {@code message} unless {@code condition} holds. */
    public static void check(boolean condition, String message) {
        if (!condition) throw new FuzzFinding(message);
    }

    /** Throws a finding with a message built only when it fails. */
    public static void check(boolean condition, Supplier<String> message) {
        if (!condition) throw new FuzzFinding(message.get());
    }
}
