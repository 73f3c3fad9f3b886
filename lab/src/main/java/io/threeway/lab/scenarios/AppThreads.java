package io.threeway.lab.scenarios;

import io.threeway.lab.Testbed;

/**
 * Blocking application code, plain {@code java.net} sockets on Threeway's socket API, run as the simulator's
 * application threads: each blocking call parks in virtual time, so the run stays deterministic.
 */
final class AppThreads {
    private AppThreads() {}

    /** Application code that may throw, as socket code does. */
    interface Body {
        void run() throws Exception;
    }

    static void spawn(Testbed tb, String name, Body body) {
        tb.sim().spawn(name, () -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(name + ": " + e, e);
            }
        });
    }

    /** Runs the simulation until every application thread has finished; false if some were still live at {@code deadline}. */
    static boolean runToCompletion(Testbed tb, long deadline) {
        return tb.sim().runUntil(() -> tb.sim().scheduler().liveThreads() == 0, deadline);
    }

    /** Parks the calling application thread for {@code nanos} of virtual time. */
    static void sleep(Testbed tb, long nanos) throws InterruptedException {
        tb.sim().scheduler().sleep(nanos);
    }
}
