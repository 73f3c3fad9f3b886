package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ACK that completes an active open (RFC 9293 §3.10.7.3): data queued before the handshake finished
 * (written with the connect for Fast Open, while the SYN only asked for a cookie) rides on it, instead of a
 * bare ACK followed by the data; with nothing queued the ACK is a bare one.
 */
class SynAckWithQueuedDataTest {

    private static TcpSegment synAck(EnginePair p) {
        TcpSegment s = p.forge(p.server, TcpFlags.SYN | TcpFlags.ACK, 5000, 1001);
        s.window = 65535;
        s.options.mss = 1460;
        return s;
    }

    @Test
    void dataQueuedWithTheConnectCarriesTheAckOfTheSynAck() {
        EnginePair p = new EnginePair();
        byte[] data = new byte[100];
        assertEquals(100, p.client.conn.connect(data, 0, data.length, 0));
        TcpSegment syn = p.dropOne(p.client);
        assertEquals(0, syn.payloadLength, "no cookie cached: the SYN only asks for one");
        assertTrue(syn.options.fastOpen);
        p.client.forget();
        p.inject(p.client, synAck(p));
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        List<TcpSegment> sent = p.client.sentLog;
        assertEquals(1, sent.size(), "one segment: the data with the ACK, no bare ACK before it");
        assertTrue(sent.get(0).ackFlag());
        assertEquals(5001, sent.get(0).ack);
        assertEquals(1001, sent.get(0).seq);
        assertEquals(100, sent.get(0).payloadLength);
    }

    @Test
    void withNothingQueuedTheSynAckGetsABareAck() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.dropOne(p.client);
        p.client.forget();
        p.inject(p.client, synAck(p));
        assertEquals(1, p.client.sentLog.size());
        assertEquals(0, p.client.sentLog.get(0).payloadLength);
        assertEquals(TcpFlags.ACK, p.client.sentLog.get(0).flags);
    }

    private static TcpSegment synAckWithData(EnginePair p, int len, boolean fin) {
        TcpSegment s = synAck(p);
        s.payload = new byte[len];
        s.payloadLength = len;
        if (fin) s.flags |= TcpFlags.FIN;
        return s;
    }

    /**
     * Linux's tcp_rcv_fastopen_synack ends with tcp_fastopen_add_skb: after a Fast Open SYN, data on the SYN-ACK is
     * queued as if it came right after it, a FIN too (RFC 9293 §3.10.7.3: "If there are other controls or text in
     * the segment, then continue processing at the sixth step"), and the ACK covers it (Google's synack-data.pkt).
     */
    @Test
    void aFastOpenClientTakesTheSynAcksDataAndFin() {
        EnginePair p = new EnginePair();
        byte[] data = new byte[100];
        p.client.conn.connect(data, 0, data.length, 0);
        p.dropOne(p.client);
        p.client.forget();
        p.inject(p.client, synAckWithData(p, 1400, false));
        assertEquals(1400, p.client.conn.readable());
        assertEquals(5001 + 1400, p.client.sentLog.get(0).ack, "the ACK covers the SYN-ACK's data");

        EnginePair q = new EnginePair();
        q.client.conn.connect(data, 0, data.length, 0);
        q.dropOne(q.client);
        q.inject(q.client, synAckWithData(q, 1400, true));
        assertEquals(TcpState.CLOSE_WAIT, q.client.state(), "the FIN on the SYN-ACK");
        assertEquals(1400, q.client.conn.readable());
    }

    /** After an ordinary SYN, Linux's tcp_rcv_synsent_state_process drops a SYN-ACK's data (return -1): so does the stack. */
    @Test
    void anOrdinaryClientDropsTheSynAcksData() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        p.dropOne(p.client);
        p.client.forget();
        p.inject(p.client, synAckWithData(p, 1400, false));
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertEquals(0, p.client.conn.readable());
        assertEquals(5001, p.client.sentLog.get(0).ack);
    }
}
