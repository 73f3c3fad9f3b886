package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threeway.app.HttpServer;
import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.socket.ThreewaySocketOptions;
import io.threeway.stats.Counter;
import io.threeway.trace.PcapReader;
import io.threeway.trace.PcapWriter;
import io.threeway.trace.TcpdumpFormatter;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP Fast Open (RFC 7413) between the stack and the Linux kernel, both ways, over a TUN device into a namespace
 * the test creates. net.ipv4.tcp_fastopen is set inside that namespace only (network sysctls are per namespace).
 * Each test connects twice: the first connection gets a cookie, the second carries its request in the SYN. The
 * stack's packets are captured and read back with the tcpdump formatter. Needs root and /dev/net/tun.
 */
class FastOpenInteropTest {
    static final String REQUEST = "GET / HTTP/1.1\r\nHost: threeway\r\nConnection: close\r\n\r\n";

    /** Captures every packet the stack sends or receives into {@code pcap}, until {@link #lines()} reads it. */
    static final class Capture implements AutoCloseable {
        private final Path pcap;
        private final OutputStream file;
        private final PcapWriter writer;

        Capture(TunLab lab, Path pcap) throws IOException {
            this.pcap = pcap;
            this.file = Files.newOutputStream(pcap);
            this.writer = new PcapWriter(file);
            lab.host.runtime().run(() -> lab.host.stack().addObserver(new StackObserver() {
                @Override
                public void packet(Stack stack, boolean outbound, byte[] p, int off, int len, long now) {
                    try {
                        writer.write(p, off, len, now);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }));
        }

        /** The capture so far, one tcpdump line per packet. */
        List<String> lines() throws IOException {
            writer.flush();
            List<String> lines = new ArrayList<>();
            try (PcapReader reader = new PcapReader(Files.newInputStream(pcap))) {
                TcpdumpFormatter tcpdump = new TcpdumpFormatter();
                for (var p = reader.next(); p != null; p = reader.next()) lines.add(tcpdump.format(p));
            }
            return lines;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /**
     * tcpdump's Fast Open options: "tfo  cookiereq" and "tfo  cookie 0123...". The two spaces are tcpdump's own
     * (the option's name, then print_tcp_fastopen_option's leading space), which the formatter keeps.
     */
    static final Pattern COOKIE_REQUEST = Pattern.compile("tfo +cookiereq");
    static final Pattern COOKIE = Pattern.compile("tfo +cookie ([0-9a-f]+)");

    /** The SYNs (without ACK) and SYN-ACKs in a capture, in order. */
    static List<String> syns(List<String> lines) {
        return lines.stream().filter(l -> l.contains("Flags [S],")).toList();
    }

    static List<String> synAcks(List<String> lines) {
        return lines.stream().filter(l -> l.contains("Flags [S.],")).toList();
    }

    /** tcpdump's trailing "length N": the TCP payload's length. */
    static int payloadLength(String line) {
        Matcher m = Pattern.compile("length (\\d+)(?::|$)").matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    /** A kernel counter in the namespace (nstat -a: absolute values; -s: leave nstat's history file alone). */
    static long kernelCounter(NetNs ns, String name) throws IOException {
        String out = ns.exec("nstat", "-asz", name);
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+(\\d+)").matcher(out);
        assertTrue(m.find(), "nstat shows " + name + ": " + out);
        return Long.parseLong(m.group(1));
    }

    static void setStackSysctl(TunLab lab, String name, String value) {
        lab.host.runtime().run(() -> lab.host.stack().sysctls().set(name, value));
    }

    @Test
    void aKernelClientGetsACookieThenSendsItsRequestInTheSyn(@TempDir Path dir) throws Exception {
        assumeTrue(NetNs.has("nstat"), "needs nstat (iproute2)");
        try (TunLab lab = TunLab.start(); Capture capture = new Capture(lab, dir.resolve("kernel-client.pcap"))) {
            lab.ns.exec("sysctl", "-qw", "net.ipv4.tcp_fastopen=1"); // the kernel's client bit, in the namespace only
            setStackSysctl(lab, "net.ipv4.tcp_fastopen", "3");
            ServerSocket ss = lab.host.sockets().serverSocket(80);
            ss.setOption(ThreewaySocketOptions.TCP_FASTOPEN, 16);
            try (HttpServer http = HttpServer.start(ss, "threeway")) {
                // sendto(MSG_FASTOPEN) is connect() and send() in one call: with no cookie the SYN asks for one and
                // the data follows the handshake; with the cookie the data rides in the SYN.
                String script = String.join("\n",
                        "import socket",
                        "req = " + pythonBytes(REQUEST),
                        "for i in range(2):",
                        "    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
                        "    s.sendto(req, socket.MSG_FASTOPEN, ('" + NetNs.STACK_V4 + "', 80))  # blocking: a timeout would make it EINPROGRESS",
                        "    s.settimeout(5)",
                        "    d = b''",
                        "    while True:",
                        "        x = s.recv(65536)",
                        "        if not x: break",
                        "        d += x",
                        "    print(i, d.split(b'\\r\\n', 1)[0].decode(), len(d))",
                        "    s.close()");
                NetNs.Result r = lab.ns.execResult(20, "python3", "-c", script);
                assertEquals(0, r.status(), r.output());
                assertTrue(r.output().matches("(?s)0 HTTP/1.1 200 OK \\d+\\s+1 HTTP/1.1 200 OK \\d+\\s*"), r.output());
            }
            List<String> lines = capture.lines();
            List<String> syns = syns(lines);
            List<String> synAcks = synAcks(lines);
            assertEquals(2, syns.size(), String.join("\n", lines));
            assertTrue(COOKIE_REQUEST.matcher(syns.get(0)).find() && payloadLength(syns.get(0)) == 0, "first SYN: " + syns.get(0));
            Matcher cookie = COOKIE.matcher(synAcks.get(0));
            assertTrue(cookie.find(), "the stack's SYN-ACK hands out a cookie: " + synAcks.get(0));
            assertTrue(syns.get(1).matches(".*tfo +cookie " + cookie.group(1) + "\\b.*"), "second SYN presents it: " + syns.get(1));
            assertEquals(REQUEST.length(), payloadLength(syns.get(1)), "second SYN carries the request: " + syns.get(1));
            System.out.println("kernel client, Fast Open:\n  " + syns.get(0) + "\n  " + synAcks.get(0) + "\n  " + syns.get(1)
                    + "\n  " + synAcks.get(1));

            Stack stack = lab.host.stack();
            assertEquals(1, lab.host.runtime().call(() -> stack.counters().get(Counter.TCP_FAST_OPEN_COOKIE_REQD)));
            assertEquals(1, lab.host.runtime().call(() -> stack.counters().get(Counter.TCP_FAST_OPEN_PASSIVE)));
            assertEquals(0, lab.host.runtime().call(() -> stack.counters().get(Counter.TCP_FAST_OPEN_PASSIVE_FAIL)));
            assertEquals(1, kernelCounter(lab.ns, "TcpExtTCPFastOpenActive"), "the kernel saw its SYN data acknowledged");
            assertEquals(0, kernelCounter(lab.ns, "TcpExtTCPFastOpenActiveFail"));
        }
    }

    static final String KERNEL_SERVER = String.join("\n",
            "import socket",
            "srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            "srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "srv.bind(('0.0.0.0', 8080))",
            "srv.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)",
            "srv.listen(16)",
            "while True:",
            "    c, a = srv.accept(); d = b''",
            "    while b'\\r\\n\\r\\n' not in d:",
            "        x = c.recv(4096)",
            "        if not x: break",
            "        d += x",
            "    c.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n' % len(d) + d)",
            "    c.close()");

    @Test
    void theStackGetsTheKernelsCookieThenSendsItsRequestInTheSyn(@TempDir Path dir) throws Exception {
        assumeTrue(NetNs.has("nstat") && NetNs.has("ss"), "needs nstat and ss (iproute2)");
        try (TunLab lab = TunLab.start(); Capture capture = new Capture(lab, dir.resolve("stack-client.pcap"))) {
            lab.ns.exec("sysctl", "-qw", "net.ipv4.tcp_fastopen=3"); // client and server bits, in the namespace only
            lab.ns.start("python3", "-c", KERNEL_SERVER);
            StackClientTest.waitForListener(lab.ns, 8080);
            IpAddress kernel = IpAddress.parse(NetNs.KERNEL_V4);
            Stack stack = lab.host.stack();
            for (int i = 0; i < 2; i++) {
                try (Socket s = lab.host.sockets().socket()) {
                    s.setOption(ThreewaySocketOptions.TCP_FASTOPEN_CONNECT, true);
                    s.connect(new InetSocketAddress(NetNs.KERNEL_V4, 8080), 5000);
                    s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                    String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertTrue(response.startsWith("HTTP/1.1 200 OK") && response.endsWith(REQUEST), "the kernel echoed the request once: " + response);
                }
                if (i == 0) assertTrue(lab.host.runtime().call(() -> stack.hasFastOpenCookie(kernel)), "the kernel's SYN-ACK brought a cookie");
            }
            List<String> lines = capture.lines();
            List<String> syns = syns(lines);
            List<String> synAcks = synAcks(lines);
            assertEquals(2, syns.size(), String.join("\n", lines));
            assertTrue(COOKIE_REQUEST.matcher(syns.get(0)).find() && payloadLength(syns.get(0)) == 0, "first SYN: " + syns.get(0));
            Matcher cookie = COOKIE.matcher(synAcks.get(0));
            assertTrue(cookie.find(), "the kernel's SYN-ACK hands out a cookie: " + synAcks.get(0));
            assertEquals(16, cookie.group(1).length(), "Linux's cookies are 8 bytes (TCP_FASTOPEN_COOKIE_SIZE)");
            assertTrue(syns.get(1).matches(".*tfo +cookie " + cookie.group(1) + "\\b.*"), "second SYN presents it: " + syns.get(1));
            assertEquals(REQUEST.length(), payloadLength(syns.get(1)), "second SYN carries the request: " + syns.get(1));
            System.out.println("stack client, Fast Open:\n  " + syns.get(0) + "\n  " + synAcks.get(0) + "\n  " + syns.get(1)
                    + "\n  " + synAcks.get(1));

            assertEquals(1, lab.host.runtime().call(() -> stack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE)), "the SYN-ACK acknowledged the data");
            assertEquals(0, lab.host.runtime().call(() -> stack.counters().get(Counter.TCP_FAST_OPEN_ACTIVE_FAIL)));
            assertEquals(1, kernelCounter(lab.ns, "TcpExtTCPFastOpenCookieReqd"));
            assertEquals(1, kernelCounter(lab.ns, "TcpExtTCPFastOpenPassive"), "the kernel took the SYN's data");
            assertEquals(0, kernelCounter(lab.ns, "TcpExtTCPFastOpenPassiveFail"));
        }
    }

    /** A Python bytes literal for ASCII text. */
    static String pythonBytes(String ascii) {
        return "b'" + ascii.replace("\\", "\\\\").replace("'", "\\'").replace("\r", "\\r").replace("\n", "\\n") + "'";
    }
}
