package io.threeway.api;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.socket.ThreewaySocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NIO through the API: a host's selector provider in virtual time (the same seed, the same packets, faults on the
 * link) and in real time, and the JVM-wide {@link NetworkSelectorProvider}'s choice of channels by thread.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NioTest {

    /** Echoes {@code lines} requests on one selector, then returns what the client read and when. */
    static String echo(Network net, Duration rtt, SegmentRule fault) throws Exception {
        Host client = net.host("client");
        Host server = net.host("api.test");
        Link link = net.link(client, server).rtt(rtt);
        if (fault != null) link.add(fault);
        SelectorProvider nio = server.selectorProvider();
        ServerSocketChannel ss = nio.openServerSocketChannel().bind(new InetSocketAddress(7));
        server.spawn("echo", () -> {
            try (ss; Selector sel = nio.openSelector()) {
                ss.configureBlocking(false);
                ss.register(sel, SelectionKey.OP_ACCEPT);
                while (true) {
                    sel.select();
                    for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey k = it.next();
                        it.remove();
                        if (k.isAcceptable()) {
                            SocketChannel c = ss.accept();
                            c.configureBlocking(false);
                            c.register(sel, SelectionKey.OP_READ);
                        } else if (k.isReadable()) {
                            SocketChannel c = (SocketChannel) k.channel();
                            ByteBuffer b = ByteBuffer.allocate(4096);
                            int n;
                            try {
                                n = c.read(b);
                            } catch (IOException e) {
                                n = -1;
                            }
                            if (n < 0) {
                                c.close();
                                return;
                            }
                            b.flip();
                            while (b.hasRemaining()) c.write(b); // a few KB: the send buffer takes them

                        }
                    }
                }
            }
        });
        AtomicReference<String> out = new AtomicReference<>();
        client.spawn("client", () -> {
            try (SocketChannel c = client.selectorProvider().openSocketChannel()) {
                c.connect(new InetSocketAddress("api.test", 7));
                byte[] line = "0123456789abcdef".repeat(64).getBytes(StandardCharsets.US_ASCII);
                long got = 0;
                try {
                    for (int i = 0; i < 40; i++) {
                        c.write(ByteBuffer.wrap(line));
                        ByteBuffer b = ByteBuffer.allocate(line.length);
                        while (b.hasRemaining()) if (c.read(b) < 0) throw new IOException("end of stream");
                        got += line.length;
                    }
                    out.set("echoed " + got + " bytes");
                } catch (IOException e) {
                    out.set("after " + got + " bytes: " + e.getMessage());
                }
            }
        });
        net.runUntil(() -> out.get() != null, Duration.ofMinutes(2));
        return out.get();
    }

    @Test
    void aSelectorEchoInVirtualTimeGivesTheSamePacketsForTheSameSeed() throws Exception {
        List<List<String>> traces = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (Network net = Network.simulated(21)) {
                assertEquals("echoed 40960 bytes", echo(net, Duration.ofMillis(30), null));
                assertEquals(Duration.ofMillis(30 * 41), net.elapsed(), "the handshake and 40 exchanges of one round trip");
                traces.add(net.tcpdump());
            }
        }
        assertEquals(traces.get(0), traces.get(1));
    }

    @Test
    void aResetMidStreamReachesTheNioClient() throws Exception {
        try (Network net = Network.simulated(22)) {
            String r = echo(net, Duration.ofMillis(10), Faults.resetAfterBytes(20_000));
            assertTrue(r.matches("after \\d+ bytes: Connection reset"), r);
        }
    }

    @Test
    void theSameSelectorEchoInRealTime() throws Exception {
        try (Network net = Network.realTime(23)) {
            assertEquals("echoed 40960 bytes", echo(net, Duration.ofMillis(2), null));
        }
    }

    @Test
    void theJvmWideProviderGivesAHostsThreadsThatHostsChannels() throws Exception {
        NetworkSelectorProvider jvm = new NetworkSelectorProvider();
        try (Network net = Network.simulated(24)) {
            Host client = net.host("client");
            List<String> seen = new ArrayList<>();
            client.spawn("on-host", () -> {
                try (SocketChannel c = jvm.openSocketChannel(); Selector s = jvm.openSelector()) {
                    seen.add("host thread: " + (c instanceof ThreewaySocketChannel) + " " + s.getClass().getSimpleName());
                }
                assertThrows(UnsupportedOperationException.class, jvm::openDatagramChannel);
                assertThrows(UnsupportedOperationException.class, jvm::openPipe);
            });
            net.spawn("no-host", () -> {
                IOException e = assertThrows(IOException.class, jvm::openSocketChannel);
                seen.add("network thread: " + e.getMessage().substring(0, e.getMessage().indexOf(',')));
            });
            net.runUntilThreadsFinish();
            try (SocketChannel kernel = jvm.openSocketChannel()) {
                seen.add("other thread: " + kernel.getClass().getName().startsWith("sun.nio.ch."));
            }
            net.seal();
            IOException refused = assertThrows(IOException.class, jvm::openSocketChannel);
            seen.add(refused.getMessage().substring(0, 39));
            assertEquals(List.of("host thread: true ThreewaySelector",
                    "network thread: a socket channel was opened on thread 'no-host' of Network[simulated",
                    "other thread: true", "sealed run: a socket channel was opened"), seen);
        }
    }
}
