package io.threeway.conformance.run;

import io.threeway.tcp.Errno;

/**
 * What a system call returned: its value, the errno name when it failed (value -1), and a description of any
 * output parameter that differs from what the script expected (a getsockopt value, a poll revents), or null.
 */
record SyscallResult(long value, String errno, String outputMismatch) {

    static SyscallResult ok(long value) {
        return new SyscallResult(value, null, null);
    }

    static SyscallResult fail(Errno e) {
        return new SyscallResult(-1, e.name(), null);
    }

    /** A failure with an errno only the runner's own calls return ({@link Constants#RUNNER_ERRNO}: EFAULT, ENOENT...). */
    static SyscallResult fail(String errno) {
        return new SyscallResult(-1, errno, null);
    }

    SyscallResult withMismatch(String m) {
        return new SyscallResult(value, errno, outputMismatch == null ? m : outputMismatch + "; " + m);
    }

    @Override
    public String toString() {
        return value + (errno == null ? "" : " " + errno);
    }
}
