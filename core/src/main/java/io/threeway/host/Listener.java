package io.threeway.host;

import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.wire.IpAddress;
import java.util.ArrayDeque;
import io.threeway.settings.Sysctl;

/**
 * A listening socket: the SYN queue of half-open connections and the accept queue of established ones
 * (the two queues the seeds describe). The accept queue's limit is min(backlog, net.core.somaxconn);
 * the SYN queue's is net.ipv4.tcp_max_syn_backlog.
 */
public final class Listener {
    private final Stack stack;
    private final IpAddress address;
    private final int port;
    private final ConnectionOptions options;
    /** The copy of {@link #options} its children share until they change theirs; made again when these change. */
    private ConnectionOptions childOptions;
    private final ArrayDeque<TcpConnection> acceptQueue = new ArrayDeque<>();
    private int backlog;
    int synQueue;
    boolean closed;
    /** TCP_FASTOPEN: the most Fast Open connections pending (not yet established); 0 off. */
    private int fastOpenQueueLimit;
    /** Fast Open connections created from a SYN and not yet established (Linux's fastopenq.qlen). */
    int fastOpenPending;
    /** TCP_DEFER_ACCEPT in seconds: 0 off. */
    private int deferAcceptSeconds;
    /** When the SYN queue last overflowed (for tcp_syncookies = 1: cookies are honoured for two minutes after). */
    long lastOverflow = Long.MIN_VALUE;

    Listener(Stack stack, IpAddress address, int port, int backlog, ConnectionOptions options) {
        this.stack = stack;
        this.address = address;
        this.port = port;
        this.backlog = backlog;
        this.options = options;
    }

    public Stack stack() { return stack; }
    /** The bound address; the wildcard (0.0.0.0 or ::) for all of the stack's addresses. */
    public IpAddress address() { return address; }
    public int port() { return port; }
    public ConnectionOptions options() { return options; }

    /** The options a new child starts with: a copy shared by the children made since the listener's last change. */
    ConnectionOptions childOptions() {
        if (childOptions == null || !childOptions.sameAs(options)) childOptions = options.copy();
        return childOptions;
    }
    public boolean isClosed() { return closed; }

    /** The accept queue's limit: min(backlog, net.core.somaxconn), as ss shows it in Send-Q. */
    public int acceptQueueLimit() {
        return Math.min(backlog, stack.sysctls().get(Sysctl.SOMAXCONN));
    }

    /** Connections waiting for accept() (ss's Recv-Q on a listener). */
    public int acceptQueueLength() { return acceptQueue.size(); }

    /** Half-open connections (SYN-RECEIVED). */
    public int synQueueLength() { return synQueue; }

    /**
     * The SYN queue's limit. Linux's inet_csk_reqsk_queue_is_full compares the half-open count with the
     * listener's backlog; net.ipv4.tcp_max_syn_backlog caps it further.
     */
    public int synQueueLimit() {
        return Math.max(1, Math.min(acceptQueueLimit(), stack.sysctls().get(Sysctl.TCP_MAX_SYN_BACKLOG)));
    }

    boolean synQueueFull() {
        return synQueue >= synQueueLimit();
    }

    /** Linux's tcp_synq_no_recent_overflow, negated: the SYN queue overflowed within TCP_SYNCOOKIE_VALID (2 min). */
    boolean recentlyOverflowed(long now) {
        return lastOverflow != Long.MIN_VALUE && now - lastOverflow <= 120_000_000_000L;
    }

    /** Linux's sk_acceptq_is_full: the queue holds more than the limit allows. */
    boolean acceptQueueFull() {
        return acceptQueue.size() > acceptQueueLimit() || acceptQueueLimit() == 0 && !acceptQueue.isEmpty();
    }

    void enqueue(TcpConnection c) { acceptQueue.add(c); }

    boolean remove(TcpConnection c) { return acceptQueue.remove(c); }

    /** Takes the oldest established connection, or null when none waits (accept()). */
    public TcpConnection accept() {
        TcpConnection c = acceptQueue.poll();
        if (c != null) stack.accepted(c);
        return c;
    }

    /**
     * TCP_DEFER_ACCEPT: a connection whose handshake is done waits outside the accept queue until its first
     * data arrives, so accept() never returns a connection with nothing to read; after {@code seconds} without
     * data it is queued anyway (Linux then lets the bare ACK complete it). 0 turns it off.
     */
    public void setDeferAcceptSeconds(int seconds) {
        if (seconds < 0) throw new IllegalArgumentException("TCP_DEFER_ACCEPT must not be negative");
        this.deferAcceptSeconds = seconds;
    }

    public int deferAcceptSeconds() { return deferAcceptSeconds; }

    /**
     * TCP_FASTOPEN on a listener (RFC 7413 §5.1): up to {@code qlen} Fast Open connections may wait for their
     * handshake to finish at once; beyond that, SYN data is not accepted (TCPFastOpenListenOverflow) and the
     * client falls back to the ordinary handshake. 0 turns Fast Open off for this listener.
     */
    public void setFastOpenQueueLimit(int qlen) {
        if (qlen < 0) throw new IllegalArgumentException("TCP_FASTOPEN queue length must not be negative");
        this.fastOpenQueueLimit = qlen;
    }

    public int fastOpenQueueLimit() { return fastOpenQueueLimit; }

    /** Changes the backlog (a second listen() call does this in Linux). */
    public void setBacklog(int backlog) { this.backlog = backlog; }

    ArrayDeque<TcpConnection> queue() { return acceptQueue; }

    @Override
    public String toString() {
        return "Listener[" + address + ":" + port + "]";
    }
}
