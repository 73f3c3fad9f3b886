package io.threeway.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * Linux's send-side chronographs (tcp_chrono_start/tcp_chrono_stop): tcpi_busy_time counts the time with data
 * queued or in flight, tcpi_rwnd_limited the part of it the peer's zero or small window held data back (Google's
 * tcp-info-rwnd-limited.pkt).
 */
class ChronoTest {
    private static final long MS = 1_000_000L;

    @Test
    void aZeroWindowCountsAsRwndLimitedBusyTimeUntilItOpens() {
        EnginePair p = new EnginePair().establish();
        assertEquals(0, p.client.conn.info(p.now).busyTime(), "nothing written yet");
        p.inject(p.client, windowUpdate(p, 0)); // the peer's window closes
        p.client.conn.write(new byte[1000], 0, 1000, p.now);
        p.advanceBy(100 * MS);
        assertEquals(100 * MS, p.client.conn.info(p.now).rwndLimited(), "tcp_snd_wnd_test fails: RWND_LIMITED runs");
        assertEquals(100 * MS, p.client.conn.info(p.now).busyTime());
        p.inject(p.client, windowUpdate(p, 65535)); // it opens: the data goes, BUSY runs
        p.advanceBy(30 * MS);
        assertEquals(100 * MS, p.client.conn.info(p.now).rwndLimited());
        assertEquals(130 * MS, p.client.conn.info(p.now).busyTime());
        p.deliverAll();
        long busy = p.client.conn.info(p.now).busyTime();
        p.advanceBy(500 * MS);
        assertEquals(busy, p.client.conn.info(p.now).busyTime(), "all acknowledged: the chronographs stop");
    }

    private static TcpSegment windowUpdate(EnginePair p, int window) {
        TcpSegment s = p.forge(p.server, TcpFlags.ACK, 5001, p.client.conn.info(p.now).sndUna());
        s.window = window;
        return s;
    }
}
