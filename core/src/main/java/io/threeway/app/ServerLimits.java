package io.threeway.app;

import java.time.Duration;

/**
 * The limits every server in this package keeps, so that no client, however slow, silent or large, holds a
 * thread, a buffer or a connection slot forever. The defaults follow the common servers' (Apache's
 * {@code RequestReadTimeout header=20 body=20,MinRate=500}, {@code LimitRequestLine 8190}, {@code
 * LimitRequestFields 100}; nginx's 8 KiB header lines and 75 s keep-alive).
 *
 * @param maxConnections  connections served at once; at the limit the one idle longest is closed to make room
 *                        (nginx does the same with idle keep-alive connections), and when none is idle the newcomer
 *                        gets {@code 503} (HTTP) or is closed (echo)
 * @param idleTimeout     how long a connection may wait, with nothing of a request received, before it is closed
 *                        (HTTP keep-alive; echo between reads)
 * @param headerTimeout   how long a request's line and header fields may take from their first byte: slowloris
 *                        gets {@code 408} and is closed
 * @param bodyTimeout     how long a body may take at least; each {@code bodyMinRate} bytes received add a second,
 *                        so a slow but steady upload goes on and a trickle does not ({@code 408})
 * @param bodyMinRate     bytes a second a body must keep up beyond {@code bodyTimeout}
 * @param maxRequestLine  the longest request line, in bytes ({@code 414 URI Too Long} beyond it)
 * @param maxHeaderBytes  the longest header section (all field lines together), in bytes ({@code 431})
 * @param maxHeaderFields the most field lines in a header section ({@code 431})
 * @param maxBody         the largest request body, in bytes ({@code 413 Content Too Large} beyond it)
 * @param sendTimeout     how long one write may stay blocked (a client that stopped reading, a closed window)
 *                        before the connection is closed under it (nginx's {@code send_timeout}, 60 s)
 */
public record ServerLimits(int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout,
                           int bodyMinRate, int maxRequestLine, int maxHeaderBytes, int maxHeaderFields, long maxBody,
                           Duration sendTimeout) {

    /** The defaults: 1,024 connections, 60 s idle, 20 s for a header, 20 s plus 500 bytes/s for a body, 8 KiB
     *  request line, 32 KiB and 100 fields of header, 1 GiB of body, 60 s for a blocked write. */
    public static final ServerLimits DEFAULT = new ServerLimits(1024, Duration.ofSeconds(60), Duration.ofSeconds(20),
            Duration.ofSeconds(20), 500, 8192, 32768, 100, 1L << 30, Duration.ofSeconds(60));

    public ServerLimits {
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections < 1");
        for (Duration d : new Duration[] {idleTimeout, headerTimeout, bodyTimeout, sendTimeout}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
        }
        if (bodyMinRate < 1 || maxRequestLine < 16 || maxHeaderBytes < 16 || maxHeaderFields < 1 || maxBody < 0) {
            throw new IllegalArgumentException("limits out of range");
        }
    }

    public ServerLimits withMaxConnections(int n) {
        return new ServerLimits(n, idleTimeout, headerTimeout, bodyTimeout, bodyMinRate, maxRequestLine, maxHeaderBytes,
                maxHeaderFields, maxBody, sendTimeout);
    }

    /** The same limits with these three timeouts. */
    public ServerLimits withTimeouts(Duration idle, Duration header, Duration body) {
        return new ServerLimits(maxConnections, idle, header, body, bodyMinRate, maxRequestLine, maxHeaderBytes,
                maxHeaderFields, maxBody, sendTimeout);
    }

    public ServerLimits withMaxBody(long bytes) {
        return new ServerLimits(maxConnections, idleTimeout, headerTimeout, bodyTimeout, bodyMinRate, maxRequestLine,
                maxHeaderBytes, maxHeaderFields, bytes, sendTimeout);
    }

    /** The same limits with this send timeout. */
    public ServerLimits withSendTimeout(Duration d) {
        return new ServerLimits(maxConnections, idleTimeout, headerTimeout, bodyTimeout, bodyMinRate, maxRequestLine,
                maxHeaderBytes, maxHeaderFields, maxBody, d);
    }

    /**
     * How often a server's accept loop wakes to look for stalled writers: half the send timeout (at least 1 ms), so
     * a stalled write lasts at most 1.5 of it.
     */
    public int acceptTickMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sendTimeout.toMillis() / 2));
    }
}
