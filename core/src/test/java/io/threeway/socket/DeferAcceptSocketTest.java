package io.threeway.socket;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** TCP_DEFER_ACCEPT through the socket API: accept() returns only once the client's first data is there. */
class DeferAcceptSocketTest {

    @Test
    void acceptWaitsForTheFirstData() throws Exception {
        try (SimPair p = new SimPair(41)) {
            AtomicLong acceptedAt = new AtomicLong(-1);
            AtomicLong readableAtAccept = new AtomicLong(-1);
            p.sim.spawn("server", () -> {
                try (ServerSocket ss = p.server.serverSocket()) {
                    ss.setOption(ThreewaySocketOptions.TCP_DEFER_ACCEPT, 5);
                    assertEquals(5, ss.getOption(ThreewaySocketOptions.TCP_DEFER_ACCEPT));
                    ss.bind(SimPair.server(80));
                    try (Socket s = ss.accept()) {
                        acceptedAt.set(p.sim.now());
                        InputStream in = s.getInputStream();
                        readableAtAccept.set(in.available());
                        in.readNBytes(7);                     // read the request before closing (unread data means RST)
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            p.sim.spawn("client", () -> {
                try (Socket s = p.client.socket()) {
                    s.connect(SimPair.server(80));                  // connected at 0.1 s (100 ms RTT)
                    p.sim.scheduler().sleep(2_000_000_000L);         // an idle client for two seconds
                    s.getOutputStream().write("GET /\r\n".getBytes()); // sent at 2.1 s, arrives at 2.15 s
                    s.getInputStream().read();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            p.runToCompletion();
            assertEquals(2_150_000_000L, acceptedAt.get(), "accept() returned when the request arrived, not at the handshake");
            assertEquals(7, readableAtAccept.get(), "with the request already readable");
        }
    }
}
