package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.settings.Sysctls;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * RFC 7323's reason for being: one connection over a 1 Gbit/s link with a 100 ms RTT. With window scaling
 * and buffers large enough it fills the link; without it the window caps it at 65,535 bytes per RTT.
 */
class WindowScalingTest {
    static final long MS = 1_000_000L;

    /** Bits per second delivered to the receiving application between {@code from} and {@code to} seconds. */
    static double goodput(boolean windowScaling, double from, double to) {
        try (Network net = new Network(77)) {
            Sysctls settings = new Sysctls();
            settings.set("net.ipv4.tcp_window_scaling", windowScaling ? "1" : "0");
            // "Buffers large enough": the bandwidth-delay product is 12.5 MB; Linux's default tcp_wmem[2] (4 MB) is not.
            settings.set("net.ipv4.tcp_rmem", "4096 131072 67108864");
            settings.set("net.ipv4.tcp_wmem", "4096 16384 67108864");
            Stack a = net.host("sender", new Sysctls(settings));
            Stack b = net.host("receiver", new Sysctls(settings));
            LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(50)).bandwidth(1_000_000_000L)
                    .queueLimit(64 * 1024 * 1024).build(); // room for the whole window: this measures windows, not recovery
            net.link(a, "198.18.0.1", b, "198.18.0.2", path);
            Listener l = b.listen(IpAddress.ANY4, 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = a.connect(IpAddress.parse("198.18.0.2"), 5001, 0, new ConnectionOptions(), 0);
            net.sim().runUntil(() -> l.acceptQueueLength() == 1, 1_000_000_000L);
            TcpConnection rcv = l.accept();
            byte[] chunk = new byte[256 * 1024];
            byte[] sink = new byte[256 * 1024];
            long[] received = {0};
            long[] atFrom = {-1};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                while (snd.write(chunk, 0, chunk.length, now) > 0) { }
                int n;
                while ((n = rcv.read(sink, 0, sink.length, now)) > 0) received[0] += n;
                a.userCallDone();
                b.userCallDone();
                if (atFrom[0] < 0 && now >= (long) (from * 1e9)) atFrom[0] = received[0];
                if (System.getProperty("threeway.debug") != null && now % 500_000_000L < MS) {
                    System.out.println(now / 1e9 + " rcvd " + received[0] + "\n  snd " + snd.debugState() + "\n  rcv " + rcv.debugState());
                }
                if (now < (long) (to * 1e9)) net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(net.now(), tick[0]);
            net.sim().runUntil((long) (to * 1e9) + MS);
            assertEquals(0, a.internalErrors() + b.internalErrors());
            return (received[0] - atFrom[0]) * 8 / (to - from);
        }
    }

    @Test
    void withWindowScalingOneConnectionFillsAGigabitAt100ms() {
        double bps = goodput(true, 4, 8);
        System.out.printf("window scaling on: %.1f Mbit/s on a 1000 Mbit/s, 100 ms path%n", bps / 1e6);
        assertTrue(bps >= 0.9e9, "goodput " + bps / 1e6 + " Mbit/s");
    }

    @Test
    void withoutWindowScalingTheWindowCapsItNear5Point2Mbits() {
        double bps = goodput(false, 2, 6);
        System.out.printf("window scaling off: %.2f Mbit/s%n", bps / 1e6);
        // 65,535 bytes per 100 ms RTT: 5.24 Mbit/s (a little less: the window is offered in whole segments).
        assertEquals(5.24e6, bps, 0.4e6, "goodput " + bps / 1e6 + " Mbit/s");
    }
}
