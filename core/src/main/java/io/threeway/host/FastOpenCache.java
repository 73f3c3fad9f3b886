package io.threeway.host;

import io.threeway.tcp.EngineProfile;
import io.threeway.tcp.FastOpenMetrics;
import io.threeway.wire.IpAddress;
import java.util.HashMap;

/**
 * The client side of TCP Fast Open (RFC 7413 §4.1.3): what servers told us, per server address, as Linux keeps it
 * in its tcp_metrics (tcp_fastopen_cache_set / tcp_fastopen_cache_get): the cookie, the server's MSS, and
 * whether to try the experimental option; and the servers Fast Open is off for after a negative response.
 */
final class FastOpenCache {
    /** One server's entry (Linux's struct tcp_fastopen_metrics). */
    private static final class Entry {
        /** The cookie, or null. */
        byte[] cookie;
        /** The cookie came in the experimental option (254). */
        boolean cookieExperimental;
        /** The server's MSS from its last SYN-ACK, 0 for none. */
        int mss;
        /** Linux's try_exp: 1 asks with the experimental option next, 2 is back to RFC 7413's. */
        int tryExp;
    }

    /** Entries by server address. */
    private final HashMap<IpAddress, Entry> entries = new HashMap<>();
    /** Servers Fast Open is off for, until when (ns). */
    private final HashMap<IpAddress, Long> disabledUntil = new HashMap<>();

    boolean hasCookie(IpAddress server) {
        Entry e = entries.get(server);
        return e != null && e.cookie != null;
    }

    /** Linux's tcp_fastopen_cache_get: the cookie, the MSS, and experimental when the cookie or try_exp says so. */
    FastOpenMetrics metrics(IpAddress server) {
        Entry e = entries.get(server);
        if (e == null) return null;
        boolean experimental = e.cookie != null ? e.cookieExperimental : e.tryExp == 1;
        return new FastOpenMetrics(e.cookie, experimental, e.mss);
    }

    /** Linux's tcp_fastopen_cache_set; a cookie turns Fast Open to this server on again. */
    void set(IpAddress server, int mss, byte[] cookie, boolean experimental, int tryExp) {
        Entry e = entries.computeIfAbsent(server, k -> new Entry());
        if (mss > 0) e.mss = mss;
        if (cookie != null) {
            e.cookie = cookie;
            e.cookieExperimental = experimental;
            disabledUntil.remove(server);
        } else if (tryExp > e.tryExp && e.cookie == null) {
            e.tryExp = tryExp;
        }
    }

    /** A negative response: as the engine profile's fastOpenPathDisableNanos says, forget the cookie for a while. */
    void refused(IpAddress server, EngineProfile profile, long now) {
        long d = profile.fastOpenPathDisableNanos();
        if (d <= 0) return;
        Entry e = entries.get(server);
        if (e != null) e.cookie = null;
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

    /** Forgets everything (ip tcp_metrics flush; FreeBSD flushes its cache when client_enable goes to 0). */
    void clear() {
        entries.clear();
        disabledUntil.clear();
    }
}
