package io.threeway.fuzz;

/**
 * One fuzz target: a piece of Threeway that must take any bytes without harm. {@link #fuzz} runs one input and
 * returns normally when the code under test behaved: it rejected the input the documented way (a
 * {@code ParseResult}, an {@code IOException} with a reason, an {@code IllegalArgumentException} for bad
 * settings, an HTTP 4xx answer...) or accepted it and every invariant the target checks holds. Anything else
 * escapes: an unexpected exception, or a {@link FuzzFinding} for a broken invariant.
 *
 * <p>Targets are deterministic (same bytes, same run): no clock, no shared state between inputs, any randomness
 * seeded from the input. A target that needs structure (a state to start from, a sequence of segments) decodes
 * it from the bytes with {@link FuzzInput}.
 *
 * <p>To add one: implement this interface, list it in {@link FuzzTargets#ALL}, add a {@code @FuzzTest} method of
 * the same name to {@code FuzzTargetsTest} (the test checks both lists agree), and commit a few seed inputs
 * under {@code src/test/resources/io/threeway/fuzz/FuzzTargetsTestInputs/NAME/}.
 */
public interface FuzzTarget {
    /** The name {@code threeway fuzz NAME} takes, and the directory of its corpus: lower case, dashes. */
    String name();

    /** One line for {@code threeway fuzz --list}. */
    String description();

    /** Runs one input; returns when the code under test behaved, throws otherwise. */
    void fuzz(byte[] input) throws Exception;
}
