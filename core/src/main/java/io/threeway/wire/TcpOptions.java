package io.threeway.wire;

/**
 * The TCP options of one segment, decoded into fields (absent options read as -1 or false).
 * Mutable and reused: the host parses every inbound segment into the same instance.
 *
 * <p>Kinds: EOL 0, NOP 1, MSS 2 (RFC 9293), window scale 3 (RFC 7323), SACK-permitted 4 and SACK 5
 * (RFC 2018), timestamps 8 (RFC 7323), Fast Open 34 (RFC 7413; also the experimental 254 with magic 0xF989).
 */
public final class TcpOptions {
    public static final int KIND_EOL = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WSCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMP = 8;
    public static final int KIND_FASTOPEN = 34;
    public static final int KIND_EXPERIMENTAL = 254;
    public static final int FASTOPEN_EXP_MAGIC = 0xF989;

    /** Most SACK blocks an option can carry (40 bytes of option space: 2 + 4 * 8 = 34). */
    public static final int MAX_SACK_BLOCKS = 4;
    public static final int MAX_FASTOPEN_COOKIE = 16;

    /** MSS option value, or -1. */
    public int mss = -1;
    /** Window scale shift count as received (may exceed 14; the engine clamps), or -1. */
    public int windowScale = -1;
    public boolean sackPermitted;
    public boolean timestamps;
    public int tsVal;
    public int tsEcr;
    /** Number of SACK blocks present; block i is [sackLeft[i], sackRight[i]). */
    public int sackBlocks;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    public final int[] sackRight = new int[MAX_SACK_BLOCKS];
    /** A Fast Open option is present: a cookie request when {@link #fastOpenCookieLength} is 0. */
    public boolean fastOpen;
    /** The Fast Open option used the experimental kind 254 with magic 0xF989. */
    public boolean fastOpenExperimental;
    public int fastOpenCookieLength;
    public final byte[] fastOpenCookie = new byte[MAX_FASTOPEN_COOKIE];

    public void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackBlocks = 0;
        fastOpen = false;
        fastOpenExperimental = false;
        fastOpenCookieLength = 0;
    }

    public void copyFrom(TcpOptions o) {
        mss = o.mss;
        windowScale = o.windowScale;
        sackPermitted = o.sackPermitted;
        timestamps = o.timestamps;
        tsVal = o.tsVal;
        tsEcr = o.tsEcr;
        sackBlocks = o.sackBlocks;
        System.arraycopy(o.sackLeft, 0, sackLeft, 0, MAX_SACK_BLOCKS);
        System.arraycopy(o.sackRight, 0, sackRight, 0, MAX_SACK_BLOCKS);
        fastOpen = o.fastOpen;
        fastOpenExperimental = o.fastOpenExperimental;
        fastOpenCookieLength = o.fastOpenCookieLength;
        System.arraycopy(o.fastOpenCookie, 0, fastOpenCookie, 0, MAX_FASTOPEN_COOKIE);
    }

    public void addSack(int left, int right) {
        if (sackBlocks < MAX_SACK_BLOCKS) {
            sackLeft[sackBlocks] = left;
            sackRight[sackBlocks] = right;
            sackBlocks++;
        }
    }

    public void setFastOpenCookie(byte[] cookie, int len) {
        fastOpen = true;
        fastOpenCookieLength = len;
        if (len > 0) System.arraycopy(cookie, 0, fastOpenCookie, 0, len);
    }
}
