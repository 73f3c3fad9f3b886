package io.threeway.conformance.run;

import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.EngineProfile;
import io.threeway.wire.OptionLayout;
import java.util.Map;
import java.util.Set;

/**
 * The observable defaults of the system a script was written for, as data: how SYN options are laid out,
 * the buffer sizes and window sizes, and how the socket layer reports a buffer size. A profile changes
 * settings the stack already has (its sysctls, its option layout, per-socket options); it never switches
 * code paths in the engine.
 *
 * @param name {@code linux} or {@code freebsd}
 * @param layout the order and padding of outbound TCP options
 * @param sysctls Linux settings the profile starts from, by name, applied before the script's own
 * @param engine the engine's behaviour where it is not a Linux setting (RFC 5961's checks, the receive window
 *        model, the FIN repeated with ACKs, rexmit_slop), before the script's own sysctls change it
 * @param offerWholeBuffer offer the whole receive buffer from the first segment (BSD), instead of Linux's
 *        window that starts at a whole number of segments and grows ({@code tcp_select_initial_window})
 * @param rcvbufReport how getsockopt(SO_RCVBUF) reports the receive buffer
 * @param defines the names a script's {@code #ifdef} sees (packetdrill's {@code -D}), such as the system's name
 * @param extraSocketOptions socket options the system has beyond Linux's, which setsockopt and getsockopt
 *        accept (FreeBSD's TCP_NOOPT and TCP_KEEPINIT); under any other profile they fail with ENOPROTOOPT, as
 *        the names do not exist on Linux (where option 8 at IPPROTO_TCP is TCP_WINDOW_CLAMP)
 */
public record Profile(String name, String description, OptionLayout layout, Map<String, String> sysctls,
                      EngineProfile engine, boolean offerWholeBuffer, BufferReport rcvbufReport, Set<String> defines,
                      Set<String> extraSocketOptions) {

    /** How a system reports SO_RCVBUF. */
    public enum BufferReport {
        /** Linux: the buffer's size in bytes of memory, tcp_rmem[1] or twice what setsockopt set (sk_rcvbuf). */
        LINUX,
        /** FreeBSD: the byte limit (net.inet.tcp.recvspace), rounded up to a multiple of the MSS once connected. */
        BSD_MSS_ROUNDED
    }

    /** Applies the profile to a new stack and its settings, before the script's own sysctls. */
    public void apply(Stack stack) {
        Sysctls s = stack.sysctls();
        sysctls.forEach(s::set);
        stack.setOptionLayout(layout);
        stack.setEngineProfile(engine);
    }

    /** The per-socket options a new socket starts with. */
    public ConnectionOptions socketOptions() {
        ConnectionOptions o = new ConnectionOptions();
        o.offerWholeBuffer = offerWholeBuffer;
        return o;
    }
}
