package io.threeway.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Verdict;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.Seq;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the engine from a peer or an off-path host, each with what Linux does and the figure the README's
 * hardening table gives: an ACK flood on a listener and on a connection, bogus and reneging SACK blocks with an
 * MSS of 48, a forged Fast Open cookie. (TIME-WAIT assassination is {@code TimeWaitTest}'s.)
 */
class AttackTest {
    static final long MS = 1_000_000L;
    static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Setup(Network net, Stack client, Stack server, Listener listener, Link link) {}

    static Setup setup(long seed) {
        Network net = new Network(seed);
        Stack c = net.host("client");
        Stack s = net.host("server");
        Link link = net.link(c, "198.18.0.1", s, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(5)).build());
        Listener l = s.listen(IpAddress.ANY4, 80, 64, new ConnectionOptions(), false);
        return new Setup(net, c, s, l, link);
    }

    private static void inject(Setup e, TcpSegment seg) {
        byte[] p = PacketBuilder.buildTcp(CLIENT, SERVER, seg, 0);
        e.link.sinkAtoB().transmit(p, p.length, e.net.now());
    }

    /** 10,000 ACKs for connections that do not exist: each gets one RST, as Linux answers them; no state is kept. */
    @Test
    void anAckFloodOnAListenerIsAnsweredByResetsAndKeepsNoState() {
        Setup e = setup(41);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            TcpSegment ack = new TcpSegment();
            ack.srcPort = 1024 + r.nextInt(60000);
            ack.dstPort = 80;
            ack.seq = r.nextInt();
            ack.ack = r.nextInt();
            ack.flags = TcpFlags.ACK;
            ack.window = 1000;
            inject(e, ack);
            e.net.sim().runFor(Duration.ofNanos(100_000));
        }
        e.net.sim().runFor(Duration.ofMillis(50));
        assertEquals(10_000, e.server.counters().get(Counter.OUT_RSTS), "one RST each (RFC 9293 §3.10.7.2)");
        assertEquals(0, e.server.connectionCount(), "no state for any of them");
        assertEquals(0, e.listener.acceptQueueLength());
        assertEquals(0, e.server.internalErrors());
    }

    /**
     * 10,000 ACKs in one second on an established connection, acknowledging data never sent or far behind
     * SND.UNA (RFC 5961 §5.2): discarded; the challenge ACKs they may draw are limited to one per
     * tcp_invalid_ratelimit (500 ms, TCPACKSkippedChallenge), and the connection goes on.
     */
    @Test
    void anAckFloodOnAConnectionDrawsAtMostRateLimitedChallengeAcks() {
        Setup e = setup(42);
        e.client.sysctls().set("net.ipv4.tcp_timestamps", "0"); // injected ACKs need no timestamp to pass PAWS
        TcpConnection c = e.client.connect(SERVER, 80, 0, new ConnectionOptions(), e.net.now());
        e.net.sim().runUntil(() -> e.listener.acceptQueueLength() == 1, e.net.now() + 1000 * MS);
        TcpConnection s = e.listener.accept();
        TcpInfo ci = c.info(e.net.now());
        long outBefore = e.server.counters().get(Counter.OUT_SEGS);
        for (int i = 0; i < 10_000; i++) {
            TcpSegment ack = new TcpSegment();
            ack.srcPort = c.tuple().localPort();
            ack.dstPort = 80;
            ack.seq = ci.sndNxt();
            ack.ack = i % 2 == 0 ? ci.rcvNxt() + 50_000_000 : ci.rcvNxt() - 50_000_000; // unsent, or far too old
            ack.flags = TcpFlags.ACK;
            ack.window = 1000;
            inject(e, ack);
            e.net.sim().runFor(Duration.ofNanos(100_000));
        }
        long answered = e.server.counters().get(Counter.OUT_SEGS) - outBefore;
        assertTrue(answered <= 3, answered + " segments sent in answer to 10,000 bogus ACKs in 1 s");
        assertEquals(TcpState.ESTABLISHED, s.state());
        byte[] hello = "still here".getBytes();
        c.write(hello, 0, hello.length, e.net.now());
        e.client.userCallDone();
        e.net.sim().runFor(Duration.ofMillis(50));
        assertEquals(hello.length, s.readable(), "data still flows");
        assertEquals(0, e.server.internalErrors());
    }

    /**
     * A receiver that announces an MSS of 48 (the smallest Linux sends with, tcp_min_snd_mss) and rewrites its ACKs'
     * SACK blocks: blocks beyond SND.NXT, below SND.UNA and inverted (discarded, TCPSACKDiscard), and blocks for data
     * it does not hold, taken back later (reneging, RFC 2018 §8: the sender keeps SACKed data until it is
     * cumulatively acknowledged). 100 KB still arrive whole and in order, and nothing escapes.
     */
    @Test
    void bogusAndRenegingSackBlocksWithAnMssOf48LoseNothing() {
        Setup e = setup(43);
        TcpSegment parsed = new TcpSegment();
        int[] rewritten = {0};
        // Every 50th data segment is lost the first time it is sent; the receiver claims to hold it all the same.
        List<int[]> lost = new ArrayList<>();
        Set<Integer> dropped = new HashSet<>();
        int[] n = {0};
        e.link.bToA().addRule((p, now) -> {
            if (!p.isTcp() || !p.hasPayload() || ++n[0] % 50 != 0 || !dropped.add(p.tcpSeq())) return Verdict.PASS;
            lost.add(new int[] {p.tcpSeq(), p.tcpSeq() + p.tcpPayloadLength()});
            return Verdict.DROP;
        });
        e.link.aToB().addRule((p, now) -> {
            if (!p.isTcp() || p.hasPayload() || p.isRst()) return Verdict.PASS;
            if (!TcpCodec.parse(p.copy(), p.ipHeaderLength(), p.length() - p.ipHeaderLength(), parsed).ok()) return Verdict.PASS;
            TcpSegment lie = new TcpSegment();
            lie.copyFrom(parsed);
            if (p.isSyn()) {
                lie.options.mss = 48; // announce an MSS of 48, the least Linux sends with (tcp_min_snd_mss)
            } else {
                int ack = parsed.ack;
                lie.options.sackBlocks = 0;
                // Blocks for lost data it does not hold, while they lie above the cumulative ACK; once the ACK
                // reaches one, the claim is dropped: the receiver reneged.
                for (int[] l : lost) {
                    if (Seq.gt(l[0], ack) && lie.options.sackBlocks < 2) lie.options.addSack(l[0], l[1]);
                }
                if (rewritten[0] % 2 == 0) lie.options.addSack(ack + 2_000_000, ack + 2_000_480); // beyond SND.NXT
                else lie.options.addSack(ack - 3_000_000, ack - 2_999_520);                       // below SND.UNA
                rewritten[0]++;
            }
            byte[] out = PacketBuilder.buildTcp(CLIENT, SERVER, lie, 0);
            p.replace(out, out.length);
            return Verdict.PASS;
        });
        TcpConnection c = e.client.connect(SERVER, 80, 0, new ConnectionOptions(), e.net.now());
        e.net.sim().runUntil(() -> e.listener.acceptQueueLength() == 1, e.net.now() + 1000 * MS);
        TcpConnection s = e.listener.accept();
        byte[] data = new byte[100_000];
        new SplittableRandom(3).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int[] sent = {0};
        byte[] buf = new byte[8192];
        e.net.sim().runUntil(() -> {
            long now = e.net.now();
            if (sent[0] < data.length) sent[0] += s.write(data, sent[0], data.length - sent[0], now);
            for (int k; (k = c.read(buf, 0, buf.length, now)) > 0; ) got.write(buf, 0, k);
            e.client.userCallDone();
            e.server.userCallDone();
            return got.size() == data.length;
        }, e.net.now() + 600_000 * MS);
        assertEquals(data.length, got.size(), "every byte arrived: " + s.debugState());
        assertArrayEquals(data, got.toByteArray(), "in order, none lost to a reneged SACK");
        assertTrue(s.info(e.net.now()).mss() <= 48, "segments of 48 bytes or less, options included");
        assertTrue(lost.size() > 20 && rewritten[0] > 1000, lost.size() + " lost and claimed, " + rewritten[0] + " ACKs rewritten");
        assertTrue(e.server.counters().get(Counter.TCP_SACK_DISCARD) > 0, "bogus blocks discarded");
        assertEquals(0, e.server.internalErrors() + e.client.internalErrors());
    }

    /**
     * A SYN with a forged Fast Open cookie and data, to a Fast Open listener: the cookie fails (TCPFastOpenPassiveFail),
     * the SYN-ACK acknowledges the SYN only, and the data reaches no application (RFC 7413 §4.2.2).
     */
    @Test
    void aForgedFastOpenCookieFallsBackToTheHandshakeAndDeliversNothing() {
        Setup e = setup(44);
        e.server.sysctls().set("net.ipv4.tcp_fastopen", "3");
        e.listener.setFastOpenQueueLimit(16);
        int[] synAckAck = {0};
        e.link.bToA().addRule((p, now) -> {
            if (p.isSynAck()) synAckAck[0] = p.tcpAck();
            return Verdict.DROP; // the forger's address has no one to answer
        });
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 50; i++) { // fewer than the SYN backlog (64): beyond it cookies answer, without Fast Open
            TcpSegment syn = new TcpSegment();
            syn.srcPort = 20000 + i;
            syn.dstPort = 80;
            syn.seq = 1000;
            syn.flags = TcpFlags.SYN;
            syn.window = 65535;
            syn.options.mss = 1460;
            syn.options.fastOpen = true;
            syn.options.fastOpenCookieLength = 8;
            for (int k = 0; k < 8; k++) syn.options.fastOpenCookie[k] = (byte) r.nextInt(256);
            byte[] data = "GET /transfer?all HTTP/1.1\r\n\r\n".getBytes();
            syn.payload = data;
            syn.payloadOffset = 0;
            syn.payloadLength = data.length;
            inject(e, syn);
            e.net.sim().runFor(Duration.ofMillis(1));
        }
        e.net.sim().runFor(Duration.ofMillis(20));
        assertEquals(50, e.server.counters().get(Counter.TCP_FAST_OPEN_PASSIVE_FAIL), "each forged cookie failed");
        assertEquals(0, e.server.counters().get(Counter.TCP_FAST_OPEN_PASSIVE));
        assertEquals(1001, synAckAck[0], "the SYN-ACK acknowledges the SYN, not its data");
        assertEquals(0, e.listener.acceptQueueLength(), "nothing reaches the application");
        assertEquals(0, e.server.internalErrors());
    }
}
