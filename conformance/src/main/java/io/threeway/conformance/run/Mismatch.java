package io.threeway.conformance.run;

/** The first place a run departs from its script: stops the run and becomes a failed {@link ScriptResult}. */
final class Mismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String expected;
    final String actual;
    final long timeNs;

    Mismatch(String reason, String expected, String actual, long timeNs) {
        super(reason, null, false, false);
        this.expected = expected;
        this.actual = actual;
        this.timeNs = timeNs;
    }
}
