package io.threeway.tcp;

import io.threeway.settings.Sysctls;
import io.threeway.stats.Counters;
import io.threeway.wire.FourTuple;
import io.threeway.wire.TcpSegment;
import io.threeway.wire.IpAddress;

/**
 * What the engine needs from its surroundings, and the only way it reaches them. The host implements
 * this; tests implement it with a recorder. Nothing here does I/O on the engine's behalf synchronously
 * visible to it: {@link #transmit} hands a segment over and returns.
 */
public interface Environment {

    /** The stack's settings, by Linux sysctl name. */
    Sysctls sysctls();

    /** Where the engine departs from Linux's behaviour (read on every use: the host may swap it). */
    default EngineProfile engineProfile() {
        return EngineProfile.LINUX;
    }

    /** The stack's counters. */
    Counters counters();

    /**
     * Sends one segment of {@code conn}. {@code seg}'s payload fields point at bytes that are valid only
     * during this call: the host copies them into the packet it builds.
     */
    void transmit(TcpConnection conn, TcpSegment seg);

    /**
     * The segment the host's connections build their outgoing segments in, one for all of them (a connection
     * fills it and hands it to {@link #transmit} before anything else can use it): no segment object per
     * connection.
     */
    TcpSegment scratchSegment();

    /** The connection moved from one state to another; {@code cause} says why, in a few words. */
    void stateChanged(TcpConnection conn, TcpState from, TcpState to, String cause, long now);

    /** The connection's earliest timer deadline may have changed: re-read {@link TcpConnection#nextDeadline()}. */
    void timersChanged(TcpConnection conn);

    /** Something an application may wait for changed: readable data, send space, connection, error. */
    void wake(TcpConnection conn);

    /** An initial sequence number for this four-tuple at this time (RFC 6528). */
    int initialSequenceNumber(FourTuple tuple, long now);

    /** The per-connection offset added to the timestamp clock (Linux's tcp_ts_off), so TS values leak no uptime. */
    int timestampOffset(FourTuple tuple);

    /**
     * Whether a connection entering TIME-WAIT may be kept there; false when the host already holds
     * net.ipv4.tcp_max_tw_buckets of them (Linux then destroys it at once: TCPTimeWaitOverflow).
     */
    default boolean admitTimeWait(TcpConnection conn) {
        return true;
    }

    /**
     * The connection is orphaned in TIME-WAIT: the host may replace it in its tables by a compact record (Linux's
     * inet_timewait_sock), made from {@link TcpConnection#timeWaitState}, and then
     * {@link TcpConnection#detach} it. The default keeps the connection as it is.
     */
    default void compactTimeWait(TcpConnection conn) {
    }

    /** The stack's TCP memory account (tcp_mem, tcp_max_orphans); by default one that limits nothing. */
    default TcpMemory memory() {
        return TcpMemory.UNLIMITED;
    }

    /** What is cached about this Fast Open server (Linux's tcp_fastopen_cache_get), or null. */
    default FastOpenMetrics fastOpenMetrics(IpAddress server) {
        return null;
    }

    /**
     * Linux's tcp_fastopen_cache_set, after a Fast Open SYN's SYN-ACK: the server's MSS ({@code mss}, 0 for no
     * change), its cookie ({@code cookie}, null for none, {@code experimental} when it came in option 254) and
     * try_exp ({@code tryExp}: 1 asks for the next cookie with the experimental option, 2 goes back to RFC 7413's;
     * it only ever rises while no cookie is cached).
     */
    default void fastOpenCacheSet(IpAddress server, int mss, byte[] cookie, boolean experimental, int tryExp) {
    }

    /**
     * A server answered a Fast Open SYN with neither a valid cookie nor an acknowledgment of the SYN's data: a
     * negative response to remember (RFC 7413 §4.1.3), as the engine profile's fastOpenPathDisableNanos says.
     */
    default void fastOpenRefused(IpAddress server, long now) {
    }

    /** Whether Fast Open to this server is off for now after a negative response (RFC 7413 §4.1.3). */
    default boolean fastOpenPathDisabled(IpAddress server, long now) {
        return false;
    }

    /**
     * The largest super-segment (IP packet, bytes) the device towards {@code tuple}'s peer takes whole (Linux's
     * sk_gso_max_size, set by sk_setup_caps from the route's device); 0, the default, when it takes only packets of
     * one MSS, so each segment is built on its own.
     */
    default int gsoMaxSize(FourTuple tuple) {
        return 0;
    }

    /** The MTU of the path to the peer (from the interface; lowered by ICMP later). */
    int pathMtu(FourTuple tuple);
}
