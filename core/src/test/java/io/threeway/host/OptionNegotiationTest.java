package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.LinkDirection;
import io.threeway.sim.Network;
import io.threeway.sim.Rules;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import io.threeway.wire.TcpOptions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every combination of the four SYN options (MSS, window scale, SACK-permitted, timestamps) present or absent on
 * either side: 256 connections, each negotiating what both sides offered and moving data both ways intact over
 * a lossy path. A side without window scaling, SACK or timestamps has them off by sysctl (so it does not offer
 * them, as a real stack would not); the MSS option, which no sysctl removes, is stripped from its packets.
 */
class OptionNegotiationTest {
    static final int[] KINDS = {TcpOptions.KIND_MSS, TcpOptions.KIND_WSCALE, TcpOptions.KIND_SACK_PERMITTED, TcpOptions.KIND_TIMESTAMP};

    static IntStream combinations() {
        return IntStream.range(0, 256);
    }

    /** Bit i (0..3) set: the client offers KINDS[i]; bit 4+i: the server does. */
    private static boolean offers(int combo, int side, int option) {
        return (combo & (1 << (side * 4 + option))) != 0;
    }

    @ParameterizedTest(name = "combination {0}")
    @MethodSource("combinations")
    void negotiatesWhatBothOfferAndTransfersIntact(int combo) throws Exception {
        try (Network net = new Network(combo)) {
            Stack c = net.host("client");
            Stack s = net.host("server");
            LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(5)).loss(0.01).build();
            Link link = net.link(c, "198.18.0.1", s, "198.18.0.2", path);
            String[] sysctl = {null, "net.ipv4.tcp_window_scaling", "net.ipv4.tcp_sack", "net.ipv4.tcp_timestamps"};
            for (int side = 0; side < 2; side++) {
                LinkDirection dir = side == 0 ? link.aToB() : link.bToA();
                Stack stack = side == 0 ? c : s;
                if (!offers(combo, side, 0)) dir.addRule(Rules.stripTcpOption(KINDS[0]));
                for (int o = 1; o < 4; o++) if (!offers(combo, side, o)) stack.sysctls().set(sysctl[o], "0");
            }
            Listener l = s.listen(IpAddress.ANY4, 80, 8, new ConnectionOptions(), false);
            TcpConnection cc = c.connect(IpAddress.parse("198.18.0.2"), 80, 0, new ConnectionOptions(), 0);
            assertTrue(net.sim().runUntil(() -> l.acceptQueueLength() == 1, 60_000_000_000L), "connected");
            TcpConnection sc = l.accept();

            boolean ws = offers(combo, 0, 1) && offers(combo, 1, 1);
            boolean sack = offers(combo, 0, 2) && offers(combo, 1, 2);
            boolean ts = offers(combo, 0, 3) && offers(combo, 1, 3);
            for (TcpConnection conn : new TcpConnection[] {cc, sc}) {
                assertEquals(ws, conn.info(0).windowScaling(), "window scaling");
                assertEquals(sack, conn.info(0).sack(), "SACK");
                assertEquals(ts, conn.info(0).timestamps(), "timestamps");
            }
            // Without the peer's MSS option, RFC 9293 §3.7.1's default of 536 applies to what we send it.
            int tsRoom = ts ? 12 : 0;
            assertEquals((offers(combo, 1, 0) ? 1460 : 536) - tsRoom, cc.info(0).mss(), "client's send MSS");
            assertEquals((offers(combo, 0, 0) ? 1460 : 536) - tsRoom, sc.info(0).mss(), "server's send MSS");

            byte[] up = new byte[150_000];
            byte[] down = new byte[150_000];
            new SplittableRandom(combo).nextBytes(up);
            new SplittableRandom(~combo).nextBytes(down);
            MessageDigest gotUp = MessageDigest.getInstance("SHA-256");
            MessageDigest gotDown = MessageDigest.getInstance("SHA-256");
            int[] sent = {0, 0};
            long[] got = {0, 0};
            byte[] buf = new byte[65536];
            while (got[0] < up.length || got[1] < down.length) {
                long now = net.now();
                if (sent[0] < up.length) sent[0] += cc.write(up, sent[0], up.length - sent[0], now);
                if (sent[1] < down.length) sent[1] += sc.write(down, sent[1], down.length - sent[1], now);
                for (int n; (n = sc.read(buf, 0, buf.length, now)) > 0; got[0] += n) gotUp.update(buf, 0, n);
                for (int n; (n = cc.read(buf, 0, buf.length, now)) > 0; got[1] += n) gotDown.update(buf, 0, n);
                c.userCallDone();
                s.userCallDone();
                assertEquals(TcpState.ESTABLISHED, cc.state());
                assertTrue(net.now() < 600_000_000_000L, "transfer stalled: " + cc.debugState());
                net.sim().runUntil(() -> sc.readable() > 0 || cc.readable() > 0
                        || (sent[0] < up.length && cc.writable() > 0) || (sent[1] < down.length && sc.writable() > 0), now + 1_000_000_000L);
            }
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(up), gotUp.digest());
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(down), gotDown.digest());
            assertEquals(0, c.internalErrors() + s.internalErrors());
        }
    }
}
