package io.threeway.host;

import io.threeway.tcp.EngineProfile;
import io.threeway.wire.IpAddress;
import java.util.HashMap;

/**
 * The client side of TCP Fast Open (RFC 7413 §4.1.3): the cookies servers gave us, per server address (Linux
 * keeps them in its tcp_metrics), and the servers Fast Open is off for after a negative response.
 */
final class FastOpenCache {
    /** Cookies by server address. */
    private final HashMap<IpAddress, byte[]> cookies = new HashMap<>();
    /** Servers Fast Open is off for, until when (ns). */
    private final HashMap<IpAddress, Long> disabledUntil = new HashMap<>();

    byte[] cookie(IpAddress server) {
        return cookies.get(server);
    }

    boolean hasCookie(IpAddress server) {
        return cookies.containsKey(server);
    }

    /** A server handed us a cookie: cache it, and Fast Open to it is on again. */
    void learned(IpAddress server, byte[] cookie) {
        cookies.put(server, cookie);
        disabledUntil.remove(server);
    }

    /** A negative response: as the engine profile's fastOpenPathDisableNanos says, forget the cookie for a while. */
    void refused(IpAddress server, EngineProfile profile, long now) {
        long d = profile.fastOpenPathDisableNanos();
        if (d <= 0) return;
        cookies.remove(server);
        disabledUntil.put(server, now + d);
    }

    /** Whether Fast Open to this server is off now; once the time is up, the next SYN asks for a cookie again. */
    boolean disabled(IpAddress server, long now) {
        Long until = disabledUntil.get(server);
        if (until == null) return false;
        if (now < until) return true;
        disabledUntil.remove(server);
        return false;
    }

    /** Forgets everything (FreeBSD flushes its cache when client_enable goes to 0). */
    void clear() {
        cookies.clear();
        disabledUntil.clear();
    }
}
