package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.app.HttpServer;
import io.threeway.sim.LinkConfig;
import io.threeway.stats.Counter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TUN with IFF_VNET_HDR and TUNSETOFFLOAD against the kernel's TCP: the kernel hands the stack TSO super-packets
 * with partial checksums (taken whole, their checksums completed) and takes the stack's segments merged into
 * GSO super-packets, data intact both ways over IPv4 and IPv6, no checksum error on either side; where a path
 * is impaired, the kernel's super-packets are cut into segments first; and a device without offloads still
 * works one packet at a time. Needs root, /dev/net/tun, curl, python3 and nstat (skipped without them, failing
 * under CI=true).
 */
class OffloadInteropTest {
    private static final long BYTES = 16L * 1024 * 1024;

    private static void requireTools() {
        NetNs.require(NetNs.has("curl") && NetNs.has("sha256sum") && NetNs.has("python3") && NetNs.has("nstat"),
                "needs curl, sha256sum, python3 and nstat");
    }

    /** Downloads and uploads {@link #BYTES} over {@code address}, checking both hashes. */
    private static void bothWays(TunLab lab, String address) throws Exception {
        String url = KernelClientsTest.url(address, 80, "/bytes/" + BYTES);
        NetNs.Result down = lab.ns.execResult(120, "sh", "-c", "curl -sS --fail " + url + " | sha256sum");
        assertEquals(0, down.status(), down.output());
        assertEquals(KernelClientsTest.sha256OfPayload(BYTES), down.output().split(" ")[0], "stack -> kernel");
        NetNs.Result up = lab.ns.execResult(120, "python3", "-c", KernelClientsTest.uploadScript(address, 80, BYTES));
        String[] hashes = up.output().strip().split(" ");
        assertEquals(2, hashes.length, up.output());
        assertEquals(hashes[0], hashes[1], "kernel -> stack: the server's SHA-256 matches the client's");
    }

    /** The kernel's count of TCP segments with a bad checksum, in the lab's namespace. */
    private static long kernelChecksumErrors(TunLab lab) throws Exception {
        NetNs.Result r = lab.ns.execResult(10, "nstat", "-az", "TcpInCsumErrors");
        assertEquals(0, r.status(), r.output());
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("TcpInCsumErrors")) return Long.parseLong(f[1]);
        }
        throw new AssertionError("no TcpInCsumErrors in: " + r.output());
    }

    @ParameterizedTest(name = "super-packets both ways over {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void superPacketsBothWays(String address) throws Exception {
        try (TunLab lab = TunLab.start(); HttpServer http = HttpServer.start(lab.host.sockets().serverSocket(80), "threeway")) {
            requireTools();
            assertTrue(lab.host.device().offloads());
            bothWays(lab, address);
            TunEventLoop loop = lab.host.loop();
            assertTrue(loop.superPacketsSent() > 0, "the stack's segments went out merged");
            assertTrue(loop.superSegmentsBuiltByStack() > 0, "the stack's sender built super-segments itself (TSO)");
            assertTrue(loop.segmentsCoalesced() >= 2 * loop.superPacketsSent(), "each super-packet carries two or more");
            assertTrue(loop.superPacketsReceived() > 0, "the kernel sent TSO super-packets, taken whole");
            assertEquals(0, loop.badOffloads());
            assertEquals(0, lab.host.runtime().call(() -> lab.host.stack().counters().get(Counter.IN_CSUM_ERRORS)),
                    "every completed checksum verified in the stack");
            assertEquals(0, kernelChecksumErrors(lab), "the kernel found no bad checksum in the super-packets");
        }
    }

    @ParameterizedTest(name = "an impaired path cuts super-packets, {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void anImpairedPathCutsSuperPacketsIntoSegments(String address) throws Exception {
        LinkConfig lossy = LinkConfig.builder().loss(0.002).build();
        try (TunLab lab = TunLab.start(lossy, LinkConfig.PERFECT); HttpServer http = HttpServer.start(lab.host.sockets().serverSocket(80), "threeway")) {
            requireTools();
            bothWays(lab, address);
            TunEventLoop loop = lab.host.loop();
            assertTrue(loop.superPacketsSplit() > 0, "the kernel's super-packets met the loss segment by segment");
            assertEquals(0, loop.superPacketsReceived(), "none went to the stack whole past an impairment");
        }
    }

    @ParameterizedTest(name = "without offloads over {0}")
    @ValueSource(strings = {NetNs.STACK_V4, NetNs.STACK_V6})
    void withoutOffloadsOnePacketAtATime(String address) throws Exception {
        try (TunLab lab = TunLab.start(LinkConfig.PERFECT, LinkConfig.PERFECT, TunDevice.Features.RAW_IP);
             HttpServer http = HttpServer.start(lab.host.sockets().serverSocket(80), "threeway")) {
            requireTools();
            assertTrue(!lab.host.device().offloads());
            bothWays(lab, address);
            assertEquals(0, lab.host.loop().superPacketsSent());
            assertEquals(0, lab.host.loop().superPacketsReceived());
        }
    }
}
