package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.threeway.app.EchoServer;
import io.threeway.app.HttpServer;
import io.threeway.app.Payload;
import io.threeway.sim.LinkConfig;
import io.threeway.stats.Counter;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel's clients (curl, Python sockets, ping's ICMP) against the stack's servers, over a TUN device
 * whose kernel end lives in a namespace the test creates. Needs root and /dev/net/tun; skipped otherwise.
 */
class KernelClientsTest {

    static String url(String stackAddress, int port, String path) {
        return "http://" + (stackAddress.contains(":") ? "[" + stackAddress + "]" : stackAddress) + ":" + port + path;
    }

    static String sha256OfPayload(long n) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[Payload.PERIOD * 256];
        Payload.fill(0, chunk, chunk.length);
        for (long done = 0; done < n; done += chunk.length) md.update(chunk, 0, (int) Math.min(chunk.length, n - done));
        return HexFormat.of().formatHex(md.digest());
    }

    /** Python that sends N bytes of the payload pattern to POST /sha256 and prints the server's answer and its own hash. */
    static String uploadScript(String host, int port, long n) {
        return String.join("\n",
                "import socket, hashlib",
                "n = " + n,
                "pat = bytes(i % 251 for i in range(251 * 256))",
                "s = socket.create_connection(('" + host + "', " + port + "), timeout=60)",
                "s.sendall(b'POST /sha256 HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n' % n)",
                "h = hashlib.sha256(); left = n",
                "while left > 0:",
                "    c = pat[:min(len(pat), left)]; s.sendall(c); h.update(c); left -= len(c)",
                "resp = b''",
                "while True:",
                "    d = s.recv(65536)",
                "    if not d: break",
                "    resp += d",
                "print(h.hexdigest(), resp.split(b'\\r\\n\\r\\n', 1)[1].decode().strip())");
    }

    @ParameterizedTest(name = "curl GET / over {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void curlGetsAPageWithKeepAlive(String address) throws Exception {
        assumeTrue(NetNs.has("curl"), "needs curl");
        try (TunLab lab = TunLab.start(); HttpServer http = HttpServer.start(lab.host.sockets().serverSocket(80), "threeway")) {
            // Two URLs on one command line: curl reuses the connection when the server keeps it alive.
            NetNs.Result r = lab.ns.execResult(20, "curl", "-sS", "-v", url(address, 80, "/"), url(address, 80, "/bytes/10"));
            assertEquals(0, r.status(), r.output());
            assertTrue(r.output().contains("Hello from Threeway"), r.output());
            assertTrue(r.output().contains("Re-using existing connection"), "keep-alive: " + r.output());
        }
    }

    @ParameterizedTest(name = "python echo client over {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void pythonSocketClientEchoes(String address) throws Exception {
        try (TunLab lab = TunLab.start(); EchoServer echo = EchoServer.start(lab.host.sockets().serverSocket(7))) {
            NetNs.Result r = lab.ns.execResult(20, "python3", "-c",
                    "import socket; s=socket.create_connection(('" + address + "',7),timeout=5); s.sendall(b'hello, kernel'); "
                            + "s.shutdown(socket.SHUT_WR); d=b''\nwhile True:\n  x=s.recv(100)\n  if not x: break\n  d+=x\nprint(d.decode())");
            assertEquals("hello, kernel", r.output().strip(), r.toString());
        }
    }

    @Test
    void twoHundredConnectionsAtOnce() throws Exception {
        try (TunLab lab = TunLab.start(); EchoServer echo = EchoServer.start(lab.host.sockets().serverSocket(7, 256))) {
            String script = String.join("\n",
                    "import socket",
                    "socks = [socket.create_connection(('" + NetNs.STACK_V4 + "', 7), timeout=20) for i in range(200)]",
                    "for i, s in enumerate(socks): s.sendall(b'conn %03d' % i)",
                    "ok = 0",
                    "for i, s in enumerate(socks):",
                    "    d = b''",
                    "    while len(d) < 8: d += s.recv(100)",
                    "    ok += d == b'conn %03d' % i",
                    "print(ok)",
                    "for s in socks: s.close()");
            NetNs.Result r = lab.ns.execResult(60, "python3", "-c", script);
            assertEquals("200", r.output().strip(), r.toString());
            assertTrue(lab.host.stack().counters().get(Counter.PASSIVE_OPENS) >= 200);
        }
    }

    @ParameterizedTest(name = "100 MB each way over {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void hundredMegabytesEachWayWithSha256(String address) throws Exception {
        assumeTrue(NetNs.has("curl") && NetNs.has("sha256sum"), "needs curl and sha256sum");
        long n = 100L * 1024 * 1024;
        try (TunLab lab = TunLab.start(); HttpServer http = HttpServer.start(lab.host.sockets().serverSocket(80), "threeway")) {
            long t0 = System.nanoTime();
            NetNs.Result down = lab.ns.execResult(120, "sh", "-c", "curl -sS --fail " + url(address, 80, "/bytes/" + n) + " | sha256sum");
            long t1 = System.nanoTime();
            assertEquals(0, down.status(), down.output());
            assertEquals(sha256OfPayload(n), down.output().split(" ")[0], "stack -> kernel, 100 MB");
            NetNs.Result up = lab.ns.execResult(120, "python3", "-c", uploadScript(address, 80, n));
            long t2 = System.nanoTime();
            String[] hashes = up.output().strip().split(" ");
            assertEquals(2, hashes.length, up.output());
            assertEquals(hashes[0], hashes[1], "kernel -> stack, 100 MB: the server's SHA-256 matches the client's");
            System.out.printf("100 MB over %s: stack->kernel %.1f s, kernel->stack %.1f s%n", address, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }

    @Test
    void transfersCompleteIntactWithOnePercentLossAndTwentyMsDelay() throws Exception {
        assumeTrue(NetNs.has("curl") && NetNs.has("sha256sum"), "needs curl and sha256sum");
        LinkConfig path = LinkConfig.builder().delay(Duration.ofMillis(20)).loss(0.01).build();
        long n = 2L * 1024 * 1024;
        try (TunLab lab = TunLab.start(path, path); HttpServer http = HttpServer.start(lab.host.sockets().serverSocket(80), "threeway")) {
            NetNs.Result down = lab.ns.execResult(120, "sh", "-c", "curl -sS --fail " + url(NetNs.STACK_V4, 80, "/bytes/" + n) + " | sha256sum");
            assertEquals(sha256OfPayload(n), down.output().split(" ")[0], down.output());
            NetNs.Result up = lab.ns.execResult(120, "python3", "-c", uploadScript(NetNs.STACK_V4, 80, n));
            String[] hashes = up.output().strip().split(" ");
            assertEquals(2, hashes.length, up.output());
            assertEquals(hashes[0], hashes[1]);
            assertTrue(lab.host.loop().toStackStats().lost() > 0 && lab.host.loop().fromStackStats().lost() > 0,
                    "packets were lost both ways: " + lab.host.loop().toStackStats() + " / " + lab.host.loop().fromStackStats());
            assertTrue(lab.host.stack().counters().get(Counter.RETRANS_SEGS) > 0, "the stack retransmitted");
        }
    }

    @Test
    void curlToAClosedPortIsRefusedAndToABlackholedAddressTimesOut() throws Exception {
        assumeTrue(NetNs.has("curl"), "needs curl");
        try (TunLab lab = TunLab.start()) {
            // curl 7.88 prints "Couldn't connect to server"; with -v it shows connect(2)'s strerror.
            NetNs.Result refused = lab.ns.execResult(20, "curl", "-sS", "-v", url(NetNs.STACK_V4, 81, "/"));
            assertEquals(7, refused.status(), refused.output());
            assertTrue(refused.output().contains("Connection refused"), refused.output());
            assertTrue(lab.host.stack().counters().get(Counter.OUT_RSTS) >= 1);

            // 198.18.0.3 is routed to the TUN link, but the stack does not hold it: it drops the SYNs silently.
            long t0 = System.nanoTime();
            NetNs.Result timedOut = lab.ns.execResult(20, "curl", "-sS", "--connect-timeout", "2", "http://198.18.0.3/");
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(28, timedOut.status(), timedOut.output());
            // curl 7.88: "Failed to connect to 198.18.0.3 port 80 after 2001 ms: Timeout was reached"
            assertTrue(timedOut.output().contains("Timeout was reached") || timedOut.output().contains("timed out"), timedOut.output());
            assertTrue(seconds >= 1.9, "waited the connect timeout: " + seconds);
            assertTrue(lab.host.stack().counters().get(Counter.IP_IN_ADDR_ERRORS) >= 1);
        }
    }

    @ParameterizedTest(name = "ping {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void pingIsAnswered(String address) throws Exception {
        boolean v6 = address.contains(":");
        // ping(8) may be missing: Python's raw socket sends the same echo request.
        String script = String.join("\n",
                "import socket, struct, time",
                v6 ? "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)"
                   : "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)",
                "def csum(b):",
                "    if len(b) % 2: b += b'\\0'",
                "    t = sum(struct.unpack('!%dH' % (len(b)//2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16",
                "    return ~t & 0xffff",
                "typ = " + (v6 ? 128 : 8),
                "msg = struct.pack('!BBHHH', typ, 0, 0, 0x77, 1) + b'threeway ping'",
                v6 ? "pass" : "msg = msg[:2] + struct.pack('!H', csum(msg)) + msg[4:]",
                "s.settimeout(3); t0 = time.time(); s.sendto(msg, ('" + address + "', 0))",
                "while True:",
                "    d = s.recv(2000)",
                v6 ? "    icmp = d" : "    icmp = d[(d[0] & 15) * 4:]",
                "    if icmp[0] == " + (v6 ? 129 : 0) + ":",
                "        print('reply', struct.unpack('!HH', icmp[4:8]), icmp[8:].decode(), '%.1f ms' % ((time.time()-t0)*1000)); break");
        try (TunLab lab = TunLab.start()) {
            NetNs.Result r = lab.ns.execResult(10, "python3", "-c", script);
            assertTrue(r.output().startsWith("reply (119, 1) threeway ping"), r.toString());
            Counter echos = v6 ? Counter.ICMP6_IN_ECHOS : Counter.ICMP_IN_ECHOS;
            Counter replies = v6 ? Counter.ICMP6_OUT_ECHO_REPLIES : Counter.ICMP_OUT_ECHO_REPS;
            assertEquals(1, lab.host.stack().counters().get(echos));
            assertEquals(1, lab.host.stack().counters().get(replies));
        }
    }
}
