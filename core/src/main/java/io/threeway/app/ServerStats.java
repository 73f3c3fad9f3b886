package io.threeway.app;

import java.util.concurrent.atomic.AtomicLong;

/** What a server did with its clients, for tests, logs and metrics. All counts since the server started. */
public final class ServerStats {
    /** Connections accepted and served. */
    final AtomicLong accepted = new AtomicLong();
    /** Connections refused at the limit with no idle one to close ({@code 503} for HTTP). */
    final AtomicLong refused = new AtomicLong();
    /** Idle connections closed to make room for a new one. */
    final AtomicLong evicted = new AtomicLong();
    /** Connections closed because a timeout passed (idle, header, body, or a write blocked past the send timeout). */
    final AtomicLong timedOut = new AtomicLong();
    /** Requests answered with a 4xx or 5xx error because of what the client sent. */
    final AtomicLong rejected = new AtomicLong();
    /** Unexpected exceptions in the server's own threads (each closed one connection; the server went on). */
    final AtomicLong internalErrors = new AtomicLong();

    public long accepted() { return accepted.get(); }

    public long refused() { return refused.get(); }

    public long evicted() { return evicted.get(); }

    public long timedOut() { return timedOut.get(); }

    public long rejected() { return rejected.get(); }

    public long internalErrors() { return internalErrors.get(); }

    @Override
    public String toString() {
        return "accepted " + accepted() + ", refused " + refused() + ", evicted " + evicted() + ", timed out "
                + timedOut() + ", rejected " + rejected() + ", internal errors " + internalErrors();
    }
}
