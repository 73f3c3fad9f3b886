package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Names resolve inside the network through the JDK's own InetAddress (the resolver provider), and a sealed run
 * refuses kernel sockets before anything is sent. Nothing here reaches a real network: the kernel sockets tried
 * are refused (sealed) or aimed at an address of 198.18.0.0/15 that no route here leads to.
 */
class NamesAndSealedTest {

    @Test
    void inetAddressResolvesHostNamesOfTheNetwork() {
        try (Network net = Network.simulated(21)) {
            Host client = net.host("client");
            Host api = net.host("api.test");
            net.link(client, api).rtt(Duration.ofMillis(20));
            net.spawn("server", () -> {
                try (ServerSocket ss = api.listen(80); Socket s = ss.accept()) {
                    s.getOutputStream().write(7);
                }
            });
            net.spawn("client", () -> {
                InetAddress a = InetAddress.getByName("api.test");
                assertEquals(api.address(), InetAddress.getByAddress(a.getAddress()));
                assertEquals("api.test", a.getHostName());
                assertEquals(2, InetAddress.getAllByName("API.test.").length); // IPv4 and IPv6
                UnknownHostException e = assertThrows(UnknownHostException.class, () -> InetAddress.getByName("db.test"));
                assertTrue(e.getMessage().contains("no host of that name in the Threeway network"), e.getMessage());
                try (Socket s = client.socketFactory().createSocket()) {
                    s.connect(new InetSocketAddress("api.test", 80), 1000); // resolved by the JDK, through Threeway
                    assertEquals(7, s.getInputStream().read());
                }
                assertEquals("client", InetAddress.getByAddress(client.address().getAddress()).getCanonicalHostName());
            });
            net.runUntilThreadsFinish();
        }
    }

    @Test
    void oneNetworksNamesDoNotLeakIntoTheNext() {
        for (String address : new String[] {"198.18.7.1", "198.18.7.2"}) {
            try (Network net = Network.simulated(22)) {
                net.host("svc.test", address);
                net.spawn("lookup", () -> assertEquals(address, InetAddress.getByName("svc.test").getHostAddress()));
                net.runUntilThreadsFinish();
            }
        }
    }

    @Test
    void aSealedRunRefusesKernelSocketsBeforeAnythingIsSent() throws Exception {
        try (Network net = Network.simulated(23).seal()) {
            assertTrue(Sealed.active());
            Host client = net.host("client");
            net.host("server");
            net.spawn("library-ignoring-the-factory", () -> {
                Socket kernel = new Socket(); // what a library that ignores the factory does
                SocketException e = assertThrows(SocketException.class,
                        () -> kernel.connect(new InetSocketAddress(net.host("server").address(), 80), 1000));
                assertTrue(e.getMessage().startsWith("sealed run: a socket was opened on the kernel's network stack from"
                        + " thread 'library-ignoring-the-factory'"), e.getMessage());
                assertThrows(SocketException.class, () -> new ServerSocket(0));
                UnknownHostException dns = assertThrows(UnknownHostException.class, () -> InetAddress.getByName("example.com"));
                assertTrue(dns.getMessage().contains("no host of that name"), dns.getMessage());
            });
            net.runUntilThreadsFinish();
            assertEquals(0, net.tcpdump().size());
            assertNotNull(client);
        }
        assertFalse(Sealed.active());
        try (ServerSocket kernel = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(kernel.getLocalPort() > 0, "outside sealed runs kernel sockets work as before");
        }
    }
}
