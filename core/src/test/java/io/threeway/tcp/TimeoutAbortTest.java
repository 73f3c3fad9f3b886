package io.threeway.tcp;

import static io.threeway.tcp.EnginePair.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.stats.Counter;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * Every timer that gives up does it the one way (Linux's tcp_write_err, {@code TcpConnection.abortOnTimeout}):
 * the error reported is the last soft error (an ICMP error the connection survived) or else ETIMEDOUT, and
 * TcpExtTCPAbortOnTimeout counts it, whether the SYN, the data, or a zero window's retransmissions went
 * unanswered. Before the abort was written once, the SYN's gave up without counting and the zero window's
 * reported ETIMEDOUT over a soft error.
 */
class TimeoutAbortTest {
    /** Runs {@code side}'s timers, losing all it sends, until its connection closes; returns the timeouts. */
    private static int loseEverythingUntilClosed(EnginePair p, EnginePair.Side side) {
        int timeouts = 0;
        while (side.state() != TcpState.CLOSED) {
            assertTrue(timeouts < 100, "still " + side.state() + " after " + timeouts + " timeouts");
            p.dropAll(side);
            p.advanceTo(side.conn.nextDeadline());
            timeouts++;
        }
        return timeouts;
    }

    @Test
    void unansweredSynsAreCountedAsAnAbortOnTimeout() {
        EnginePair p = new EnginePair();
        p.client.conn.connect(p.now);
        loseEverythingUntilClosed(p, p.client);
        assertEquals(Errno.ETIMEDOUT, p.client.conn.error());
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_TIMEOUT));
    }

    @Test
    void unansweredDataReportsTheSoftError() {
        EnginePair p = new EnginePair().establish();
        p.client.conn.icmpError(Errno.EHOSTUNREACH, p.now); // survived: a soft error
        p.client.write(new byte[100], p.now);
        loseEverythingUntilClosed(p, p.client);
        assertEquals(Errno.EHOSTUNREACH, p.client.conn.error());
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_TIMEOUT));
    }

    @Test
    void aZeroWindowThatNeverAnswersReportsTheSoftError() {
        EnginePair p = new EnginePair().establish();
        p.advanceBy(ms(10));
        p.client.write(new byte[100], p.now);
        p.dropAll(p.client);
        // The peer shrinks its window to zero without acknowledging the data (Linux's "receiver dastardly
        // shrinks window"), then an ICMP error arrives, then nothing more.
        TcpSegment shrink = p.forge(p.server, TcpFlags.ACK, p.server.conn.info(0).sndNxt(), p.client.conn.info(0).sndUna());
        shrink.window = 0;
        p.inject(p.client, shrink);
        assertEquals(0, p.client.conn.info(p.now).sndWnd(), "the fixture reaches a zero send window");
        p.client.conn.icmpError(Errno.EHOSTUNREACH, p.now);
        loseEverythingUntilClosed(p, p.client);
        assertEquals(Errno.EHOSTUNREACH, p.client.conn.error());
        assertEquals(1, p.client.counters.get(Counter.TCP_ABORT_ON_TIMEOUT));
    }
}
