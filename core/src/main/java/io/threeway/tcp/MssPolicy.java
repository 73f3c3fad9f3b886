package io.threeway.tcp;

import io.threeway.settings.Sysctl;

/**
 * The one MSS policy (RFC 9293 §3.7.1, RFC 6691; Linux's tcp_mss_to_mtu family): what we advertise, and how
 * large the segments we send may be, from the path MTU, the peer's option, TCP_MAXSEG and the option space.
 */
public final class MssPolicy {
    private MssPolicy() {}

    /**
     * RFC 9293 §3.7.1: the send MSS when the peer sent no MSS option (536 for IPv4; Linux's TCP_MSS_DEFAULT, also
     * what TCP_MAXSEG reads before a connection has an MSS).
     */
    public static final int DEFAULT_MSS_V4 = 536;
    /** RFC 9293 §3.7.1 with RFC 8200's minimum MTU: the send MSS without an option over IPv6 (1220). */
    public static final int DEFAULT_MSS_V6 = 1220;
    /** Linux's TCP_MIN_MSS: the smallest MSS we advertise, however small the MTU, and the least TCP_MAXSEG takes. */
    public static final int MIN_ADVERTISED_MSS = 88;
    /** Linux's MAX_TCP_WINDOW: the largest value setsockopt(TCP_MAXSEG) accepts. */
    public static final int MAX_USER_MSS = 32767;
    /** Bytes the timestamp option takes in every segment once negotiated (nop, nop, TS). */
    static final int TS_OPTION_SPACE = 12;
    /** IPv4 and TCP headers without options. */
    static final int HEADERS_V4 = 40;
    /** IPv6 and TCP headers without options. */
    static final int HEADERS_V6 = 60;

    /** The IP and TCP headers without options for this connection's family. */
    static int headers(Tcb t) {
        return t.tuple.v6() ? HEADERS_V6 : HEADERS_V4;
    }

    /** The MSS option we send: the path MTU less the IP and TCP headers, capped by TCP_MAXSEG (tcp_advertise_mss). */
    static int advertised(Tcb t) {
        int m = t.env.pathMtu(t.tuple) - headers(t);
        if (t.options.maxSeg > 0) m = Math.min(m, t.options.maxSeg);
        return Math.max(m, MIN_ADVERTISED_MSS);
    }

    /** The peer's MSS option, or RFC 9293 §3.7.1's default for the family when it sent none. */
    static int fromPeer(Tcb t, int option) {
        return fromPeer(t.tuple.v6(), option);
    }

    /** The peer's MSS option, or RFC 9293 §3.7.1's default for the family (IPv6 if {@code v6}) when it sent none. */
    public static int fromPeer(boolean v6, int option) {
        return option > 0 ? option : (v6 ? DEFAULT_MSS_V6 : DEFAULT_MSS_V4);
    }

    /**
     * The payload of a full-sized segment we send (Linux's tcp_mtu_to_mss and tcp_sync_mss): the smaller of the
     * peer's MSS and the path MTU less the headers, capped by TCP_MAXSEG, at least tcp_min_snd_mss, less the
     * timestamp option's room when timestamps are on.
     */
    static int sending(Tcb t, int pathMtu) {
        int m = Math.min(t.peerMss, pathMtu - headers(t));
        if (t.options.maxSeg > 0) m = Math.min(m, t.options.maxSeg);
        int options = t.tsOk ? TS_OPTION_SPACE : 0;
        return Math.max(m, t.sysctls().get(Sysctl.TCP_MIN_SND_MSS)) - options;
    }
}
