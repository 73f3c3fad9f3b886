package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.sec;
import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FreeBSD's TCP_NOOPT and net.inet.tcp.rexmit_drop_options: SYNs without the options they would carry. */
class SynOptionsTest {

    private static boolean noOptions(TcpSegment s) {
        return s.options.mss < 0 && !s.options.timestamps && !s.options.sackPermitted && s.options.windowScale < 0;
    }

    @Test
    void noOptSynCarriesNoOptionsAndNothingIsAgreed() {
        EnginePair p = new EnginePair();
        p.client.conn.options().noOptions = true;
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        TcpSegment syn = p.client.outbox.peek();
        assertTrue(noOptions(syn), "TF_NOOPT: not even MSS");
        p.deliverAll();
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertEquals(TcpState.ESTABLISHED, p.server.state());
        assertFalse(p.client.conn.info(0).timestamps() || p.client.conn.info(0).sack() || p.client.conn.info(0).windowScaling());
        assertFalse(p.server.conn.info(0).timestamps() || p.server.conn.info(0).sack() || p.server.conn.info(0).windowScaling());
        assertEquals(1460, p.client.conn.info(0).mss(), "the server's MSS option is still honoured");
        assertEquals(536, p.server.conn.info(0).mss(), "no MSS option: RFC 9293's default");
    }

    @Test
    void noOptListenerAnswersWithoutOptions() {
        EnginePair p = new EnginePair();
        p.server.conn.options().noOptions = true;
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        p.deliverOne(p.client);
        TcpSegment synAck = p.server.outbox.peek();
        assertTrue(EnginePair.isSynAck(synAck));
        assertTrue(noOptions(synAck));
        p.deliverAll();
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertFalse(p.client.conn.info(0).timestamps() || p.client.conn.info(0).sack() || p.client.conn.info(0).windowScaling());
    }

    /** The SYNs the client sends while every one is lost, up to {@code n}. */
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
    void rexmitDropOptionsStripsTheThirdRetransmissionOn() {
        EnginePair p = new EnginePair();
        p.client.engineProfile = EngineProfile.LINUX.withRexmitDropOptions(true);
        p.server.conn.listen(0);
        p.client.conn.connect(0);
        List<TcpSegment> syns = lostSyns(p, 5);
        assertEquals(5, syns.size());
        for (int i = 0; i < 3; i++) {
            TcpSegment s = syns.get(i);
            assertTrue(s.options.timestamps && s.options.sackPermitted && s.options.windowScale >= 0, "SYN " + i);
        }
        for (int i = 3; i < 5; i++) {
            TcpSegment s = syns.get(i);
            assertEquals(1460, s.options.mss, "the MSS option stays");
            assertFalse(s.options.timestamps || s.options.sackPermitted || s.options.windowScale >= 0, "SYN " + i);
        }
        // The server answers the last, option-less SYN: the connection agrees to nothing beyond MSS.
        p.inject(p.server, syns.get(4));
        p.deliverAll();
        assertEquals(TcpState.ESTABLISHED, p.client.state());
        assertFalse(p.client.conn.info(0).timestamps() || p.client.conn.info(0).sack() || p.client.conn.info(0).windowScaling());
    }

    @Test
    void linuxKeepsSynOptionsOnEveryRetransmission() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(0);
        for (TcpSegment s : lostSyns(p, 6)) assertTrue(s.options.timestamps && s.options.sackPermitted);
        assertTrue(p.now < sec(200));
    }
}
