package io.threeway.tcp;

/**
 * Receive-buffer autotuning (net.ipv4.tcp_moderate_rcvbuf; Linux's tcp_rcv_space_adjust, known as "dynamic
 * right-sizing"): once per receiver round trip, if the application read more than it did in the round trip
 * measured before, the buffer (and so the window) grows to twice what was read plus sixteen segments, up to
 * tcp_rmem[2]. A sender that fills the window every round trip then finds a window that keeps ahead of it,
 * which is what lets one connection fill a long fat path without the user sizing SO_RCVBUF.
 *
 * <p>The receiver's round trip comes from the timestamps its peer echoes (Linux's tcp_rcv_rtt_measure_ts).
 */
final class ReceiveAutotuning {
    private long bytesRead;
    private long readAtRoundStart;
    private long roundStart;
    private int space;
    private long rtt;

    /** A data segment echoed our timestamp: {@code sample} nanoseconds since we sent it. */
    void rttSample(long sample) {
        rtt = rtt == 0 ? sample : Math.min(rtt, sample) + Math.abs(rtt - sample) / 8;
    }

    /**
     * The application read {@code n} bytes. Returns the buffer capacity to grow to, or -1 for no change.
     *
     * @param fallbackRtt the sender's SRTT, used while no echoed timestamp gave the receiver its own estimate
     * @param advMss      our MSS (sixteen of them are headroom)
     * @param current     the buffer's capacity now
     * @param max         the most it may hold (tcp_rmem[2] as window space)
     */
    int onRead(int n, long now, long fallbackRtt, int advMss, int current, long max) {
        bytesRead += n;
        long round = rtt > 0 ? rtt : fallbackRtt;
        if (round <= 0 || now - roundStart < round) return -1;
        int copied = (int) Math.min(Integer.MAX_VALUE, bytesRead - readAtRoundStart);
        int grown = -1;
        if (copied > space) {
            long want = 2L * copied + 16L * Math.max(advMss, 1);
            int capacity = (int) Math.min(want, max);
            if (capacity > current) grown = capacity;
            space = copied;
        }
        readAtRoundStart = bytesRead;
        roundStart = now;
        return grown;
    }
}
