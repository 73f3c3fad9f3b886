package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A receiver whose application stops reading on a lossless path: the window closes, the sender probes it,
 * and no byte the receiver offered a window for is ever dropped, so nothing is retransmitted.
 */
class ZeroWindowTest {
    static final long MS = 1_000_000L;

    @Test
    void dataInsideTheOfferedWindowIsNeverDroppedWhenTheReaderStops() {
        try (Network net = new Network(5)) {
            Stack a = net.host("sender");
            Stack b = net.host("receiver");
            net.link(a, "198.18.0.1", b, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(50)).build());
            Listener l = b.listen(IpAddress.ANY4, 5001, 8, new ConnectionOptions(), false);
            TcpConnection snd = a.connect(IpAddress.parse("198.18.0.2"), 5001, 0, new ConnectionOptions(), 0);
            byte[] buf = new byte[64 * 1024];
            TcpConnection[] rcv = {null};
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                long now = net.now();
                if (rcv[0] == null) rcv[0] = l.accept();
                while (snd.write(buf, 0, buf.length, now) > 0) { }
                if (rcv[0] != null && now < 500 * MS) while (rcv[0].read(buf, 0, buf.length, now) > 0) { }
                a.userCallDone();
                b.userCallDone();
                if (now < 5000 * MS) net.sim().scheduleIn(MS, tick[0]);
            };
            net.sim().schedule(0, tick[0]);
            net.sim().runUntil(5000 * MS);
            assertEquals(0, snd.info(0).totalRetrans(), snd.debugState());
            assertEquals(0, snd.info(0).sndWnd());
            assertEquals("persist", snd.info(0).timer(), "the sender probes the closed window");
            assertEquals(rcv[0].info(0).rcvNxt() - rcv[0].info(0).irs() - 1, rcv[0].info(0).bytesReceived(), "every byte that arrived was kept");
        }
    }
}
