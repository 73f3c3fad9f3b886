package io.threeway.api;

/**
 * The body of an application thread: code that may throw, as socket code does. An exception that escapes it
 * fails the run that is executing ({@link Network#run}, {@link Network#runUntilThreadsFinish}...): unchecked
 * exceptions and errors (an {@code AssertionError} in a server thread) as themselves, checked ones wrapped in a
 * {@link ThreadFailedException}.
 */
@FunctionalInterface
public interface Task {
    /**
     * Runs the thread's code.
     *
     * @throws Exception whatever the code throws
     */
    void run() throws Exception;
}
