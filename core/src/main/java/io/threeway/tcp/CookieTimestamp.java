package io.threeway.tcp;

/**
 * Linux's SYN-cookie timestamp encoding (cookie_init_timestamp, cookie_decode_options): a SYN-ACK sent with a
 * cookie carries the options the server would otherwise forget in the low six bits of its TSval, and reads
 * them back from the TSecr of the ACK that returns the cookie.
 */
public final class CookieTimestamp {
    /** The low six bits of TSval that carry the options. */
    public static final int MASK = 0x3F;
    /** The window-scale field (the peer's shift), where 15 means "no window scaling". */
    public static final int NO_WSCALE = 0xF;
    /** The SACK-permitted bit. */
    public static final int SACK = 0x10;
    /** Linux's TS_OPT_ECN: the SYN asked for ECN and the SYN-ACK agreed. */
    public static final int ECN = 0x20;

    private CookieTimestamp() {}

    /** The peer's window scale a cookie's TSval (or a returning TSecr) carries, or -1 for none. */
    public static int windowScale(long ts) {
        int ws = (int) ts & NO_WSCALE;
        return ws == NO_WSCALE ? -1 : ws;
    }

    /** Whether a cookie's TSval carries SACK permission. */
    public static boolean sack(long ts) { return (ts & SACK) != 0; }

    /** Whether a cookie's TSval carries an ECN agreement. */
    public static boolean ecn(long ts) { return (ts & ECN) != 0; }
}
