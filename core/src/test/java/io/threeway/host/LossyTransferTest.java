package io.threeway.host;

import io.threeway.wire.FourTuple;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reliability under a hostile path: 50 MB each way, at once, through a link that loses 5%, duplicates 2%
 * and reorders 5% of packets with a 50 ms RTT, arrive byte-identical (SHA-256), for 20 seeds.
 */
class LossyTransferTest {
    static final int SIZE = Integer.getInteger("threeway.lossy.bytes", 50 * 1024 * 1024);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void fiftyMegabytesEachWayArriveIntact(long seed) throws Exception {
        LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(25)).loss(0.05).duplicate(0.02)
                .reorder(0.05, Duration.ofMillis(10)).build();
        try (Network net = new Network(seed)) {
            Stack a = net.host("a");
            Stack b = net.host("b");
            net.link(a, "198.18.0.1", b, "198.18.0.2", path);
            java.util.List<String> trace = new java.util.ArrayList<>();
            StackObserver obs = new StackObserver() {
                @Override
                public void transition(Stack st, FourTuple tuple, TcpConnection c, TcpState from, TcpState to, String cause, long now) {
                    trace.add(String.format("%.3f %s %s->%s %s", now / 1e9, st.name(), from, to, cause));
                }
            };
            a.addObserver(obs);
            b.addObserver(obs);
            Listener l = b.listen(IpAddress.ANY4, 9000, 16, new ConnectionOptions(), false);
            TcpConnection ca = a.connect(IpAddress.parse("198.18.0.2"), 9000, 0, new ConnectionOptions(), 0);
            assertTrue(net.sim().runUntil(() -> l.acceptQueueLength() > 0, 600_000_000_000L), "connected");
            TcpConnection cb = l.accept();
            if (System.getProperty("threeway.debug") != null) {
                String[] last = {""};
                StackObserver inv = new StackObserver() {
                    @Override
                    public void packet(Stack st, boolean outbound, byte[] p, int off, int len, long now) {
                        if (io.threeway.wire.Seq.gt(cb.info(0).rcvNxt(), ca.info(0).sndMax()) || io.threeway.wire.Seq.gt(ca.info(0).rcvNxt(), cb.info(0).sndMax())) {
                            System.out.println("INVARIANT at " + now + " after " + st.name() + (outbound ? " sent " : " got ")
                                    + new io.threeway.trace.TcpdumpFormatter(io.threeway.trace.TimestampFormat.NONE, true).format(p, off, len, now)
                                    + "\n  a " + ca.debugState() + "\n  b " + cb.debugState() + "\n  prev " + last[0]);
                            throw new IllegalStateException("invariant");
                        }
                        last[0] = st.name() + (outbound ? " sent " : " got ") + new io.threeway.trace.TcpdumpFormatter(io.threeway.trace.TimestampFormat.NONE, true).format(p, off, len, now);
                    }
                };
                a.addObserver(inv);
                b.addObserver(inv);
            }

            Pump ab = new Pump(ca, cb, seed * 2);
            Pump ba = new Pump(cb, ca, seed * 2 + 1);
            long limit = 100_000L * 1_000_000_000L;
            long lastProgress = 0, lastBytes = 0;
            while (!(ab.done() && ba.done()) && net.now() < limit) {
                if (ab.received + ba.received != lastBytes) {
                    lastBytes = ab.received + ba.received;
                    lastProgress = net.now();
                } else if (net.now() - lastProgress > 60_000_000_000L && System.getProperty("threeway.debug") != null) {
                    System.out.println("STALL at " + net.now() / 1e9 + "\n a: " + ca.debugState() + "\n b: " + cb.debugState());
                    break;
                }
                long t = net.now();
                ab.step(t);
                ba.step(t);
                a.userCallDone();
                b.userCallDone();
                net.sim().runUntil(() -> ab.progressPossible() || ba.progressPossible(), t + 1_000_000_000L);
            }
            assertTrue(ab.done() && ba.done(), "transfer finished: a->b " + ab.received + ", b->a " + ba.received
                    + " at " + net.now() / 1e9 + " s, states " + ca.state() + "/" + cb.state() + " errors " + ca.error() + "/" + cb.error()
                    + " trace " + trace);
            assertArrayEquals(ab.sent.digest(), ab.got.digest(), "a->b SHA-256");
            assertArrayEquals(ba.sent.digest(), ba.got.digest(), "b->a SHA-256");
            assertTrue(a.counters().get(Counter.RETRANS_SEGS) > 0, "the loss was real: a retransmitted");
            assertEquals(0, a.internalErrors() + b.internalErrors());
            assertEquals(TcpState.ESTABLISHED, ca.state());
        }
    }

    /** Writes seeded random bytes from one end as space allows and reads them at the other, hashing both. */
    static final class Pump {
        final TcpConnection from;
        final TcpConnection to;
        final SplittableRandom rnd;
        final MessageDigest sent;
        final MessageDigest got;
        final byte[] chunk = new byte[64 * 1024];
        final byte[] in = new byte[64 * 1024];
        long written;
        long received;
        int pendingOff;
        int pendingLen;

        Pump(TcpConnection from, TcpConnection to, long seed) throws Exception {
            this.from = from;
            this.to = to;
            this.rnd = new SplittableRandom(seed);
            this.sent = MessageDigest.getInstance("SHA-256");
            this.got = MessageDigest.getInstance("SHA-256");
        }

        void step(long now) {
            while (true) {
                if (pendingLen == 0 && written < SIZE) {
                    int n = (int) Math.min(chunk.length, SIZE - written);
                    for (int i = 0; i < n; i++) chunk[i] = (byte) rnd.nextInt(256);
                    sent.update(chunk, 0, n);
                    written += n;
                    pendingOff = 0;
                    pendingLen = n;
                }
                if (pendingLen == 0) break;
                int w = from.write(chunk, pendingOff, pendingLen, now);
                if (w == 0) break;
                pendingOff += w;
                pendingLen -= w;
            }
            int r;
            while ((r = to.read(in, 0, in.length, now)) > 0) {
                got.update(in, 0, r);
                received += r;
            }
        }

        boolean progressPossible() {
            return to.readable() > 0 || (pendingLen > 0 || written < SIZE) && from.writable() > 0;
        }

        boolean done() {
            return received == SIZE;
        }
    }
}
