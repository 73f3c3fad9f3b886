package io.threeway.tcp.cc;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import java.util.List;

/**
 * The algorithms a socket can name: TCP_CONGESTION per socket, {@code net.ipv4.tcp_congestion_control} per
 * stack (Linux's default there is cubic), and {@code tcp_available_congestion_control}'s list.
 */
public final class CongestionControls {
    private CongestionControls() {}

    public static final String RENO = "reno";
    public static final String CUBIC = "cubic";

    /** As Linux lists them in tcp_available_congestion_control. */
    public static final List<String> AVAILABLE = Sysctl.AVAILABLE_CONGESTION_CONTROL;

    /** A fresh algorithm for this name, or null if there is none (setsockopt then fails with ENOENT, as Linux). */
    public static CongestionControl byName(String name) {
        if (name == null) return null;
        return switch (name.trim()) {
            case RENO -> new NewReno();
            case CUBIC -> new Cubic();
            default -> null;
        };
    }

    public static boolean isAvailable(String name) {
        return name != null && AVAILABLE.contains(name.trim());
    }

    /** The stack's default from net.ipv4.tcp_congestion_control; reno, always built in, if that names none. */
    public static CongestionControl stackDefault(Sysctls sysctls) {
        CongestionControl cc = byName(sysctls.getString(Sysctl.TCP_CONGESTION_CONTROL));
        return cc != null ? cc : new NewReno();
    }
}
