package io.threeway.host;

import io.threeway.wire.FourTuple;
import java.util.random.RandomGenerator;

/**
 * SYN cookies (RFC 4987 §3.6), laid out as Linux's __cookie_v4_init_sequence lays them out, so a server
 * under a SYN flood keeps no state until a peer proves it received the SYN-ACK:
 *
 * <pre>
 *   ISS = H1(four-tuple) + peer ISN + (count &lt;&lt; 24) + ((H2(four-tuple, count) + mss index) mod 2^24)
 * </pre>
 *
 * where H1 and H2 are SipHash-2-4 under two secret keys and {@code count} is a minute counter. The counter
 * makes the MAC change every minute (the rotating secret), and a cookie older than two minutes
 * (MAX_SYNCOOKIE_AGE) fails. The MSS is one of four values (Linux's msstab), two bits of the cookie.
 */
final class SynCookies {
    /** Linux's msstab for IPv4 and IPv6 (tcp_ipv4 / syncookies.c, tcp_ipv6 / ipv6/syncookies.c). */
    static final int[] MSS_V4 = {536, 1300, 1440, 1460};
    static final int[] MSS_V6 = {1280 - 60, 1480 - 60, 1500 - 60, 9000 - 60};
    private static final int COOKIE_BITS = 24;
    private static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;
    private static final int MAX_AGE = 2;
    private static final long PERIOD = 60_000_000_000L;

    private final SipHash key1;
    private final SipHash key2;

    SynCookies(RandomGenerator random) {
        key1 = new SipHash(random.nextLong(), random.nextLong());
        key2 = new SipHash(random.nextLong(), random.nextLong());
    }

    /** The cookie to use as ISS for a SYN from {@code t} (seen from the server) with the peer's ISN and MSS. */
    int encode(FourTuple t, int peerIsn, int peerMss, long now) {
        int[] table = t.v6() ? MSS_V6 : MSS_V4;
        int index = table.length - 1;
        while (index > 0 && peerMss < table[index]) index--;
        int count = (int) (now / PERIOD);
        return h1(t) + peerIsn + (count << COOKIE_BITS) + ((h2(t, count) + index) & COOKIE_MASK);
    }

    /**
     * The MSS a returning cookie encodes, or 0 when it is not a cookie we made in the last two minutes
     * (Linux's __cookie_v4_check). {@code cookie} is SEG.ACK - 1 and {@code peerIsn} is SEG.SEQ - 1.
     */
    int check(FourTuple t, int cookie, int peerIsn, long now) {
        int count = (int) (now / PERIOD);
        int rest = cookie - (h1(t) + peerIsn);
        int age = (count - (rest >>> COOKIE_BITS)) & (0xFFFFFFFF >>> COOKIE_BITS);
        if (age >= MAX_AGE) return 0;
        int index = (rest - h2(t, count - age)) & COOKIE_MASK;
        int[] table = t.v6() ? MSS_V6 : MSS_V4;
        return index < table.length ? table[index] : 0;
    }

    /**
     * The cookie taken apart as {@link #check} takes it apart at {@code now} (the web lab's inspector): the
     * first hash, the minute counter in the top 8 bits and its age, the second hash for that minute, and the
     * MSS index left in the low 24 bits, which must be one of the table's four for the cookie to be ours.
     */
    SynCookieFields read(FourTuple t, int cookie, int peerIsn, long now) {
        int count = (int) (now / PERIOD);
        int h1 = h1(t);
        int rest = cookie - (h1 + peerIsn);
        int age = (count - (rest >>> COOKIE_BITS)) & (0xFFFFFFFF >>> COOKIE_BITS);
        int h2 = h2(t, count - age);
        int index = (rest - h2) & COOKIE_MASK;
        int[] table = t.v6() ? MSS_V6 : MSS_V4;
        return new SynCookieFields(h1 & 0xFFFFFFFFL, rest >>> COOKIE_BITS, count - age, age, MAX_AGE,
                h2 & 0xFFFFFFFFL, index, table.clone(), index < table.length ? table[index] : 0,
                age < MAX_AGE && index < table.length);
    }

    private int h1(FourTuple t) {
        return (int) key1.hash(t.localAddress().hi(), t.localAddress().lo(), t.remoteAddress().hi(), t.remoteAddress().lo(),
                ((long) t.localPort() << 16) | t.remotePort());
    }

    private int h2(FourTuple t, int count) {
        return (int) key2.hash(t.localAddress().hi(), t.localAddress().lo(), t.remoteAddress().hi(), t.remoteAddress().lo(),
                ((long) t.localPort() << 16) | t.remotePort(), count);
    }
}
