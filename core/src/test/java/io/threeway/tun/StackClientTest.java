package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threeway.app.EchoServer;
import io.threeway.app.HttpFetch;
import io.threeway.host.SocketInfo;
import io.threeway.host.StackObserver;
import io.threeway.host.Stack;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.PcapReader;
import io.threeway.trace.PcapWriter;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.wire.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stack's clients against the kernel's servers (Python's http.server and an echo server run in the
 * namespace), the kernel's view of the connections ({@code ss -tan}), option negotiation seen in a pcap, and
 * a router's ICMP host unreachable failing connect().
 */
class StackClientTest {

    static void waitForListener(NetNs ns, int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (ns.execResult(5, "ss", "-Htln", "sport = :" + port).output().contains("LISTEN")) return;
            Thread.sleep(50);
        }
        fail("nothing listens on port " + port + " in the namespace");
    }

    static final String ECHO_SERVER = String.join("\n",
            "import socket, threading",
            "srv = socket.socket(socket.AF_INET6); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); srv.bind(('::', 7007)); srv.listen(64)",
            "def serve(c):",
            "    while True:",
            "        d = c.recv(65536)",
            "        if not d: break",
            "        c.sendall(d)",
            "    c.close()",
            "while True:",
            "    c, a = srv.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()");

    @ParameterizedTest(name = "GET from python http.server over {0}")
    @ValueSource(strings = {NetNs.KERNEL_V4, NetNs.KERNEL_V6})
    void stackClientFetchesFromPythonHttpServer(String kernel, @TempDir Path dir) throws Exception {
        try (TunLab lab = TunLab.start()) {
            lab.ns.start("python3", "-m", "http.server", "--bind", "::", "--directory", "/usr/share/common-licenses", "8000");
            waitForListener(lab.ns, 8000);
            String host = kernel.contains(":") ? "[" + kernel + "]" : kernel;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpFetch.Result r = HttpFetch.get(URI.create("http://" + host + ":8000/GPL-3"), () -> socket(lab), body, 5000);
            assertEquals(200, r.responseCode());
            assertArrayEquals(Files.readAllBytes(Path.of("/usr/share/common-licenses/GPL-3")), body.toByteArray());
            assertEquals(kernel, IpAddress.of(r.remoteAddress()).toString(), "curl's remote_ip, RFC 5952 text for IPv6");
            assertTrue(r.timeConnect() > 0 && r.timeConnect() <= r.timeStarttransfer() && r.timeStarttransfer() <= r.timeTotal());
        }
    }

    private static Socket socket(TunLab lab) {
        try {
            return lab.host.sockets().socket();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void stackClientTalksToPythonEchoServerAndTheStatesMatchTheLifecycle() throws Exception {
        assumeTrue(NetNs.has("ss"), "needs ss");
        try (TunLab lab = TunLab.start()) {
            lab.ns.start("python3", "-c", ECHO_SERVER);
            waitForListener(lab.ns, 7007);
            Socket s = lab.host.sockets().socket();
            s.connect(new InetSocketAddress(NetNs.KERNEL_V4, 7007), 5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] msg = new byte[1 << 20];
            new java.util.Random(5).nextBytes(msg);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(msg);
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] back = in.readNBytes(msg.length / 2);
            // Mid-transfer, the kernel shows the connection established.
            String during = lab.ns.exec("ss", "-Htan", "sport = :7007");
            assertTrue(during.contains("ESTAB"), during);
            back = concat(back, in.readNBytes(msg.length - back.length));
            writer.join();
            assertArrayEquals(msg, back);

            // The stack closes first: the stack's end waits in TIME-WAIT, the kernel's is gone (LAST-ACK, then closed).
            int localPort = s.getLocalPort();
            s.close();
            Thread.sleep(200);
            // The socket is closed, so the stack keeps a compact TIME-WAIT for it: a row of its socket table.
            List<SocketInfo> rows = lab.host.runtime().call(() -> lab.host.stack().sockets());
            assertTrue(rows.stream().anyMatch(r -> r.localPort() == localPort && r.state() == TcpState.TIME_WAIT),
                    "the stack, which closed first, is in TIME-WAIT: " + rows);
            String after = lab.ns.exec("ss", "-Htan", "sport = :7007");
            assertFalse(after.contains("TIME-WAIT") || after.contains("ESTAB"), after);
        }
    }

    @Test
    void theKernelClosingFirstLeavesItsEndInTimeWait() throws Exception {
        assumeTrue(NetNs.has("ss"), "needs ss");
        try (TunLab lab = TunLab.start(); EchoServer echo = EchoServer.start(lab.host.sockets().serverSocket(7))) {
            NetNs.Result r = lab.ns.execResult(20, "sh", "-c", "python3 -c \"import socket; s=socket.create_connection(('"
                    + NetNs.STACK_V4 + "',7),timeout=5); s.sendall(b'x'); s.recv(1); s.close()\"; sleep 0.3; ss -Htan dport = :7");
            assertTrue(r.output().contains("TIME-WAIT"), "the kernel closed first: " + r.output());
        }
    }

    @Test
    void optionsNegotiatedWithTheKernelAreInThePcapAndUsed(@TempDir Path dir) throws Exception {
        assumeTrue(NetNs.has("ss"), "needs ss");
        Path pcap = dir.resolve("kernel.pcap");
        String kernelInfo;
        try (TunLab lab = TunLab.start(); OutputStream file = Files.newOutputStream(pcap)) {
            PcapWriter writer = new PcapWriter(file);
            lab.host.runtime().run(() -> lab.host.stack().addObserver(new StackObserver() {
                @Override
                public void packet(Stack stack, boolean outbound, byte[] p, int off, int len, long now) {
                    try {
                        writer.write(p, off, len, now);
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }));
            lab.ns.start("python3", "-c", ECHO_SERVER);
            waitForListener(lab.ns, 7007);
            try (Socket s = lab.host.sockets().socket()) {
                s.connect(new InetSocketAddress(NetNs.KERNEL_V4, 7007), 5000);
                byte[] data = new byte[200_000];
                s.getOutputStream().write(data);
                assertEquals(data.length, s.getInputStream().readNBytes(data.length).length);
                kernelInfo = lab.ns.exec("ss", "-Htin", "sport = :7007");
                TcpConnection c = lab.host.runtime().call(() -> lab.host.stack().connections().stream()
                        .filter(x -> x.tuple().remotePort() == 7007).findFirst().orElseThrow());
                assertTrue(c.info(0).timestamps() && c.info(0).sack() && c.info(0).windowScaling(), "the stack uses them");
                assertEquals(1460 - 12, c.info(0).mss(), "the kernel's MSS 1460 less the timestamp option");
            }
            writer.flush();
        }
        List<String> lines = new java.util.ArrayList<>();
        try (PcapReader reader = new PcapReader(Files.newInputStream(pcap))) {
            TcpdumpFormatter tcpdump = new TcpdumpFormatter();
            for (var p = reader.next(); p != null; p = reader.next()) lines.add(tcpdump.format(p));
        }
        // The kernel's side: window scaling both ways, and an MSS of 1460 less the 12 bytes of the timestamp
        // option, which it only takes off when timestamps are in use (this ss prints no "ts sack" flags).
        assertTrue(kernelInfo.matches("(?s).*wscale:\\d+,\\d+ .*") && kernelInfo.contains(" mss:1448 "), "the kernel uses them: " + kernelInfo);
        String syn = lines.stream().filter(l -> l.contains("Flags [S],")).findFirst().orElseThrow();
        String synAck = lines.stream().filter(l -> l.contains("Flags [S.],")).findFirst().orElseThrow();
        assertTrue(syn.matches(".*options \\[mss 1460,sackOK,TS val \\d+ ecr 0,nop,wscale \\d+\\].*"), syn);
        assertTrue(synAck.matches(".*options \\[mss 1460,sackOK,TS val \\d+ ecr \\d+,nop,wscale \\d+\\].*"), "the kernel's SYN-ACK: " + synAck);
        assertTrue(lines.stream().anyMatch(l -> l.contains("length 1448") && l.contains("TS val")), "full segments carry timestamps");
    }

    @Test
    void aRoutersHostUnreachableFailsConnectAtOnce() throws Exception {
        try (TunLab lab = TunLab.start()) {
            // The namespace forwards, and has an "unreachable" route for 198.19.200.0/24: it answers our SYN
            // with ICMP host unreachable (ip_error), as a router with no way on would.
            lab.ns.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            lab.ns.exec("ip", "route", "add", "unreachable", "198.19.200.0/24");
            Socket s = lab.host.sockets().socket();
            long t0 = System.nanoTime();
            NoRouteToHostException e = assertThrows(NoRouteToHostException.class,
                    () -> s.connect(new InetSocketAddress("198.19.200.1", 80), 10_000));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals("No route to host", e.getMessage());
            assertTrue(seconds < 1, "at once, not after SYN retries: " + seconds);
            assertEquals(1, lab.host.stack().counters().get(io.threeway.stats.Counter.ICMP_IN_DEST_UNREACHS));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
