package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TCP_DEFER_ACCEPT (the seeds' C server sets it to 5 s): accept() only sees connections with data. */
class DeferAcceptTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Setup(Network net, Stack client, Stack server, Listener listener, TcpConnection conn) {}

    static Setup setup() {
        Network net = new Network(21);
        Stack c = net.host("client");
        Stack s = net.host("server");
        net.link(c, "198.18.0.1", s, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(10)).build());
        Listener l = s.listen(IpAddress.ANY4, 80, 16, new ConnectionOptions(), false);
        l.setDeferAcceptSeconds(5);
        TcpConnection conn = c.connect(SERVER, 80, 0, new ConnectionOptions(), 0);
        return new Setup(net, c, s, l, conn);
    }

    @Test
    void aConnectionWaitsOutsideTheAcceptQueueUntilItsFirstData() {
        Setup e = setup();
        e.net.sim().runFor(Duration.ofSeconds(2));
        assertEquals(TcpState.ESTABLISHED, e.conn.state(), "the client is connected");
        assertEquals(0, e.listener.acceptQueueLength(), "but the application is not woken");
        byte[] req = "GET / HTTP/1.1\r\n\r\n".getBytes();
        e.conn.write(req, 0, req.length, e.net.now());
        e.client.userCallDone();
        e.net.sim().runFor(Duration.ofMillis(50));
        assertEquals(1, e.listener.acceptQueueLength());
        TcpConnection s = e.listener.accept();
        assertEquals(req.length, s.readable(), "accept() returns a connection with the request already readable");
    }

    @Test
    void withoutDataItIsQueuedWhenTheDeferTimeEnds() {
        Setup e = setup();
        e.net.sim().runFor(Duration.ofMillis(4_900));
        assertEquals(0, e.listener.acceptQueueLength());
        e.net.sim().runFor(Duration.ofMillis(200));
        assertEquals(1, e.listener.acceptQueueLength(), "after 5 s the connection is accepted anyway");
    }
}
