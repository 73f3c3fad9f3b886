package io.threeway.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.host.Stack;
import io.threeway.stats.Counter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the benchmarks, checked for the work they claim to measure (no timing assertions): every
 * connection counted was a whole handshake and four-way close through both engines, with nothing lost or
 * retransmitted; every byte counted was read by the application, in order.
 */
class EngineBenchTest {
    static final BenchOptions SHORT = new BenchOptions(Duration.ofMillis(50), Duration.ofMillis(200), 1500, 1);

    @Test
    void isFoundByServiceLoader() {
        assertInstanceOf(EngineBench.class, ThreewayBench.find().orElseThrow());
    }

    @Test
    void everyConnectionIsAWholeHandshakeAndCloseOnBothFabrics() {
        for (boolean direct : new boolean[] {true, false}) {
            Fabric f = direct ? Fabric.direct(1, 1500) : Fabric.simulator(1, 1500);
            long now = System.nanoTime();
            long counted = EngineBench.connectLoop(f, now, now + Duration.ofMillis(200).toNanos());
            Stack client = f.client();
            Stack server = f.server();
            long opened = client.counters().get(Counter.ACTIVE_OPENS);
            assertTrue(counted > 0 && counted <= opened, "counted " + counted + " of " + opened + " connections");
            assertEquals(opened, server.counters().get(Counter.PASSIVE_OPENS), "each connect() met the listener");
            assertEquals(0, client.counters().get(Counter.CURR_ESTAB) + server.counters().get(Counter.CURR_ESTAB),
                    "every connection was closed");
            assertEquals(0, client.counters().get(Counter.RETRANS_SEGS) + server.counters().get(Counter.RETRANS_SEGS),
                    "a perfect link: nothing retransmitted");
            assertEquals(0, client.counters().get(Counter.ATTEMPT_FAILS) + server.counters().get(Counter.ESTAB_RESETS));
            assertEquals(0, client.internalErrors() + server.internalErrors());
            // Each connection is SYN, SYN-ACK, ACK and a FIN and its ACK each way: at least 4 segments in each direction.
            assertTrue(client.counters().get(Counter.OUT_SEGS) >= 4 * opened, "segments sent: " + client.counters().get(Counter.OUT_SEGS));
        }
    }

    @Test
    void everyByteCountedWasReadOnBothFabricsAndASmallMtu() {
        for (int variant = 0; variant < 3; variant++) {
            Fabric f = variant == 1 ? Fabric.simulator(1, 1500) : Fabric.direct(1, variant == 2 ? 576 : 1500);
            EngineBench.Transfer t = EngineBench.transfer(f, SHORT);
            assertTrue(t.measured() > 0 && t.measured() <= t.read(), t.toString());
            assertEquals(t.received(), t.read(), "the reader drained every byte the connection received in order");
            assertEquals(t.measured() / t.seconds(), t.bytesPerSecond());
            assertEquals(0, f.client().internalErrors() + f.server().internalErrors());
        }
    }
}
