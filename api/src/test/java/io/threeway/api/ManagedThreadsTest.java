package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Threads libraries start: the managed factory, executors, the virtual clock, and the error a foreign thread gets. */
class ManagedThreadsTest {

    @Test
    void aSocketUsedFromAForeignThreadFailsAtOnceNamingTheThreadAndTheFix() throws Exception {
        try (Network net = Network.simulated(7)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(10));
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread foreign = new Thread(() -> {
                try {
                    client.connect("server", 80);
                } catch (Throwable t) {
                    seen.set(t);
                }
            }, "OkHttp TaskRunner");
            foreign.start();
            foreign.join(10_000);
            assertFalse(foreign.isAlive(), "the foreign thread was left hanging");
            Throwable t = seen.get();
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().startsWith("thread 'OkHttp TaskRunner' is not managed by the Threeway simulator"), t.getMessage());
            assertTrue(t.getMessage().contains("Network.spawn, Network.threadFactory(), Network.executor()"), t.getMessage());
            assertEquals(0, net.tcpdump().size(), "nothing was sent");
        }
    }

    @Test
    void aForeignThreadDuringARunIsRefusedToo() throws Exception {
        try (Network net = Network.simulated(8)) {
            Host server = net.host("server");
            ServerSocket ss = server.listen(80);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            net.spawn("holder", () -> {
                Thread foreign = new Thread(() -> {
                    try {
                        ss.accept();
                    } catch (Throwable t) {
                        seen.set(t);
                    }
                }, "pool-thread");
                foreign.start();
                foreign.join(10_000); // a foreign block inside a run; only safe here because it ends at once
            });
            net.runUntilThreadsFinish();
            assertTrue(seen.get().getMessage().startsWith("thread 'pool-thread' is not managed"), seen.get().getMessage());
        }
    }

    @Test
    void threadFactoryThreadsRunInVirtualTimeWhenALibraryStartsThem() {
        try (Network net = Network.simulated(9)) {
            ThreadFactory f = net.threadFactory("lib");
            List<String> log = new ArrayList<>();
            net.spawn("main", () -> {
                Thread a = f.newThread(() -> {
                    try {
                        net.sleep(Duration.ofSeconds(2));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    log.add(Thread.currentThread().getName() + " at " + net.elapsed());
                });
                Thread b = f.newThread(() -> log.add(Thread.currentThread().getName() + " at " + net.elapsed()));
                a.start();
                b.start();
            });
            net.runUntilThreadsFinish();
            assertEquals(List.of("lib-2 at PT0S", "lib-1 at PT2S"), log);
        }
    }

    @Test
    void executorFuturesAndSocketsInVirtualTime() throws Exception {
        try (Network net = Network.simulated(10)) {
            Host client = net.host("client");
            Host server = net.host("server");
            net.link(client, server).rtt(Duration.ofMillis(50));
            ExecutorService pool = net.executor("worker");
            net.spawn("server", () -> {
                try (ServerSocket ss = server.listen(80)) {
                    for (int i = 0; i < 3; i++) {
                        Socket s = ss.accept();
                        pool.execute(() -> {
                            try (s) {
                                s.getOutputStream().write(s.getInputStream().read() * 2);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                    }
                }
            });
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    try (Socket s = client.connect("server", 80)) {
                        s.getOutputStream().write(n);
                        return s.getInputStream().read();
                    }
                }));
            }
            assertEquals(2, answers.get(0).get()); // from the test thread: runs the simulation until done
            assertEquals(4, answers.get(1).get());
            assertEquals(6, answers.get(2).get());
            assertEquals(Duration.ofMillis(100), net.elapsed()); // three exchanges in parallel: two round trips
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void aFailedTaskReportsThroughItsFuture() throws Exception {
        try (Network net = Network.simulated(11)) {
            ExecutorService pool = net.executor("worker");
            Future<?> f = pool.submit(() -> {
                throw new IllegalArgumentException("bad");
            });
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertEquals("bad", e.getCause().getMessage());
        }
    }

    @Test
    void scheduledExecutorCountsVirtualTime() throws Exception {
        try (Network net = Network.simulated(12)) {
            ScheduledExecutorService timer = net.scheduledExecutor("timer");
            List<Duration> ticks = new ArrayList<>();
            ScheduledFuture<?> periodic = timer.scheduleAtFixedRate(() -> ticks.add(net.elapsed()), 1, 2, TimeUnit.HOURS);
            ScheduledFuture<String> once = timer.schedule(() -> "done at " + net.elapsed(), 90, TimeUnit.MINUTES);
            assertEquals("done at PT1H30M", once.get());
            net.run(Duration.ofHours(4));
            periodic.cancel(false);
            net.run(Duration.ofHours(10));
            assertEquals(List.of(Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(5)), ticks);
            assertTrue(periodic.isCancelled());
        }
    }

    @Test
    void theClockReadsVirtualTime() {
        try (Network net = Network.simulated(13)) {
            Clock clock = net.clock();
            Instant start = clock.instant();
            assertEquals(Instant.parse("2026-01-01T00:00:00Z"), start);
            net.run(Duration.ofMinutes(3));
            assertEquals(start.plus(Duration.ofMinutes(3)), clock.instant());
            assertEquals(start.toEpochMilli() + 180_000, clock.millis());
        }
    }
}
