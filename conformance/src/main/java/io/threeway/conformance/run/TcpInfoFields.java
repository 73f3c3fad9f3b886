package io.threeway.conformance.run;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TCP_INFO snapshot as Linux's tcp_get_info fills it, from what the connection exposes: the fields the stack
 * keeps, in Linux's units (packets for cwnd and ssthresh, microseconds for times, milliseconds for the
 * last_* ages). The fields it does not keep yet are listed with why, so a block that reads one fails with that
 * reason instead of passing on a made-up value.
 */
final class TcpInfoFields {
    /** TCP_INFINITE_SSTHRESH. */
    static final long INFINITE_SSTHRESH = 0x7fffffff;
    /** Every tcpi_* name packetdrill's code.c emits; those not in a snapshot are missing. */
    static final List<String> ALL = List.of("tcpi_state", "tcpi_ca_state", "tcpi_retransmits", "tcpi_probes", "tcpi_backoff",
            "tcpi_options", "tcpi_snd_wscale", "tcpi_rcv_wscale", "tcpi_delivery_rate_app_limited", "tcpi_rto", "tcpi_ato",
            "tcpi_snd_mss", "tcpi_rcv_mss", "tcpi_unacked", "tcpi_sacked", "tcpi_lost", "tcpi_retrans", "tcpi_fackets",
            "tcpi_last_data_sent", "tcpi_last_ack_sent", "tcpi_last_data_recv", "tcpi_last_ack_recv", "tcpi_pmtu",
            "tcpi_rcv_ssthresh", "tcpi_rtt", "tcpi_rttvar", "tcpi_snd_ssthresh", "tcpi_snd_cwnd", "tcpi_advmss",
            "tcpi_reordering", "tcpi_total_retrans", "tcpi_pacing_rate", "tcpi_max_pacing_rate", "tcpi_rcv_rtt",
            "tcpi_rcv_space", "tcpi_bytes_acked", "tcpi_bytes_received", "tcpi_segs_out", "tcpi_segs_in",
            "tcpi_notsent_bytes", "tcpi_min_rtt", "tcpi_data_segs_in", "tcpi_data_segs_out", "tcpi_delivery_rate",
            "tcpi_busy_time", "tcpi_rwnd_limited", "tcpi_sndbuf_limited", "tcpi_delivered", "tcpi_delivered_ce",
            "tcpi_bytes_sent", "tcpi_bytes_retrans", "tcpi_dsack_dups", "tcpi_reord_seen", "tcpi_rcv_ooopack",
            "tcpi_snd_wnd", "tcpi_rcv_wnd", "tcpi_rehash", "tcpi_total_rto", "tcpi_total_rto_recoveries",
            "tcpi_total_rto_time", "tcpi_ecn_mode", "tcpi_accecn_opt_seen", "tcpi_accecn_fail_mode", "tcpi_options2",
            "tcpi_received_ce");

    /** packetdrill's symbols for tcpi_state, tcpi_ca_state and tcpi_options (code.c's write_symbols). */
    static final Map<String, Long> SYMBOLS = Map.ofEntries(Map.entry("TCP_ESTABLISHED", 1L), Map.entry("TCP_SYN_SENT", 2L),
            Map.entry("TCP_SYN_RECV", 3L), Map.entry("TCP_FIN_WAIT1", 4L), Map.entry("TCP_FIN_WAIT2", 5L), Map.entry("TCP_TIME_WAIT", 6L),
            Map.entry("TCP_CLOSE", 7L), Map.entry("TCP_CLOSE_WAIT", 8L), Map.entry("TCP_LAST_ACK", 9L), Map.entry("TCP_LISTEN", 10L),
            Map.entry("TCP_CLOSING", 11L), Map.entry("TCP_CA_Open", 0L), Map.entry("TCP_CA_Disorder", 1L), Map.entry("TCP_CA_CWR", 2L),
            Map.entry("TCP_CA_Recovery", 3L), Map.entry("TCP_CA_Loss", 4L), Map.entry("TCPI_OPT_TIMESTAMPS", 1L),
            Map.entry("TCPI_OPT_SACK", 2L), Map.entry("TCPI_OPT_WSCALE", 4L), Map.entry("TCPI_OPT_ECN", 8L),
            Map.entry("TCPI_OPT_ECN_SEEN", 16L), Map.entry("TCPI_OPT_SYN_DATA", 32L), Map.entry("TCPI_OPT_USEC_TS", 64L),
            Map.entry("TCPI_OPT_TFO_CHILD", 128L));

    /**
     * FreeBSD's packetdrill's symbols: tcpi_state is t_state (tcp_fsm.h's TCPS_*), named TCPI_*; the TCPI_OPT_*
     * bits are the same as Linux's.
     */
    static final Map<String, Long> BSD_SYMBOLS = Map.ofEntries(Map.entry("TCPI_CLOSED", 0L), Map.entry("TCPI_LISTEN", 1L),
            Map.entry("TCPI_SYN_SENT", 2L), Map.entry("TCPI_SYN_RECEIVED", 3L), Map.entry("TCPI_ESTABLISHED", 4L),
            Map.entry("TCPI_CLOSE_WAIT", 5L), Map.entry("TCPI_FIN_WAIT_1", 6L), Map.entry("TCPI_CLOSING", 7L),
            Map.entry("TCPI_LAST_ACK", 8L), Map.entry("TCPI_FIN_WAIT_2", 9L), Map.entry("TCPI_TIME_WAIT", 10L),
            Map.entry("TCPI_OPT_TIMESTAMPS", 1L), Map.entry("TCPI_OPT_SACK", 2L), Map.entry("TCPI_OPT_WSCALE", 4L),
            Map.entry("TCPI_OPT_ECN", 8L), Map.entry("TCPI_OPT_TOE", 16L), Map.entry("TCPI_OPT_TFO", 32L));

    private TcpInfoFields() {}

    /** A socket with no connection: listening, or made and not connected (Linux's TCP_LISTEN or TCP_CLOSE). */
    static Map<String, Long> unconnected(boolean listening, boolean bsd) {
        long state = bsd ? (listening ? 1 : 0) : (listening ? 10 : 7);
        return Map.of("tcpi_state", state, "tcpi_options", 0L);
    }

    /** The fields the stack keeps for {@code c} at {@code now}, by name. */
    static Map<String, Long> snapshot(TcpConnection c, long now, Sysctls sysctls, boolean bsd) {
        TcpInfo i = c.info(now);
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("tcpi_state", (long) (bsd ? bsdState(c) : linuxState(c)));
        m.put("tcpi_ca_state", (long) i.caState());
        m.put("tcpi_retransmits", (long) i.retransmits());
        m.put("tcpi_probes", (long) i.probes());
        m.put("tcpi_backoff", (long) i.backoff());
        m.put("tcpi_options", (long) options(i));
        m.put("tcpi_snd_wscale", i.windowScaling() ? (long) i.sndWscale() : 0);
        m.put("tcpi_rcv_wscale", i.windowScaling() ? (long) i.rcvWscale() : 0);
        m.put("tcpi_rto", i.rto() / 1000);
        m.put("tcpi_snd_mss", (long) i.mss());
        m.put("tcpi_rcv_mss", (long) i.rcvMss());
        m.put("tcpi_last_data_sent", ageMs(i.lastDataSendTime(), now));
        m.put("tcpi_last_data_recv", ageMs(i.lastDataRecvTime(), now));
        m.put("tcpi_last_ack_recv", ageMs(i.lastAckRecvTime(), now));
        m.put("tcpi_rtt", i.srtt() / 1000);
        m.put("tcpi_rttvar", i.rttvar() / 1000);
        m.put("tcpi_min_rtt", i.minRtt() / 1000);
        int mss = Math.max(1, i.mss());
        m.put("tcpi_snd_cwnd", (long) i.cwndBytes() / mss);
        m.put("tcpi_snd_ssthresh", i.ssthreshBytes() >= Integer.MAX_VALUE / 2 ? INFINITE_SSTHRESH : (long) i.ssthreshBytes() / mss);
        m.put("tcpi_advmss", (long) i.advMss());
        m.put("tcpi_reordering", (long) sysctls.get(Sysctl.TCP_REORDERING));
        m.put("tcpi_total_retrans", (long) i.totalRetrans());
        m.put("tcpi_bytes_acked", i.bytesAcked());
        m.put("tcpi_delivered", i.delivered());
        m.put("tcpi_bytes_received", i.bytesReceived());
        m.put("tcpi_bytes_sent", i.bytesSent());
        m.put("tcpi_bytes_retrans", i.bytesRetrans());
        m.put("tcpi_segs_out", i.segsOut());
        m.put("tcpi_segs_in", i.segsIn());
        m.put("tcpi_data_segs_out", i.dataSegsOut());
        m.put("tcpi_data_segs_in", i.dataSegsIn());
        m.put("tcpi_notsent_bytes", (long) i.notSent());
        m.put("tcpi_snd_wnd", (long) i.sndWnd());
        // tp->packets_out and tp->retrans_out count segments: the unacknowledged sequence space in full-sized
        // segments, rounded up (a SYN or FIN alone is one), and the engine's retransmitted segments still out.
        m.put("tcpi_unacked", (long) ((i.unacked() + mss - 1) / mss));
        m.put("tcpi_retrans", (long) i.retransOut());
        m.put("tcpi_busy_time", i.busyTime() / 1000);       // tcp_get_info_chrono_stats, microseconds
        m.put("tcpi_rwnd_limited", i.rwndLimited() / 1000);
        m.put("tcpi_rcv_wnd", (long) i.rcvWnd());
        return m;
    }

    /** Why a field is not in the snapshot. */
    static String whyMissing(String name) {
        return name + " is not kept by the stack's engine yet";
    }

    /** Milliseconds since {@code t} (jiffies_to_msecs(now - t)). */
    private static long ageMs(long t, long now) {
        return Math.max(0, (now - t) / 1_000_000L);
    }

    private static int options(TcpInfo i) {
        int o = 0;
        if (i.timestamps()) o |= 1;
        if (i.sack()) o |= 2;
        if (i.windowScaling()) o |= 4;
        if (i.ecn()) o |= 8;
        if (i.ecnSeen()) o |= 16;
        if (i.synDataAcked()) o |= 32;
        return o;
    }

    /** FreeBSD's TCPS_* (tcp_fsm.h). */
    private static int bsdState(TcpConnection c) {
        return switch (c.state()) {
            case CLOSED -> 0;
            case LISTEN -> 1;
            case SYN_SENT -> 2;
            case SYN_RECEIVED -> 3;
            case ESTABLISHED -> 4;
            case CLOSE_WAIT -> 5;
            case FIN_WAIT_1 -> 6;
            case CLOSING -> 7;
            case LAST_ACK -> 8;
            case FIN_WAIT_2 -> 9;
            case TIME_WAIT -> 10;
        };
    }

    /** Linux's TCP_* state numbers (include/net/tcp_states.h). */
    private static int linuxState(TcpConnection c) {
        return switch (c.state()) {
            case ESTABLISHED -> 1;
            case SYN_SENT -> 2;
            case SYN_RECEIVED -> 3;
            case FIN_WAIT_1 -> 4;
            case FIN_WAIT_2 -> 5;
            case TIME_WAIT -> 6;
            case CLOSED -> 7;
            case CLOSE_WAIT -> 8;
            case LAST_ACK -> 9;
            case LISTEN -> 10;
            case CLOSING -> 11;
        };
    }
}
