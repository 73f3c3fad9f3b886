package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Linux's send path: where PSH goes (tcp_mark_push, tcp_tso_autosize, tcp_gso_segment), MSG_EOR, TCP_NOTSENT_LOWAT. */
class SendPathTest {
    private static List<TcpSegment> data(EnginePair.Side s) {
        return s.sent(seg -> seg.payloadLength > 0);
    }

    /**
     * A write larger than the initial window: Linux marks its end pushed, sends the window as super-segments and
     * GSO leaves PSH on each one's last segment, so the cwnd-limited burst ends with PSH (Google's
     * mss-setsockopt-tcp_maxseg-client.pkt: "> P. 1:11001(11000)" from a 12000-byte write). BSD sets PUSH only
     * when the segment sends everything queued.
     */
    @Test
    void aCwndLimitedBurstEndsWithPshOnLinuxAndWithoutOnBsd() {
        EnginePair linux = new EnginePair().establish();
        linux.client.forget();
        linux.client.conn.write(new byte[40_000], 0, 40_000, linux.now);
        List<TcpSegment> sent = data(linux.client);
        assertEquals(10, sent.size(), "the initial window");
        for (int i = 0; i < 9; i++) assertEquals(0, sent.get(i).flags & TcpFlags.PSH, "segment " + i + " is inside the super-segment");
        assertNotEquals(0, sent.get(9).flags & TcpFlags.PSH, "the burst's last segment carries PSH");

        EnginePair bsd = new EnginePair();
        bsd.client.engineProfile = EngineProfile.LINUX.withBsdPush(true);
        bsd.establish();
        bsd.client.forget();
        bsd.client.conn.write(new byte[40_000], 0, 40_000, bsd.now);
        assertTrue(data(bsd.client).stream().noneMatch(s -> (s.flags & TcpFlags.PSH) != 0), "data remains queued: no PUSH");
    }

    /** MSG_EOR (tcp_skb_can_collapse_to): no segment carries bytes of two records. */
    @Test
    void aSegmentNeverSpansTwoRecords() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.options().noDelay = true;
        p.client.forget();
        p.client.conn.write(new byte[400], 0, 400, true, p.now);
        p.client.conn.write(new byte[400], 0, 400, true, p.now);
        p.client.conn.write(new byte[3000], 0, 3000, p.now);
        List<Integer> lengths = data(p.client).stream().map(s -> s.payloadLength).toList();
        assertEquals(400, lengths.get(0));
        assertEquals(400, lengths.get(1));
        assertEquals(3800, lengths.stream().mapToInt(Integer::intValue).sum(), "everything went, record by record");
    }

    /**
     * TCP_NOTSENT_LOWAT (tcp_stream_memory_free): a write stops taking data when it would start a new skb while
     * the unsent bytes are at the mark, and poll's test (doubled, __sk_stream_is_writeable) says not writable.
     */
    @Test
    void aWriteStopsAtTheLowWaterMarkOfUnsentData() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.options().notSentLowat = 4000;
        int taken = p.client.conn.write(new byte[59_000], 0, 59_000, p.now);
        assertTrue(taken < 59_000, "took " + taken);
        assertTrue(p.client.conn.info(p.now).notSent() >= 4000, "the last skb filled past the mark");
        assertEquals(0, p.client.conn.write(new byte[1000], 0, 1000, p.now), "no new skb while that much is unsent");
        assertEquals(0, p.client.conn.writable(), "poll: not writable");
        p.client.conn.options().notSentLowat = 0; // back to the sysctl: no limit
        assertEquals(1000, p.client.conn.write(new byte[1000], 0, 1000, p.now));
    }

    /**
     * Linux's Nagle is tcp_nagle_check with Minshall's rule (tcp_minshall_check): a short segment waits only while
     * an earlier short segment is unacknowledged (snd_una < snd_sml <= snd_nxt), so a write's short tail follows
     * its full segments at once (Google's nonblocking-sendto-over-mss.pkt: "> P. 1421:5001(3580)"), and a second
     * short write waits for the first one's ACK. BSD keeps RFC 896's rule: the tail waits behind any unacknowledged
     * data.
     */
    @Test
    void aShortTailFollowsFullSegmentsAndWaitsOnlyBehindAnUnacknowledgedShortOne() {
        EnginePair linux = new EnginePair().establish();
        int mss = linux.client.conn.info(linux.now).mss();
        linux.client.forget();
        linux.client.conn.write(new byte[2 * mss + 100], 0, 2 * mss + 100, linux.now);
        assertEquals(List.of(mss, mss, 100), data(linux.client).stream().map(s -> s.payloadLength).toList(), "the tail went too");
        linux.client.conn.write(new byte[50], 0, 50, linux.now);
        assertEquals(3, data(linux.client).size(), "a short segment is unacknowledged: the new one waits");
        linux.deliverAll();
        linux.advanceBy(200_000_000L); // the peer's delayed ACK falls due and acknowledges everything
        linux.deliverAll();
        assertEquals(50, data(linux.client).getLast().payloadLength, "acknowledged: the short write goes");

        EnginePair bsd = new EnginePair();
        bsd.client.engineProfile = EngineProfile.LINUX.withBsdPush(true);
        bsd.establish();
        bsd.client.forget();
        bsd.client.conn.write(new byte[2 * mss + 100], 0, 2 * mss + 100, bsd.now);
        assertEquals(List.of(mss, mss), data(bsd.client).stream().map(s -> s.payloadLength).toList(), "RFC 896: the tail waits");
    }
}
