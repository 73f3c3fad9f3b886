package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** serve's stop: a failed driver gives a clear message and exit 1, within the grace period even if closing hangs. */
class ServeShutdownTest {
    @Test
    void aFailureStopsWithAMessageAndStatus1EvenWhenClosingHangs() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        CountDownLatch never = new CountDownLatch(1);
        ServeShutdown s = new ServeShutdown(t, () -> {
            try {
                never.await(); // a close blocked on a lock nobody releases
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofMillis(300));
        Runtime.getRuntime().addShutdownHook(s.hook());
        Thread.ofVirtual().start(() -> s.failed("the stack's driver thread on tw0", new OutOfMemoryError("Java heap space")));
        long start = System.nanoTime();
        assertEquals(Main.EXIT_FAILURE, s.await());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 5_000, ms + " ms");
        String text = err.toString();
        assertTrue(text.startsWith("threeway: the stack's driver thread on tw0 failed: java.lang.OutOfMemoryError: "
                + "Java heap space; stopping\n"), text);
        assertTrue(text.contains("closing took longer than 0 s; exiting anyway"), text);
        never.countDown();
    }
}
