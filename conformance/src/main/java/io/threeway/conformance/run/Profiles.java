package io.threeway.conformance.run;

import io.threeway.tcp.EngineProfile;
import io.threeway.wire.OptionLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The profiles the runner knows: {@code linux} (the stack's own defaults) and {@code freebsd}. */
public final class Profiles {
    private Profiles() {}

    /** Linux: the stack as it is. */
    public static final Profile LINUX = new Profile("linux", "Linux 6.x defaults (the stack's own)",
            OptionLayout.LINUX, Map.of(), EngineProfile.LINUX, false, Profile.BufferReport.LINUX, Set.of("Linux"), Set.of(),
            Profile.SocketApi.LINUX);

    /**
     * FreeBSD 11 to 14's defaults, as the FreeBSD test suite sets them: net.inet.tcp.recvspace 65536,
     * sendspace 32768, kern.ipc.maxsockbuf 2 MiB (window scale 6), the whole buffer offered as window
     * (tcp_adv_win_scale 0 and no segment rounding), tcp_addoptions' layout; SYNs retransmitted with exponential
     * backoff from the first timeout plus rexmit_slop (200 ms); BSD's receive window in the acceptability test and
     * its FIN repeated on every segment while it is outstanding; tcp_twcheck in TIME-WAIT. RFC 5961's checks stay on, as FreeBSD's
     * defaults (insecure_rst = insecure_syn = 0) have them. A SYN is retransmitted up to TCP_MAXRXTSHIFT (12) times, with
     * timeouts capped at TCPTV_REXMTMAX (64 s), while the connection-establishment timer (keepinit, 75 s) runs; SYN
     * retransmissions ask for ECN up to ecn.maxretries (1) times; keepalive gives up after keepcnt (8) probes. The socket options TCP_NOOPT and TCP_KEEPINIT exist.
     * Fast Open: client on, server off (fastopen.client_enable = 1, server_enable = 0, Linux's tcp_fastopen = 1);
     * TCP_FASTOPEN is a flag and sendto() connects implicitly ({@link Profile.SocketApi#BSD}); a server that answers
     * a Fast Open SYN without a valid cookie and without taking its data turns Fast Open off to it for
     * fastopen.path_disable_time (900 s).
     */
    public static final Profile FREEBSD = new Profile("freebsd", "FreeBSD defaults (tcp_addoptions layout, 64 KiB buffers)",
            OptionLayout.FREEBSD, freebsdSysctls(), freebsdEngine(), true, Profile.BufferReport.BSD_MSS_ROUNDED, Set.of("FreeBSD"),
            Set.of("TCP_NOOPT", "TCP_KEEPINIT"), Profile.SocketApi.BSD);

    private static Map<String, String> freebsdSysctls() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.tcp_adv_win_scale", "0");
        m.put("net.ipv4.tcp_rmem", "4096 65536 2097152");
        m.put("net.ipv4.tcp_wmem", "4096 32768 2097152");
        m.put("net.ipv4.tcp_syn_linear_timeouts", "0"); // tcp_timer_rexmt backs off from the first SYN timeout
        m.put("net.ipv4.tcp_syn_retries", "12");        // TCP_MAXRXTSHIFT: tcp_timer_rexmt drops after 12 retransmissions
        m.put("net.ipv4.tcp_rto_max_ms", "64000");      // TCPTV_REXMTMAX
        m.put("net.ipv4.tcp_keepalive_probes", "8");     // net.inet.tcp.keepcnt (TCPTV_KEEPCNT)
        m.put("net.ipv4.tcp_early_retrans", "0");        // FreeBSD's default stack sends no tail loss probe
        m.put("net.ipv4.tcp_recovery", "0");             // nor detects loss by time (RACK is its other stack's)
        return Map.copyOf(m);
    }

    private static EngineProfile freebsdEngine() {
        return EngineProfile.LINUX
                .withBsdReceiveWindow(true)
                .withFinWithAck(true)
                .withRexmitSlopNanos(200_000_000L) // net.inet.tcp.rexmit_slop = 200 ms (TCPTV_CPU_VAR)
                .withBsdTimeWait(true)
                .withBsdPush(true)                  // tcp_output: PUSH when sending everything we've got
                .withKeepInitNanos(75_000_000_000L) // net.inet.tcp.keepinit = 75 s (TCPTV_KEEP_INIT)
                .withEcnSynRetries(1)               // net.inet.tcp.ecn.maxretries = 1
                .withFastOpenPathDisableNanos(900_000_000_000L); // net.inet.tcp.fastopen.path_disable_time = 900 s
    }

    public static List<Profile> all() {
        return List.of(LINUX, FREEBSD);
    }

    public static Optional<Profile> byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
