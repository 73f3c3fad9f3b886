package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 3168 §6.1.1: ECN negotiated in the handshake (ECN-setup SYN and SYN-ACK), and the SYN fallback; then §6.1.2's
 * ECT(0) on new data (Linux's tcp_ecn_send).
 */
class EcnHandshakeTest {
    private static final int ECN_SETUP = TcpFlags.ECE | TcpFlags.CWR;

    private static int ecnBits(TcpSegment s) { return s.flags & ECN_SETUP; }

    @Test
    void clientAsksServerAgreesBothRecordEcn() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        TcpSegment syn = p.deliverOne(p.client);
        assertEquals(ECN_SETUP, ecnBits(syn), "an ECN-setup SYN carries ECE and CWR");
        TcpSegment synAck = p.deliverOne(p.server);
        assertEquals(TcpFlags.ECE, ecnBits(synAck), "an ECN-setup SYN-ACK carries ECE alone");
        p.deliverAll();
        assertTrue(p.client.conn.info(0).ecn());
        assertTrue(p.server.conn.info(0).ecn());
    }

    @Test
    void linuxDefaultDoesNotAskButAccepts() {
        EnginePair p = new EnginePair();
        p.establish();
        assertEquals(0, ecnBits(p.client.sentLog.get(0)), "tcp_ecn = 2: no ECN-setup SYN");
        assertEquals(0, ecnBits(p.server.sentLog.get(0)));
        assertFalse(p.client.conn.info(0).ecn() || p.server.conn.info(0).ecn());
    }

    @Test
    void serverWithEcnOffIgnoresTheRequest() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.server.sysctls.set("net.ipv4.tcp_ecn", "0");
        p.establish();
        assertEquals(0, ecnBits(p.server.sentLog.get(0)));
        assertFalse(p.client.conn.info(0).ecn());
        assertFalse(p.server.conn.info(0).ecn());
    }

    @Test
    void synAckWithEceAndCwrDoesNotAgree() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        p.deliverOne(p.client);
        TcpSegment synAck = p.server.outbox.poll();
        synAck.flags |= TcpFlags.CWR; // a reflector echoing the SYN's bits, not an ECN-capable server
        p.inject(p.client, synAck);
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertFalse(p.client.conn.info(0).ecn());
    }

    private static List<TcpSegment> lostSyns(EnginePair p, int n) {
        List<TcpSegment> syns = new ArrayList<>();
        while (syns.size() < n && p.client.state() == TcpState.SYN_SENT) {
            TcpSegment s;
            while ((s = p.dropOne(p.client)) != null) syns.add(s);
            p.advanceTo(p.client.conn.nextDeadline());
        }
        return syns;
    }

    @Test
    void linuxFallbackClearsEcnFromTheFirstRetransmission() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.client.conn.connect(0);
        List<TcpSegment> syns = lostSyns(p, 3);
        assertEquals(ECN_SETUP, ecnBits(syns.get(0)));
        assertEquals(0, ecnBits(syns.get(1)), "tcp_ecn_clear_syn");
        assertEquals(0, ecnBits(syns.get(2)));
    }

    @Test
    void withoutFallbackEverySynAsks() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.client.sysctls.set("net.ipv4.tcp_ecn_fallback", "0");
        p.client.conn.connect(0);
        for (TcpSegment s : lostSyns(p, 4)) assertEquals(ECN_SETUP, ecnBits(s));
    }

    @Test
    void freeBsdMaxRetriesKeepsEcnOnTheFirstRetransmissions() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.client.engineProfile = EngineProfile.LINUX.withEcnSynRetries(1);
        p.client.conn.connect(0);
        List<TcpSegment> syns = lostSyns(p, 4);
        assertEquals(ECN_SETUP, ecnBits(syns.get(0)));
        assertEquals(ECN_SETUP, ecnBits(syns.get(1)), "ecn.maxretries = 1");
        assertEquals(0, ecnBits(syns.get(2)));
        assertEquals(0, ecnBits(syns.get(3)));
    }

    @Test
    void answerToARetransmittedSynWithoutEcnStillAgreesIfTheFirstAsked() {
        // The server got only the first, ECN-setup SYN and answers it late: as Linux, the SYN-ACK decides.
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        TcpSegment first = p.dropOne(p.client);
        p.advanceTo(p.client.conn.nextDeadline());
        assertEquals(0, ecnBits(p.dropOne(p.client)));
        p.inject(p.server, first);
        p.deliverAll();
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertTrue(p.client.conn.info(0).ecn());
    }

    @Test
    void simultaneousOpenAgreesWhenBothSynsAsk() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.client.conn.connect(0);
        p.dropOne(p.client);
        TcpSegment syn = p.forge(p.server, TcpFlags.SYN | ECN_SETUP, 7000, 0);
        p.inject(p.client, syn);
        assertEquals(TcpState.SYN_RECEIVED, p.client.state());
        TcpSegment synAck = p.client.outbox.poll();
        assertTrue(EnginePair.isSynAck(synAck));
        assertEquals(TcpFlags.ECE, ecnBits(synAck));
        assertTrue(p.client.conn.info(0).ecn());
    }

    /**
     * Linux's tcp_ecn_send: once ECN is agreed, a new data segment goes out ECT(0) (RFC 3168 §6.1.2, "the sending
     * TCP MUST set an ECT codepoint"), pure ACKs (§6.1.4) and retransmissions (§6.1.5) Not-ECT; without ECN, all
     * Not-ECT (Google's ecn-uses-ect0.pkt).
     */
    @Test
    void newDataGoesOutEct0OnceEcnIsAgreedAcksAndRetransmissionsDoNot() {
        EnginePair p = new EnginePair();
        p.client.sysctls.set("net.ipv4.tcp_ecn", "1");
        p.establish();
        p.client.forget();
        p.client.conn.write(new byte[1000], 0, 1000, p.now);
        TcpSegment data = p.client.outbox.poll();
        assertEquals(TcpSegment.ECT_0, data.ecn, "new data: ECT(0)");
        p.advanceTo(p.client.conn.nextDeadline()); // lost: the RTO resends it
        TcpSegment again = p.client.sent(s -> s.payloadLength > 0).getLast();
        assertEquals(TcpSegment.NOT_ECT, again.ecn, "a retransmission: Not-ECT");
        p.deliverAll();
        assertTrue(p.server.sentLog.stream().allMatch(s -> s.ecn == TcpSegment.NOT_ECT), "the server's pure ACKs: Not-ECT");

        EnginePair plain = new EnginePair().establish();
        plain.client.conn.write(new byte[1000], 0, 1000, plain.now);
        assertEquals(TcpSegment.NOT_ECT, plain.client.outbox.poll().ecn, "no ECN agreed: Not-ECT");
    }
}
