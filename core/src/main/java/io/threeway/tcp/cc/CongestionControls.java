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

    /** NewReno's name, as Linux's. */
    public static final String RENO = "reno";
    /** CUBIC's name, as Linux's. */
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

    /**
     * The name of the algorithm a socket gets: TCP_CONGESTION's {@code chosen} if available, else the stack's
     * default (tcp_assign_congestion_control; a request socket's child takes the listener's, tcp_ca_openreq_child).
     */
    public static String nameFor(String chosen, Sysctls sysctls) {
        if (isAvailable(chosen)) return chosen.trim();
        String stack = sysctls.getString(Sysctl.TCP_CONGESTION_CONTROL);
        return isAvailable(stack) ? stack.trim() : RENO;
    }

    /** The stack's default from net.ipv4.tcp_congestion_control; reno, always built in, if that names none. */
    public static CongestionControl stackDefault(Sysctls sysctls) {
        CongestionControl cc = byName(sysctls.getString(Sysctl.TCP_CONGESTION_CONTROL));
        return cc != null ? cc : new NewReno();
    }
}
