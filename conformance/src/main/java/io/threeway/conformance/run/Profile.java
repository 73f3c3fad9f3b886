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
 * @param socketApi how the system's socket layer treats sendto() on an unconnected socket and TCP_FASTOPEN
 */
public record Profile(String name, String description, OptionLayout layout, Map<String, String> sysctls,
                      EngineProfile engine, boolean offerWholeBuffer, BufferReport rcvbufReport, Set<String> defines,
                      Set<String> extraSocketOptions, SocketApi socketApi) {

    /** The socket-layer semantics that differ between the systems, for Fast Open and implied connects. */
    public enum SocketApi {
        /**
         * Linux: sendto() on an unconnected socket fails with EPIPE unless it has MSG_FASTOPEN, which connects with
         * the data for the SYN (tcp_sendmsg_fastopen). TCP_FASTOPEN is the listener's Fast Open queue length
         * (fastopen_queue_tune), settable before or after listen(); TCP_FASTOPEN_CONNECT defers a connect's SYN.
         */
        LINUX,
        /**
         * FreeBSD: sendto() with an address on an unconnected socket connects implicitly (PR_IMPLOPCL) and queues
         * the data, returning at once. TCP_FASTOPEN is an on/off flag (TF_FASTOPEN): on a socket that is not yet
         * connected it makes the next connect (sendto's implied one, or connect()) a Fast Open one, asking for a
         * cookie or sending the data with the cached one; on a listener it enables server Fast Open, with at most
         * half the backlog pending (tcp_fastopen.c). EPERM when neither fastopen.client_enable nor
         * fastopen.server_enable is set, EINVAL once the socket is connecting.
         */
        BSD
    }

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
