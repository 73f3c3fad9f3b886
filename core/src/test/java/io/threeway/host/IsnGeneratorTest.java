package io.threeway.host;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.wire.Seq;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 6528: ISNs unpredictable across four-tuples, increasing with time for one four-tuple. */
class IsnGeneratorTest {
    private final IsnGenerator gen = new IsnGenerator(new SplittableRandom(2026));
    private static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    private static FourTuple tuple(int i) {
        // Neighbouring four-tuples: consecutive client ports, as ephemeral port selection produces.
        return new FourTuple(IpAddress.parse("198.18.0.1"), 32768 + i % 28000, SERVER, 80 + i / 28000);
    }

    @Test
    void tenThousandNeighbouringFourTuplesGiveUnrelatedIsns() {
        int n = 10_000;
        int[] isn = new int[n];
        long now = 5_000_000_000L;
        for (int i = 0; i < n; i++) isn[i] = gen.isn(tuple(i), now);

        // No two alike (a collision among 10,000 random 32-bit values has a chance of about 1%).
        Set<Integer> distinct = new HashSet<>();
        for (int v : isn) distinct.add(v);
        assertTrue(distinct.size() >= n - 1, "distinct " + distinct.size());

        // Every bit is set about half the time: within 5 standard deviations of n/2 (sd = 50).
        for (int bit = 0; bit < 32; bit++) {
            int ones = 0;
            for (int v : isn) ones += (v >>> bit) & 1;
            assertEquals(n / 2.0, ones, 250, "bit " + bit);
        }

        // Neighbours differ in about half their bits (the hash's avalanche), and their difference is not constant.
        long flips = 0;
        Set<Integer> deltas = new HashSet<>();
        for (int i = 1; i < n; i++) {
            flips += Integer.bitCount(isn[i] ^ isn[i - 1]);
            deltas.add(isn[i] - isn[i - 1]);
        }
        assertEquals(16.0, flips / (double) (n - 1), 0.3, "mean Hamming distance between neighbours");
        assertTrue(deltas.size() >= n - 2, "successive differences do not repeat: " + deltas.size());

        // No linear relation between neighbours: the correlation of successive values is near zero.
        double mean = 0;
        for (int v : isn) mean += Integer.toUnsignedLong(v);
        mean /= n;
        double cov = 0, var = 0;
        for (int i = 0; i < n; i++) {
            double d = Integer.toUnsignedLong(isn[i]) - mean;
            var += d * d;
            if (i > 0) cov += d * (Integer.toUnsignedLong(isn[i - 1]) - mean);
        }
        assertEquals(0.0, cov / var, 0.05, "lag-1 correlation");
    }

    @Test
    void oneFourTupleIncreasesWithTime() {
        FourTuple t = tuple(7);
        int previous = gen.isn(t, 0);
        for (long now = 1_000_000L; now <= 100_000_000_000L; now += 997_000_011L) {
            int isn = gen.isn(t, now);
            assertTrue(Seq.gt(isn, previous), "ISN increased at " + now);
            previous = isn;
        }
        // RFC 6528's clock M ticks every 64 ns here (Linux's secure_tcp_seq): one second moves the ISN by 1e9/64.
        assertEquals(1_000_000_000L / 64, Integer.toUnsignedLong(gen.isn(t, 2_000_000_000L) - gen.isn(t, 1_000_000_000L)));
    }

    @Test
    void anotherSecretGivesOtherIsns() {
        IsnGenerator other = new IsnGenerator(new SplittableRandom(2027));
        int same = 0;
        for (int i = 0; i < 1000; i++) if (gen.isn(tuple(i), 0) == other.isn(tuple(i), 0)) same++;
        assertEquals(0, same, "the ISN depends on the secret key");
    }
}
