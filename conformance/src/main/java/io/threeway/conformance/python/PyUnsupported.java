package io.threeway.conformance.python;

/**
 * Code outside the subset the evaluator implements (a {@code def}, a loop, an import, a call other than the
 * builtins it has): such a block is reported as not run, never guessed at.
 */
public final class PyUnsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PyUnsupported(String message) {
        super(message, null, false, false);
    }
}
