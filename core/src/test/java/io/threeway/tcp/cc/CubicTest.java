package io.threeway.tcp.cc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** CUBIC against RFC 9438's formulas: the curve, multiplicative decrease, fast convergence, Reno-friendliness, RTO. */
class CubicTest {
    static final int MSS = 1000;
    static final long MS = 1_000_000L;
    static final long SEC = 1_000_000_000L;

    /** A CUBIC that has just lost at a window of {@code segments}: W_max = segments, cwnd = 0.7 of it. */
    static Cubic afterLossAt(Cubic c, int segments) {
        c.init(MSS, 0);
        c.setCwnd(segments * MSS);
        c.onLossDetected(segments * MSS, MSS, 0);
        return c;
    }

    /**
     * A fluid model of a cwnd-limited sender: every RTT, one ACK per segment of the window, evenly spaced,
     * each acknowledging one SMSS. Runs from {@code from} for {@code duration}; returns the time reached.
     */
    static long run(CongestionControl c, long from, long duration, long rtt) {
        long t = from;
        while (t < from + duration) {
            int acks = Math.max(1, c.cwnd() / MSS);
            for (int i = 0; i < acks; i++) c.onAck(MSS, MSS, true, rtt, t + rtt * i / acks);
            t += rtt;
        }
        return t;
    }

    @Test
    void multiplicativeDecreaseIsBetaOfFlightSize() {
        Cubic c = afterLossAt(new Cubic(), 100);
        assertEquals(70_000, c.ssthresh(), "RFC 9438 §4.6: ssthresh = flight_size * 0.7");
        assertEquals(70_000, c.cwnd());
        assertEquals(100.0, c.wMax(), 1e-9);
        c.onLossDetected(1500, MSS, 0);
        assertEquals(2 * MSS, c.ssthresh(), "ssthresh never below 2 SMSS");
    }

    @Test
    void kAndTheCurveFollowFigures1And2() {
        Cubic c = afterLossAt(new Cubic(), 100);
        c.onAck(MSS, MSS, true, 100 * MS, 0); // the first ACK of congestion avoidance starts the epoch
        double k = Math.cbrt(100 * (1 - 0.7) / 0.4); // K = cubic_root(W_max (1 - β) / C)
        assertEquals(k, c.k(), 1e-9);
        assertEquals(4.2172, c.k(), 1e-4);
        for (double t : new double[] {0, 1, 2, 3, k, 5, 6, 8}) {
            double expected = 0.4 * Math.pow(t - k, 3) + 100;   // W_cubic(t) = C (t - K)^3 + W_max
            assertEquals(expected, c.wCubic(t), 1e-9, "W_cubic(" + t + ")");
        }
        assertEquals(70.0, c.wCubic(0), 1e-9, "the curve starts at the reduced window");
        assertEquals(100.0, c.wCubic(k), 1e-9, "and plateaus at W_max at t = K");
    }

    @Test
    void theWindowTracksTheCurveOverTime() {
        long rtt = 100 * MS;
        Cubic c = afterLossAt(new Cubic(true, false), 100);
        long t = 0;
        double k = Math.cbrt(75);
        for (double checkpoint : new double[] {1, 2, 3, k, 6, 7}) {
            long until = (long) (checkpoint * SEC);
            t = run(c, t, until - t, rtt);
            double seconds = (double) t / SEC;
            // Each ACK moves cwnd toward W_cubic(t + RTT), so after a round cwnd is near W_cubic(t).
            double expected = 0.4 * Math.pow(seconds - k, 3) + 100;
            assertEquals(expected, c.cwnd() / (double) MSS, Math.max(1.5, expected * 0.02), "at t = " + seconds);
        }
        assertTrue(c.cwnd() > 100 * MSS, "convex region: probing above W_max");
    }

    @Test
    void growthIsAtMostHalfTheAckedSegmentsPerAck() {
        // Far into the convex region the target is capped at 1.5 cwnd (§4.2).
        Cubic c = afterLossAt(new Cubic(true, false), 20);
        c.onAck(MSS, MSS, true, 10 * MS, 0);
        int before = c.cwnd();
        c.onAck(10 * MSS, MSS, true, 10 * MS, 60 * SEC);
        assertEquals(before + 5 * MSS, c.cwnd(), MSS / 100.0 + 1);
    }

    @Test
    void fastConvergenceReleasesBandwidth() {
        Cubic c = afterLossAt(new Cubic(), 100);
        c.setCwnd(90 * MSS);
        c.onLossDetected(90 * MSS, MSS, SEC);
        assertEquals(90 * (1 + 0.7) / 2, c.wMax(), 1e-9, "§4.7: W_max = cwnd (1 + β) / 2 below the last W_max");
        Cubic slow = afterLossAt(new Cubic(false, true), 100);
        slow.setCwnd(90 * MSS);
        slow.onLossDetected(90 * MSS, MSS, SEC);
        assertEquals(90.0, slow.wMax(), 1e-9);
        Cubic above = afterLossAt(new Cubic(), 100);
        above.setCwnd(120 * MSS);
        above.onLossDetected(120 * MSS, MSS, SEC);
        assertEquals(120.0, above.wMax(), 1e-9, "a loss above W_max sets W_max = cwnd");
    }

    @Test
    void renoFriendlyRegionAtSmallRtt() {
        long rtt = MS;
        Cubic friendly = afterLossAt(new Cubic(), 100);
        Cubic pure = afterLossAt(new Cubic(true, false), 100);
        run(friendly, 0, 20 * rtt, rtt);
        run(pure, 0, 20 * rtt, rtt);
        // W_est grows by α = 3 (1 - β) / (1 + β) ≈ 0.529 segments per RTT; the cubic curve barely moves in 20 ms.
        double west = 70 + Cubic.ALPHA * 20;
        assertEquals(west, friendly.wEst(), 0.6);
        assertEquals(west, friendly.cwnd() / (double) MSS, 1.0, "§4.3: cwnd = W_est while W_cubic(t) < W_est");
        assertTrue(pure.cwnd() < 71 * MSS, "without the Reno-friendly region cwnd stays near the curve: " + pure.cwnd());
        // Once W_est reaches cwnd_prior (100), α becomes 1: Reno's one segment per RTT.
        run(friendly, 20 * rtt, 100 * rtt, rtt);
        int w1 = friendly.cwnd();
        run(friendly, 120 * rtt, 10 * rtt, rtt);
        assertEquals(10.0, (friendly.cwnd() - w1) / (double) MSS, 1.0);
    }

    @Test
    void afterTimeoutSlowStartThenAnEpochWithKZero() {
        Cubic c = new Cubic();
        c.init(MSS, 0);
        c.setCwnd(100 * MSS);
        c.onRetransmitTimeout(100 * MSS, MSS, 0);
        assertEquals(MSS, c.cwnd(), "RFC 5681 loss window");
        assertEquals(70 * MSS, c.ssthresh(), "§4.8: ssthresh by β_cubic");
        assertEquals(0.0, c.wMax());
        long t = run(c, 0, SEC, 10 * MS);
        assertTrue(c.cwnd() >= 70 * MSS, "slow start back to ssthresh");
        assertTrue(c.inEpoch());
        assertEquals(0.0, c.k(), "§4.8: K = 0 in the first congestion avoidance after a timeout");
        assertTrue(t > 0);
    }

    @Test
    void noGrowthWhenNotCwndLimited() {
        Cubic c = afterLossAt(new Cubic(), 100);
        for (int i = 0; i < 1000; i++) c.onAck(MSS, MSS, false, MS, i * MS);
        assertEquals(70 * MSS, c.cwnd());
        c.init(MSS, 0);
        for (int i = 0; i < 1000; i++) c.onAck(MSS, MSS, false, MS, i * MS);
        assertEquals(10 * MSS, c.cwnd(), "nor in slow start");
    }

    @Test
    void idleTimeIsLeftOutOfTheCurve() {
        long rtt = 10 * MS;
        Cubic a = afterLossAt(new Cubic(true, false), 100);
        Cubic b = afterLossAt(new Cubic(true, false), 100);
        run(a, 0, SEC, rtt);
        run(b, 0, SEC, rtt);
        // b is idle for 2 s, then starts sending again: its epoch moves with it.
        b.onTransmitStart(SEC, 3 * SEC);
        int wa = a.cwnd();
        a.onAck(MSS, MSS, true, rtt, SEC + rtt);
        b.onAck(MSS, MSS, true, rtt, 3 * SEC + rtt);
        assertEquals(a.cwnd() - wa, b.cwnd() - wa, 2, "the same growth as without the gap");
    }

    @Test
    void theWindowNeverOverflows() {
        Cubic c = new Cubic();
        c.init(65_000, 0);
        c.setCwnd(Integer.MAX_VALUE);
        assertEquals(CongestionControl.MAX_CWND, c.cwnd());
        c.onLossDetected(CongestionControl.MAX_CWND, 65_000, 0);
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            c.onAck(Integer.MAX_VALUE / 2, 65_000, true, MS, t += 100 * MS);
            assertTrue(c.cwnd() > 0 && c.cwnd() <= CongestionControl.MAX_CWND);
        }
        assertEquals(CongestionControl.MAX_CWND, c.cwnd());
    }

    @Test
    void deterministic() {
        Cubic a = afterLossAt(new Cubic(), 57);
        Cubic b = afterLossAt(new Cubic(), 57);
        java.util.SplittableRandom r1 = new java.util.SplittableRandom(42), r2 = new java.util.SplittableRandom(42);
        long t = 0;
        for (int i = 0; i < 5000; i++) {
            t += r1.nextLong(MS);
            r2.nextLong(MS);
            int acked = 1 + r1.nextInt(3 * MSS);
            r2.nextInt(3 * MSS);
            a.onAck(acked, MSS, true, 20 * MS, t);
            b.onAck(acked, MSS, true, 20 * MS, t);
        }
        assertEquals(a.cwnd(), b.cwnd());
    }
}
