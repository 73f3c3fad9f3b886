package io.threeway.tcp;

/**
 * TCP Fast Open's constants (RFC 7413), defined once: the bits of net.ipv4.tcp_fastopen as Linux defines them
 * (include/net/tcp.h, TFO_CLIENT_ENABLE ...), and the SYN data limit.
 */
public final class FastOpen {
    private FastOpen() {}

    /** TFO_CLIENT_ENABLE: connect() with data may send it in the SYN. */
    public static final int CLIENT = 0x1;
    /** TFO_SERVER_ENABLE: listeners with TCP_FASTOPEN accept data in SYNs. */
    public static final int SERVER = 0x2;
    /** TFO_CLIENT_NO_COOKIE: send SYN data without a cookie. */
    public static final int CLIENT_NO_COOKIE = 0x4;
    /** TFO_SERVER_COOKIE_NOT_REQD: accept SYN data without a valid cookie. */
    public static final int SERVER_COOKIE_NOT_REQD = 0x200;
    /** TFO_SERVER_WO_SOCKOPT1: every listener accepts SYN data, TCP_FASTOPEN set or not. */
    public static final int SERVER_WO_SOCKOPT = 0x400;
    /** Linux's tcp_send_syn_data: the SYN's data is at most the MSS less the largest option space (40 bytes). */
    static final int MAX_OPTION_SPACE = 40;
}
