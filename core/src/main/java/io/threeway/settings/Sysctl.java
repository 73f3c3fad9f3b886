package io.threeway.settings;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Every setting the stack honours, under Linux's sysctl name and with Linux's default value
 * (read from a Linux 6.18 kernel; see the reference notes in ARCHITECTURE.md).
 *
 * <p>A setting is one of three kinds: a single integer, a vector of integers (such as
 * {@code net.ipv4.tcp_rmem}, three values), or a string (such as {@code tcp_congestion_control}).
 * Values live in {@link Sysctls}; this enum is only the catalogue.
 */
public enum Sysctl {
    SOMAXCONN("net.core.somaxconn", "4096", 0, Integer.MAX_VALUE, "cap on a listener's accept queue: min(backlog, somaxconn)"),
    TCP_MAX_SYN_BACKLOG("net.ipv4.tcp_max_syn_backlog", "2048", 0, Integer.MAX_VALUE, "cap on half-open (SYN-RECV) entries per listener"),
    TCP_SYN_RETRIES("net.ipv4.tcp_syn_retries", "6", 1, 127, "SYN retransmissions before connect() fails with ETIMEDOUT"),
    TCP_SYN_LINEAR_TIMEOUTS("net.ipv4.tcp_syn_linear_timeouts", "4", 0, 10, "SYN retransmissions with a linear (initial RTO) timeout before exponential backoff"),
    TCP_SYNACK_RETRIES("net.ipv4.tcp_synack_retries", "5", 0, 255, "SYN-ACK retransmissions for a half-open entry"),
    TCP_SYNCOOKIES("net.ipv4.tcp_syncookies", "1", 0, 2, "0 off; 1 cookies when the SYN queue overflows; 2 always"),
    TCP_ABORT_ON_OVERFLOW("net.ipv4.tcp_abort_on_overflow", "0", 0, 1, "1: RST when the accept queue is full instead of dropping the final ACK"),
    TCP_FIN_TIMEOUT("net.ipv4.tcp_fin_timeout", "60", 1, Integer.MAX_VALUE, "seconds an orphaned connection may stay in FIN-WAIT-2"),
    TCP_TW_REUSE("net.ipv4.tcp_tw_reuse", "2", 0, 2, "0 off; 1 reuse TIME-WAIT for outgoing connections when timestamps prove it safe; 2 loopback only"),
    TCP_MAX_TW_BUCKETS("net.ipv4.tcp_max_tw_buckets", "131072", 0, Integer.MAX_VALUE, "most TIME-WAIT entries kept"),
    TCP_MEM("net.ipv4.tcp_mem", "287907 383879 575814", 3, 1, Long.MAX_VALUE / 4096, "pages (4 KiB) of buffer over all TCP sockets: below min no pressure, above pressure windows shrink, above max no socket grows (Linux sizes it from RAM: these are a 24 GiB machine's; serve sizes it from the heap)"),
    TCP_MAX_ORPHANS("net.ipv4.tcp_max_orphans", "131072", 0, Integer.MAX_VALUE, "orphaned connections (closed by their application, not yet gone) kept before a close resets at once (TCPAbortOnMemory)"),
    IPFRAG_HIGH_THRESH("net.ipv4.ipfrag_high_thresh", "4194304", 0, Integer.MAX_VALUE, "bytes of IPv4 fragments held for reassembly before new datagrams' fragments are dropped (ReasmFails)"),
    IPFRAG_TIME("net.ipv4.ipfrag_time", "30", 0, Integer.MAX_VALUE, "seconds an incomplete IPv4 datagram's fragments are kept (ReasmTimeout)"),
    IP6FRAG_HIGH_THRESH("net.ipv6.ip6frag_high_thresh", "4194304", 0, Integer.MAX_VALUE, "bytes of IPv6 fragments held for reassembly before new datagrams' fragments are dropped (ReasmFails)"),
    IP6FRAG_TIME("net.ipv6.ip6frag_time", "60", 0, Integer.MAX_VALUE, "seconds an incomplete IPv6 datagram's fragments are kept (ReasmTimeout)"),
    IP_ROUTE_LOCALNET("net.ipv4.conf.all.route_localnet", "0", 0, 1, "1: accept 127.0.0.0/8 sources from the interface (else martian, dropped)"),
    TCP_RFC1337("net.ipv4.tcp_rfc1337", "0", 0, 1, "1: ignore RST in TIME-WAIT (RFC 1337)"),
    TCP_KEEPALIVE_TIME("net.ipv4.tcp_keepalive_time", "7200", 1, 32767, "idle seconds before the first keepalive probe"),
    TCP_KEEPALIVE_INTVL("net.ipv4.tcp_keepalive_intvl", "75", 1, 32767, "seconds between keepalive probes"),
    TCP_KEEPALIVE_PROBES("net.ipv4.tcp_keepalive_probes", "9", 1, 127, "unanswered probes before the connection is dropped"),
    TCP_RETRIES1("net.ipv4.tcp_retries1", "3", 0, 255, "retransmissions before the path is suspected (Linux then re-validates the route; Threeway has no route cache, so it has no effect)"),
    TCP_RETRIES2("net.ipv4.tcp_retries2", "15", 0, 255, "data retransmissions before giving up"),
    TCP_ORPHAN_RETRIES("net.ipv4.tcp_orphan_retries", "0", 0, 255, "retransmissions for orphaned sockets (0 means 8)"),
    TCP_RTO_MIN_US("net.ipv4.tcp_rto_min_us", "200000", 1, Integer.MAX_VALUE, "RTO floor in microseconds"),
    TCP_RTO_MAX_MS("net.ipv4.tcp_rto_max_ms", "120000", 1000, 120000, "RTO ceiling in milliseconds"),
    TCP_FASTOPEN("net.ipv4.tcp_fastopen", "1", 0, Integer.MAX_VALUE, "bit 1 client, bit 2 server, 0x4 client without cookie, 0x200 server without cookie, 0x400 every listener without TCP_FASTOPEN (any int, as Linux's proc_dointvec)"),
    TCP_FASTOPEN_KEY("net.ipv4.tcp_fastopen_key", "00000000-00000000-00000000-00000000", "server's key for TFO cookies"),
    IP_LOCAL_PORT_RANGE("net.ipv4.ip_local_port_range", "32768 60999", 2, 1, 65535, "ephemeral port range"),
    TCP_TIMESTAMPS("net.ipv4.tcp_timestamps", "1", 0, 2, "RFC 7323 timestamps"),
    TCP_SACK("net.ipv4.tcp_sack", "1", 0, 1, "RFC 2018 SACK"),
    TCP_DSACK("net.ipv4.tcp_dsack", "1", 0, 1, "RFC 2883 D-SACK"),
    TCP_WINDOW_SCALING("net.ipv4.tcp_window_scaling", "1", 0, 1, "RFC 7323 window scaling"),
    TCP_ECN("net.ipv4.tcp_ecn", "2", 0, 2, "ECN (RFC 3168): 0 off; 1 ask in SYNs and accept; 2 accept when the peer asks, do not ask"),
    TCP_ECN_FALLBACK("net.ipv4.tcp_ecn_fallback", "1", 0, 1, "1: SYN retransmissions stop asking for ECN (tcp_ecn_clear_syn)"),
    TCP_RMEM("net.ipv4.tcp_rmem", "4096 131072 33554432", 3, 1, Integer.MAX_VALUE, "receive buffer min, default, max"),
    TCP_WMEM("net.ipv4.tcp_wmem", "4096 16384 4194304", 3, 1, Integer.MAX_VALUE, "send buffer min, default, max"),
    TCP_MODERATE_RCVBUF("net.ipv4.tcp_moderate_rcvbuf", "1", 0, 1, "receive buffer autotuning"),
    TCP_ADV_WIN_SCALE("net.ipv4.tcp_adv_win_scale", "1", -31, 31, "share of the buffer advertised as window"),
    TCP_CONGESTION_CONTROL("net.ipv4.tcp_congestion_control", "cubic", "congestion control algorithm"),
    TCP_SLOW_START_AFTER_IDLE("net.ipv4.tcp_slow_start_after_idle", "1", 0, 1, "restart the window after idle"),
    TCP_CHALLENGE_ACK_LIMIT("net.ipv4.tcp_challenge_ack_limit", "2147483647", 0, Integer.MAX_VALUE, "RFC 5961 challenge ACKs per second"),
    TCP_INVALID_RATELIMIT("net.ipv4.tcp_invalid_ratelimit", "500", 0, Integer.MAX_VALUE, "ms between duplicate ACKs sent for invalid segments"),
    TCP_EARLY_RETRANS("net.ipv4.tcp_early_retrans", "3", 0, 4, "3 or 4: tail loss probes (RFC 8985 §7, tcp_schedule_loss_probe); 0 to 2: none"),
    TCP_RECOVERY("net.ipv4.tcp_recovery", "1", 0, 7, "bit 1: RACK loss detection (RFC 8985 §6); 0: duplicate ACKs only"),
    TCP_FRTO("net.ipv4.tcp_frto", "2", 0, 2, "F-RTO (RFC 5682): after a timeout send new data first, and undo the reduction when the ACKs show the timeout was spurious (1 and 2 both use SACK's enhanced version, as Linux)"),
    TCP_REORDERING("net.ipv4.tcp_reordering", "3", 1, 300, "duplicate ACKs before fast retransmit"),
    TCP_NOTSENT_LOWAT("net.ipv4.tcp_notsent_lowat", "4294967295", 0L, 4294967295L, "unsent bytes before writes stop taking more and poll stops saying POLLOUT (TCP_NOTSENT_LOWAT overrides it)"),
    TCP_AUTOCORKING("net.ipv4.tcp_autocorking", "1", 0, 1, "coalesce small writes while earlier data is in flight (accepted for compatibility; Threeway does not cork: Nagle and TCP_NODELAY govern small writes)"),
    TCP_BASE_MSS("net.ipv4.tcp_base_mss", "1024", 1, 65535, "starting MSS for path MTU probing (accepted; Threeway does no packetization-layer PMTU probing yet)"),
    TCP_MIN_SND_MSS("net.ipv4.tcp_min_snd_mss", "48", 48, 65535, "smallest MSS the stack will send with"),
    TCP_MIN_TSO_SEGS("net.ipv4.tcp_min_tso_segs", "2", 1, 127, "fewest segments in one TSO/GSO super-segment (tcp_tso_autosize)"),
    TCP_TSO_RTT_LOG("net.ipv4.tcp_tso_rtt_log", "9", 0, 15, "super-segments grow by gso_max_size >> (min_rtt_us >> this) on short paths (tcp_tso_autosize)"),
    TCP_PACING_SS_RATIO("net.ipv4.tcp_pacing_ss_ratio", "200", 0, 1000, "pacing rate in slow start, percent of cwnd/srtt (sizes super-segments)"),
    TCP_PACING_CA_RATIO("net.ipv4.tcp_pacing_ca_ratio", "120", 0, 1000, "pacing rate in congestion avoidance, percent of cwnd/srtt (sizes super-segments)"),
    ICMP_ECHO_IGNORE_ALL("net.ipv4.icmp_echo_ignore_all", "0", 0, 1, "1: do not answer ping");

    /**
     * The congestion control algorithms the stack has, as Linux lists them in
     * {@code net.ipv4.tcp_available_congestion_control}: the only values {@link #TCP_CONGESTION_CONTROL} takes
     * (Linux's {@code tcp_set_default_congestion_control} fails with ENOENT for any other name).
     */
    public static final List<String> AVAILABLE_CONGESTION_CONTROL = List.of("reno", "cubic");

    /** The kinds of value a setting holds. */
    public enum Kind { INT, VECTOR, STRING }

    private final String sysctlName;
    private final String defaultValue;
    private final Kind kind;
    private final int arity;
    private final long min;
    private final long max;
    private final String help;

    Sysctl(String name, String def, long min, long max, String help) {
        this(name, def, Kind.INT, 1, min, max, help);
    }

    Sysctl(String name, String def, int arity, long min, long max, String help) {
        this(name, def, Kind.VECTOR, arity, min, max, help);
    }

    Sysctl(String name, String def, String help) {
        this(name, def, Kind.STRING, 1, 0, 0, help);
    }

    Sysctl(String name, String def, Kind kind, int arity, long min, long max, String help) {
        this.sysctlName = name;
        this.defaultValue = def;
        this.kind = kind;
        this.arity = arity;
        this.min = min;
        this.max = max;
        this.help = help;
    }

    public String sysctlName() { return sysctlName; }
    public String defaultValue() { return defaultValue; }
    public Kind kind() { return kind; }
    public int arity() { return arity; }
    public long min() { return min; }
    public long max() { return max; }
    public String help() { return help; }

    private static final Map<String, Sysctl> BY_NAME = new HashMap<>();
    static {
        for (Sysctl s : values()) {
            BY_NAME.put(s.sysctlName, s);
            // sysctl(8) accepts slashes as well as dots
            BY_NAME.put(s.sysctlName.replace('.', '/'), s);
        }
    }

    /** The setting with this Linux name (dots or slashes), or null. */
    public static Sysctl byName(String name) {
        return BY_NAME.get(name.trim());
    }

    /** Parses a value for this setting; throws IllegalArgumentException with a one-line reason. */
    long[] parse(String text) {
        String t = text.trim();
        if (kind == Kind.STRING) {
            if (t.isEmpty()) throw new IllegalArgumentException(sysctlName + ": empty value");
            if (this == TCP_CONGESTION_CONTROL && !AVAILABLE_CONGESTION_CONTROL.contains(t)) {
                throw new IllegalArgumentException(sysctlName + ": no congestion control named '" + t
                        + "' (No such file or directory; tcp_available_congestion_control: "
                        + String.join(" ", AVAILABLE_CONGESTION_CONTROL) + ")");
            }
            if (this == TCP_FASTOPEN_KEY && !t.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{8}){3}(,[0-9a-fA-F]{8}(-[0-9a-fA-F]{8}){3})?")) {
                throw new IllegalArgumentException(sysctlName + ": expected 32 hex digits as xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx");
            }
            return null;
        }
        String[] parts = t.split("[\\s,]+");
        if (parts.length != arity || t.isEmpty()) {
            throw new IllegalArgumentException(sysctlName + ": expected " + arity + " integer"
                    + (arity == 1 ? "" : "s") + ", got '" + text + "'");
        }
        long[] v = new long[arity];
        for (int i = 0; i < arity; i++) {
            try {
                v[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(sysctlName + ": '" + parts[i] + "' is not an integer");
            }
            if (v[i] < min || v[i] > max) {
                throw new IllegalArgumentException(sysctlName + ": " + v[i] + " is out of range [" + min + ", " + max + "]");
            }
        }
        if (this == IP_LOCAL_PORT_RANGE && v[0] > v[1]) {
            throw new IllegalArgumentException(sysctlName + ": the low port " + v[0] + " is above the high port " + v[1]);
        }
        if (kind == Kind.VECTOR && arity == 3 && !(v[0] <= v[1] && v[1] <= v[2])) {
            throw new IllegalArgumentException(sysctlName + ": expected min <= default <= max, got " + Arrays.toString(v));
        }
        return v;
    }
}
