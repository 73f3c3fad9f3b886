package io.threeway.web;

import java.util.Locale;
import java.util.Arrays;

/**
 * A SYN cookie's layout in words (RFC 4987 §3.6, Linux's __cookie_v4_init_sequence): what can be read from a
 * SYN-ACK without the server's secrets.
 */
final class SynCookieText {
    /** Linux's msstab for IPv4. */
    private static final int[] MSS_V4 = {536, 1300, 1440, 1460};
    /** The cookie's minute counter ticks every 60 s. */
    private static final long MINUTE = 60_000_000_000L;

    private SynCookieText() {}

    static String explain(Segment synAck, long time) {
        long count = time / MINUTE;
        return String.format(Locale.ROOT, "This SYN-ACK's ISN is a SYN cookie: the listener kept no state."
                + " ISN = H1(four-tuple) + client's ISN + (count << 24) + ((H2(four-tuple, count) + MSS index) mod"
                + " 2^24), with count = minute %d (its top 8 bits) and the MSS as one of four values (%s), two bits;"
                + " H1 and H2 are keyed hashes only the server can compute, so the ACK that returns ISN + 1 proves"
                + " the client received this SYN-ACK.", count, Arrays.toString(MSS_V4));
    }
}
