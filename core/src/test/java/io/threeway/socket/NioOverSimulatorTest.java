package io.threeway.socket;

import static io.threeway.socket.SocketOverSimulatorTest.io;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Packet;
import io.threeway.sim.Rules;
import io.threeway.sim.SimulationException;
import io.threeway.stats.Counter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only Threeway's NIO does, in the simulator: virtual time and faults, types it refuses, and threads the
 * simulator did not make (a library's own selector thread) taken in deterministically.
 */
@Timeout(120)
class NioOverSimulatorTest {

    @Test
    void whatIsNotTcpFailsAtOnceNamingTheType() throws Exception {
        try (SimPair p = new SimPair(1)) {
            ThreewaySelectorProvider nio = p.client.selectorProvider();
            assertTrue(assertThrows(UnsupportedOperationException.class, nio::openDatagramChannel).getMessage().startsWith("DatagramChannel"));
            assertTrue(assertThrows(UnsupportedOperationException.class, () -> nio.openDatagramChannel(StandardProtocolFamily.INET))
                    .getMessage().startsWith("DatagramChannel"));
            assertTrue(assertThrows(UnsupportedOperationException.class, nio::openPipe).getMessage().startsWith("Pipe"));
            assertTrue(assertThrows(UnsupportedOperationException.class, () -> nio.openSocketChannel(StandardProtocolFamily.UNIX))
                    .getMessage().contains("UNIX"));
            assertNull(nio.inheritedChannel());
            try (Selector jdk = Selector.open(); ServerSocketChannel ss = nio.openServerSocketChannel()) {
                ss.configureBlocking(false);
                assertThrows(java.nio.channels.IllegalSelectorException.class, () -> ss.register(jdk, SelectionKey.OP_ACCEPT),
                        "a Threeway channel on the kernel's selector");
            }
        }
    }

    @Test
    void aConnectWhoseSynsAreLostTimesOutAsLinuxDoesInVirtualTime() throws Exception {
        try (SimPair p = new SimPair(2)) {
            p.sim.links().get(0).aToB().addRule(Rules.dropMatching(Packet::isSyn));
            List<String> seen = new ArrayList<>();
            p.sim.spawn("client", io(() -> {
                try (Selector sel = p.client.selectorProvider().openSelector(); SocketChannel c = p.client.selectorProvider().openSocketChannel()) {
                    c.setOption(ThreewaySocketOptions.TCP_SYNCNT, 2);
                    c.configureBlocking(false);
                    c.connect(SimPair.server(80));
                    c.register(sel, SelectionKey.OP_CONNECT);
                    long start = p.sim.now();
                    assertEquals(1, sel.select());
                    ConnectException e = assertThrows(ConnectException.class, c::finishConnect);
                    seen.add(e.getMessage() + " after " + (p.sim.now() - start) / 1_000_000 + " ms, open " + c.isOpen());
                }
            }));
            p.runToCompletion();
            // TCP_SYNCNT 2, plus tcp_syn_linear_timeouts' 4: SYNs at 0, 1, 2, 3, 4, 5 and 7 s (the RTO stays at
            // 1 s for five timeouts, then doubles), and the attempt ends 4 s after the last, at 11 s
            assertEquals(List.of("Connection timed out after 11000 ms, open false"), seen);
        }
    }

    /**
     * A library's own thread (started with {@code new Thread}, as the JDK's HttpClient starts its selector
     * manager) runs an echo server on a Threeway selector. The simulator takes it in when it first selects, and
     * waits for it before it moves the clock, so the run is the same however long the operating system takes to
     * start that thread: here it spins 300 ms of wall time first in one run and not at all in the other.
     */
    @Test
    void aThreadTheSimulatorDidNotMakeIsTakenInAndTheRunStaysTheSame() throws Exception {
        String fast = echoThroughAForeignSelectorThread(0);
        String slow = echoThroughAForeignSelectorThread(300);
        assertEquals(fast, slow);
        assertTrue(fast.startsWith("echo after 100 ms; "), fast);
    }

    private static String echoThroughAForeignSelectorThread(long spinMillis) throws Exception {
        try (SimPair p = new SimPair(3)) {
            ThreewaySelectorProvider nio = p.server.selectorProvider();
            AtomicReference<String> result = new AtomicReference<>();
            p.sim.spawn("server-starter", io(() -> {
                ServerSocketChannel ss = nio.openServerSocketChannel().bind(new InetSocketAddress(7));
                Selector sel = nio.openSelector();
                ss.configureBlocking(false);
                ss.register(sel, SelectionKey.OP_ACCEPT);
                Thread own = new Thread(() -> {
                    long until = System.nanoTime() + spinMillis * 1_000_000L;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                    try {
                        NioBothWaysTest.selectorEchoServer(ss, 1, sel);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, "library-selector");
                own.setDaemon(true);
                own.start();
            }));
            p.sim.spawn("client", io(() -> {
                try (SocketChannel c = p.client.selectorProvider().openSocketChannel()) {
                    c.connect(SimPair.server(7));
                    long start = p.sim.now();
                    c.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer b = ByteBuffer.allocate(4);
                    while (b.hasRemaining()) c.read(b);
                    result.set("echo after " + (p.sim.now() - start) / 1_000_000 + " ms; ");
                }
            }));
            p.runToCompletion(); // waits for the application's threads, not for the adopted one
            String threads = p.sim.scheduler().describeThreads();
            assertTrue(threads.contains("library-selector (adopted)"), threads);
            return result.get() + "at " + p.sim.now() + " ns, segments out " + p.clientStack.counters().get(Counter.OUT_SEGS)
                    + "/" + p.serverStack.counters().get(Counter.OUT_SEGS);
        }
    }

    /**
     * Work an application thread hands to the JDK's common pool (where the JDK's HttpClient completes its
     * futures) is done before the clock moves: here the callback takes 200 ms of wall time while an event waits
     * at 1 s of virtual time, and the result is seen at virtual time 0 in every run.
     */
    @Test
    void callbacksHandedToTheCommonPoolFinishBeforeTheClockMoves() {
        try (SimPair p = new SimPair(7)) {
            java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
            p.sim.schedule(1_000_000_000L, () -> { });
            p.sim.spawn("app", () -> java.util.concurrent.CompletableFuture.runAsync(() -> {
                long until = System.nanoTime() + 200_000_000L;
                while (System.nanoTime() < until) Thread.onSpinWait();
                done.complete("callback done");
            }));
            assertTrue(p.sim.runUntil(done::isDone, 5_000_000_000L));
            assertEquals(0, p.sim.now(), "the clock did not move while the pool worked");
        }
    }

    @Test
    void aWakeupFromAThreadOutsideTheSimulationReachesTheSelector() throws Exception {
        try (SimPair p = new SimPair(4)) {
            Selector sel = p.client.selectorProvider().openSelector();
            List<String> seen = new ArrayList<>();
            p.sim.spawn("selector", io(() -> seen.add("select " + sel.select() + " at " + p.sim.now() / 1_000_000 + " ms")));
            p.sim.runFor(1_000_000_000L);
            assertEquals(List.of(), seen, "nothing to select: the selector waits");
            Thread outside = Thread.ofPlatform().start(sel::wakeup); // may not touch the simulation: its wake is carried
            outside.join();
            p.sim.runUntil(() -> !seen.isEmpty(), Long.MAX_VALUE);
            assertEquals(List.of("select 0 at 1000 ms"), seen);
            sel.close();
        }
    }

    @Test
    void closingTheSimulationEndsAnAdoptedThreadThatLoopsOnExceptions() throws Exception {
        AtomicReference<Throwable> endedWith = new AtomicReference<>();
        Thread[] own = new Thread[1];
        try (SimPair p = new SimPair(5)) {
            Selector sel = p.server.selectorProvider().openSelector();
            p.sim.spawn("starter", io(() -> {
                own[0] = new Thread(() -> {
                    try {
                        while (true) {
                            try {
                                sel.select(1000); // a dispatcher's loop: every Exception is caught and ignored
                            } catch (Exception ignored) {
                                // as com.sun.net.httpserver's dispatcher does
                            }
                        }
                    } catch (Throwable t) {
                        endedWith.set(t);
                    }
                }, "dispatcher");
                own[0].setDaemon(true);
                own[0].start();
            }));
            p.sim.runFor(5_000_000_000L);
        }
        own[0].join(10_000);
        assertFalse(own[0].isAlive(), "the adopted thread ended when the simulation closed");
        assertInstanceOf(RuntimeClosedError.class, endedWith.get());
    }

    @Test
    void aThreadStartedByTheSimulationThatNeverSettlesFailsTheRunNamingIt() {
        Thread[] spinner = new Thread[1];
        try (SimPair p = new SimPair(6)) {
            p.sim.scheduler().setBatonTimeout(java.time.Duration.ofMillis(300));
            p.sim.spawn("starter", io(() -> {
                spinner[0] = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
                }, "spinner");
                spinner[0].setDaemon(true);
                spinner[0].start();
            }));
            SimulationException e = assertThrows(SimulationException.class, () -> p.sim.runFor(1_000_000_000L));
            assertTrue(e.getMessage().startsWith("thread 'spinner', started by an application thread"), e.getMessage());
        } finally {
            if (spinner[0] != null) spinner[0].interrupt();
        }
    }
}
