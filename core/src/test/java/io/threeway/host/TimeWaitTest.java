package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.sim.Link;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.wire.Seq;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TIME-WAIT's rules at the host: RFC 6191's new SYN, tcp_max_tw_buckets; and TCP_USER_TIMEOUT. */
class TimeWaitTest {
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    record Setup(Network net, Stack client, Stack server, Listener listener, Link link) {}

    static Setup setup() {
        Network net = new Network(31);
        Stack c = net.host("client");
        Stack s = net.host("server");
        Link link = net.link(c, "198.18.0.1", s, "198.18.0.2", LinkConfig.builder().delay(Duration.ofMillis(1)).build());
        Listener l = s.listen(IpAddress.ANY4, 80, 64, new ConnectionOptions(), false);
        return new Setup(net, c, s, l, link);
    }

    /** Connects, lets the SERVER close first (so the server holds the TIME-WAIT), and returns the client's port. */
    private static TcpConnection[] serverClosesFirst(Setup e, int localPort) {
        TcpConnection c = e.client.connect(SERVER, 80, localPort, new ConnectionOptions(), e.net.now());
        e.net.sim().runUntil(() -> e.listener.acceptQueueLength() == 1, e.net.now() + 1_000_000_000L);
        TcpConnection s = e.listener.accept();
        s.close(e.net.now());
        e.server.userCallDone();
        e.net.sim().runUntil(() -> c.state() == TcpState.CLOSE_WAIT, e.net.now() + 1_000_000_000L);
        c.close(e.net.now());
        e.client.userCallDone();
        e.net.sim().runUntil(() -> c.state() == TcpState.CLOSED, e.net.now() + 1_000_000_000L);
        return new TcpConnection[] {c, s};
    }

    @Test
    void aNewerSynReplacesTheServersTimeWait() {
        Setup e = setup();
        TcpConnection[] old = serverClosesFirst(e, 0);
        int port = old[0].tuple().localPort();
        assertEquals(1, e.server.timeWaitCount());
        int oldServerSndNxt = old[1].info(0).sndNxt();
        e.net.sim().runFor(Duration.ofSeconds(1));
        // The client comes back from the same port. Its ISN has moved on with the clock (RFC 6528), so the SYN is
        // above the old RCV.NXT: RFC 6191 lets it in.
        TcpConnection again = e.client.connect(SERVER, 80, port, new ConnectionOptions(), e.net.now());
        e.net.sim().runUntil(() -> e.listener.acceptQueueLength() == 1, e.net.now() + 1_000_000_000L);
        assertEquals(TcpState.ESTABLISHED, again.state());
        assertEquals(0, e.server.timeWaitCount(), "TIME-WAIT ended for the new connection");
        TcpConnection s2 = e.listener.accept();
        assertEquals(oldServerSndNxt + 65535 + 2, s2.info(0).iss(), "the new ISS starts above the old sequence space");
    }

    /** Injects a SYN below the TIME-WAIT's RCV.NXT from the client's old port, as an old duplicate would be. */
    private static TcpConnection oldSynToTimeWait(Setup e) {
        e.client.sysctls().set("net.ipv4.tcp_timestamps", "0"); // no timestamps: only the sequence number decides
        TcpConnection[] old = serverClosesFirst(e, 0);
        TcpConnection tw = old[1];
        assertEquals(TcpState.TIME_WAIT, tw.state());
        io.threeway.wire.TcpSegment syn = new io.threeway.wire.TcpSegment();
        syn.srcPort = old[0].tuple().localPort();
        syn.dstPort = 80;
        syn.seq = tw.info(0).rcvNxt() - 100_000;
        syn.flags = io.threeway.wire.TcpFlags.SYN;
        syn.window = 65535;
        byte[] pkt = io.threeway.wire.PacketBuilder.buildTcp(IpAddress.parse("198.18.0.1"), SERVER, syn, 0);
        e.link.sinkAtoB().transmit(pkt, pkt.length, e.net.now());
        long passive = e.server.counters().get(Counter.PASSIVE_OPENS);
        e.net.sim().runFor(Duration.ofNanos(1_500_000)); // the SYN has arrived; no answer has come back yet
        assertEquals(TcpState.TIME_WAIT, tw.state(), "an old SYN cannot end TIME-WAIT");
        assertEquals(passive, e.server.counters().get(Counter.PASSIVE_OPENS), "and opens nothing");
        return tw;
    }

    @Test
    void anOlderSynDoesNotEndTimeWaitButItsAnswerInvitesAnAssassination() {
        Setup e = setup();
        TcpConnection tw = oldSynToTimeWait(e);
        // TIME-WAIT answered with an ACK; the client host knows no such connection and resets it, and the RST,
        // exactly at RCV.NXT, ends TIME-WAIT early: the hazard RFC 1337 describes.
        e.net.sim().runFor(Duration.ofMillis(10));
        assertEquals(TcpState.CLOSED, tw.state());
        assertEquals(1, e.client.counters().get(Counter.OUT_RSTS));
    }

    @Test
    void rfc1337ProtectsTimeWaitFromThatRst() {
        Setup e = setup();
        e.server.sysctls().set("net.ipv4.tcp_rfc1337", "1");
        TcpConnection tw = oldSynToTimeWait(e);
        e.net.sim().runFor(Duration.ofMillis(10));
        assertEquals(TcpState.TIME_WAIT, tw.state(), "tcp_rfc1337=1 ignores RST in TIME-WAIT");
        assertEquals(1, e.client.counters().get(Counter.OUT_RSTS));
    }

    @Test
    void maxTwBucketsCapsTheTimeWaitTable() {
        Setup e = setup();
        e.client.sysctls().set("net.ipv4.tcp_max_tw_buckets", "5");
        for (int i = 0; i < 10; i++) {
            TcpConnection c = e.client.connect(SERVER, 80, 0, new ConnectionOptions(), e.net.now());
            e.net.sim().runUntil(() -> e.listener.acceptQueueLength() == 1, e.net.now() + 1_000_000_000L);
            TcpConnection s = e.listener.accept();
            c.close(e.net.now());
            e.client.userCallDone();
            e.net.sim().runUntil(() -> s.atEof(), e.net.now() + 1_000_000_000L);
            s.close(e.net.now());
            e.server.userCallDone();
            e.net.sim().runUntil(() -> c.state() != TcpState.FIN_WAIT_2 && c.state() != TcpState.FIN_WAIT_1,
                    e.net.now() + 1_000_000_000L);
        }
        assertEquals(5, e.client.timeWaitCount(), "no more than tcp_max_tw_buckets");
        assertEquals(5, e.client.counters().get(Counter.TCP_TIME_WAIT_OVERFLOW), "the rest were destroyed at once");
    }

    @Test
    void userTimeoutEndsAStalledTransferSoonerThanRetries2() {
        Setup e = setup();
        ConnectionOptions o = new ConnectionOptions();
        o.userTimeoutMs = 5_000;
        TcpConnection c = e.client.connect(SERVER, 80, 0, o, 0);
        e.net.sim().runUntil(() -> c.state() == TcpState.ESTABLISHED, 1_000_000_000L);
        e.link.aToB().addRule(Rules.dropMatching(p -> true));
        long start = e.net.now();
        c.write(new byte[1000], 0, 1000, start);
        e.client.userCallDone();
        e.net.sim().runUntil(() -> c.state() == TcpState.CLOSED, start + 60_000_000_000L);
        assertEquals(Errno.ETIMEDOUT, c.error());
        double t = (e.net.now() - start) / 1e9;
        // TCP_USER_TIMEOUT replaces tcp_retries2's time: the first retransmission timeout after 5 s ends it.
        assertTrue(t >= 5.0 && t < 7.0, "gave up after " + t + " s");
    }
}
