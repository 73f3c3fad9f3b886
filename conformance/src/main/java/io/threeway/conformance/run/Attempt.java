package io.threeway.conformance.run;

/**
 * A system call that may have to wait: tried now and again whenever the simulation moves, until it returns.
 * A non-blocking call never waits; a blocking one waits in virtual time.
 */
interface Attempt {
    /** The result if the call can return now, else null (it blocks). */
    SyscallResult tryNow(long nowNs);

    /** A time at which the call returns even if nothing happens (poll's timeout), or Long.MAX_VALUE. */
    default long deadlineNs() {
        return Long.MAX_VALUE;
    }

    static Attempt done(SyscallResult r) {
        return now -> r;
    }
}
