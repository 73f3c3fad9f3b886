package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.FastOpen;
import io.threeway.tcp.MssPolicy;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * RFC 9293 §3.10.7.2 at the host, the listen path (Linux's tcp_conn_request, tcp_check_req, cookie_v4_check,
 * tcp_try_fastopen): a listener clones a connection for each acceptable SYN into its SYN queue, or answers with
 * a SYN cookie (RFC 4987) and keeps nothing; completes a connection from an ACK that brings a valid cookie
 * back; decides on Fast Open's SYN data (RFC 7413); and moves handshaken connections to the accept queue, or
 * holds them back under TCP_DEFER_ACCEPT.
 */
final class ListenPath {
    /** The host. */
    private final Stack stack;
    /** Its settings. */
    private final Sysctls sysctls;
    /** Its counters. */
    private final Counters counters;
    /** SYN cookies (RFC 4987, Linux's layout). */
    final SynCookies cookies;
    /** The server side of Fast Open's cookies (RFC 7413 §4.1.2). */
    private final FastOpenCookies fastOpen;
    /** Connections held back by TCP_DEFER_ACCEPT. */
    final DeferAccept deferAccept = new DeferAccept();
    /** Fast Open connections counted in their listener's pending queue until they leave SYN-RECEIVED. */
    private final IdentityHashMap<Pcb, Listener> fastOpenPending = new IdentityHashMap<>();

    ListenPath(Stack stack, SynCookies cookies, FastOpenCookies fastOpen) {
        this.stack = stack;
        this.sysctls = stack.sysctls();
        this.counters = stack.counters();
        this.cookies = cookies;
        this.fastOpen = fastOpen;
    }

    /** A segment for listener {@code l} with no connection of its own. */
    void arrives(Listener l, TcpSegment seg, FourTuple t, long now) {
        if (seg.rst()) return;
        int syncookies = sysctls.get(Sysctl.TCP_SYNCOOKIES);
        if (seg.ackFlag()) {
            if (!seg.syn() && syncookies != 0 && (syncookies == 2 || l.recentlyOverflowed(now))
                    && cookieAckArrives(l, seg, t, now)) {
                return;
            }
            stack.inbound.replyReset(seg, t, now);
            return;
        }
        // Linux's tcp_rcv_state_process (TCP_LISTEN): "if (th->syn) { if (th->fin) goto discard; ...": a SYN
        // that also carries FIN is no way to open a connection, and is dropped without an answer.
        if (!seg.syn() || seg.fin()) return;
        synArrives(l, seg, t, now);
    }

    /** A SYN for the listener: into the SYN queue, answered with a cookie, or dropped when the queues are full. */
    private void synArrives(Listener l, TcpSegment seg, FourTuple t, long now) {
        if (l.acceptQueueFull()) {
            // No room to finish the handshake, so the SYN is dropped, cookies or not.
            counters.inc(Counter.LISTEN_OVERFLOWS);
            counters.inc(Counter.LISTEN_DROPS);
            return;
        }
        int syncookies = sysctls.get(Sysctl.TCP_SYNCOOKIES);
        boolean synQueueFull = l.synQueueFull();
        if (synQueueFull) l.lastOverflow = now;
        if (syncookies == 2 || (syncookies == 1 && synQueueFull)) {
            TcpConnection once = new TcpConnection(stack.env, t, l.options());
            once.sendCookieSynAck(seg, cookies.encode(t, seg.seq, MssPolicy.fromPeer(t.v6(), seg.options.mss), now), now);
            counters.inc(Counter.SYNCOOKIES_SENT);
            return;
        }
        if (synQueueFull) {
            counters.inc(Counter.LISTEN_DROPS);
            return;
        }
        TcpConnection c = TcpConnection.withSharedOptions(stack.env, t, l.childOptions());
        Pcb pcb = stack.register(c);
        pcb.listener = l;
        l.synQueue++;
        boolean fastOpenData = fastOpenDecision(l, seg, t, c);
        c.acceptSyn(seg, now);
        if (fastOpenData && stack.table.find(t) == pcb) {
            // Linux's tcp_fastopen_create_child: straight to the accept queue, data readable before the ACK.
            fastOpenPending.put(pcb, l);
            l.fastOpenPending++;
            moveToAcceptQueue(pcb);
        }
    }

    /**
     * RFC 7413 §4.1 and §4.3 at the listener (Linux's tcp_try_fastopen): a cookie request gets a cookie; a valid
     * cookie with data gets the data accepted, if the listener's Fast Open queue has room; an invalid cookie
     * gets the right one and no acceptance. Returns whether the SYN's data is accepted.
     */
    private boolean fastOpenDecision(Listener l, TcpSegment seg, FourTuple t, TcpConnection c) {
        int mode = sysctls.get(Sysctl.TCP_FASTOPEN);
        boolean serverOn = (mode & FastOpen.SERVER) != 0
                && (l.fastOpenQueueLimit() > 0 || (mode & FastOpen.SERVER_WO_SOCKOPT) != 0);
        if (!serverOn) return false;
        boolean noCookieNeeded = (mode & FastOpen.SERVER_COOKIE_NOT_REQD) != 0;
        TcpOptions o = seg.options;
        if (!o.fastOpen && !(noCookieNeeded && seg.payloadLength > 0)) return false;
        byte[] valid = fastOpen.cookie(t.remoteAddress(), t.localAddress(), sysctls);
        boolean cookieOk = noCookieNeeded || (o.fastOpenCookieLength == valid.length
                && Arrays.equals(o.fastOpenCookie, 0, valid.length, valid, 0, valid.length));
        if (o.fastOpen && o.fastOpenCookieLength == 0) {
            counters.inc(Counter.TCP_FAST_OPEN_COOKIE_REQD);
            c.prepareFastOpen(valid, false);
            return false;
        }
        if (!cookieOk) {
            counters.inc(Counter.TCP_FAST_OPEN_PASSIVE_FAIL);
            c.prepareFastOpen(valid, false);
            return false;
        }
        if (seg.payloadLength == 0) return false;
        int limit = l.fastOpenQueueLimit() > 0 ? l.fastOpenQueueLimit() : l.acceptQueueLimit();
        if (l.fastOpenPending >= limit) {
            counters.inc(Counter.TCP_FAST_OPEN_LISTEN_OVERFLOW);
            return false;
        }
        counters.inc(Counter.TCP_FAST_OPEN_PASSIVE);
        c.prepareFastOpen(null, true);
        return true;
    }

    /** An ACK for a listener with no half-open entry: a returning SYN cookie? Returns true if it was one. */
    private boolean cookieAckArrives(Listener l, TcpSegment seg, FourTuple t, long now) {
        int mss = cookies.check(t, seg.ack - 1, seg.seq - 1, now);
        if (mss == 0) {
            counters.inc(Counter.SYNCOOKIES_FAILED);
            return false;
        }
        if (l.acceptQueueFull()) {
            counters.inc(Counter.LISTEN_OVERFLOWS);
            counters.inc(Counter.LISTEN_DROPS);
            return true; // dropped: the peer's retransmission may find room
        }
        TcpConnection c = TcpConnection.withSharedOptions(stack.env, t, l.childOptions());
        Pcb pcb = stack.register(c);
        pcb.listener = l;
        l.synQueue++;
        if (!c.acceptCookie(seg, mss, now)) {
            stack.unregister(pcb);
            counters.inc(Counter.SYNCOOKIES_FAILED);
            return false;
        }
        counters.inc(Counter.SYNCOOKIES_RECV);
        return true;
    }

    /**
     * The final ACK finds the accept queue full (Linux's tcp_check_req -> syn_recv_sock fails): drop it and let
     * the SYN-ACK timer retry, or reset when tcp_abort_on_overflow says so. Returns whether the ACK was taken.
     */
    boolean acceptQueueOverflow(Pcb pcb, TcpSegment seg, long now) {
        Listener l = pcb.listener;
        TcpConnection c = pcb.conn;
        if (l == null || c.state() != TcpState.SYN_RECEIVED || !seg.ackFlag() || seg.syn() || seg.rst()
                || !l.acceptQueueFull()) {
            return false;
        }
        counters.inc(Counter.LISTEN_OVERFLOWS);
        counters.inc(Counter.LISTEN_DROPS);
        if (sysctls.get(Sysctl.TCP_ABORT_ON_OVERFLOW) == 1) {
            counters.inc(Counter.EMBRYONIC_RSTS);
            c.abort(now);
        }
        return true;
    }

    /**
     * A passive connection left SYN-RECEIVED for a synchronized state: to the accept queue, or held back until
     * data arrives when the listener has TCP_DEFER_ACCEPT. Also ends its count in the Fast Open queue.
     */
    void handshakeDone(Pcb pcb, TcpConnection conn, TcpState to, long t) {
        if (pcb.listener != null && !pcb.inAcceptQueue && to.isSynchronized() && to != TcpState.TIME_WAIT) {
            int defer = pcb.listener.deferAcceptSeconds();
            if (defer > 0 && conn.readable() == 0 && !conn.atEof()) {
                long until = t + defer * 1_000_000_000L;
                deferAccept.defer(pcb, until);
                stack.deadlineMayHaveMoved(until);
            } else {
                moveToAcceptQueue(pcb);
            }
        }
        Listener fastOpen = fastOpenPending.isEmpty() ? null : fastOpenPending.remove(pcb);
        if (fastOpen != null) fastOpen.fastOpenPending--;
    }

    /** Data or EOF arrived on a connection: a deferred one goes to the accept queue now. */
    void dataArrived(Pcb pcb, TcpConnection conn) {
        if (deferAccept.dataArrived(pcb, conn)) moveToAcceptQueue(pcb);
    }

    /** TCP_DEFER_ACCEPT's deadline came without data: queued anyway, if still there. */
    void deferralEnded(Pcb pcb) {
        if (stack.table.find(pcb.conn.tuple()) == pcb) moveToAcceptQueue(pcb);
    }

    /** The handshake is done (and, with TCP_DEFER_ACCEPT, data has come): from the SYN queue to the accept queue. */
    void moveToAcceptQueue(Pcb pcb) {
        Listener l = pcb.listener;
        if (l == null || pcb.inAcceptQueue) return;
        deferAccept.forget(pcb);
        l.synQueue--;
        pcb.inAcceptQueue = true;
        l.enqueue(pcb.conn);
        stack.wakeApplication(l);
    }

    /** A connection leaves the host: out of its listener's SYN queue and of the deferred list. */
    void forget(Pcb pcb) {
        deferAccept.forget(pcb);
        if (!fastOpenPending.isEmpty()) fastOpenPending.remove(pcb);
        Listener l = pcb.listener;
        if (l != null && !pcb.inAcceptQueue) {
            l.synQueue--;
            pcb.listener = null;
        }
    }

    /** A reboot: nothing is deferred or pending any more. */
    void clear() {
        deferAccept.clear();
        fastOpenPending.clear();
    }

    /** accept() took the connection: it belongs to the application now. */
    void accepted(Pcb pcb) {
        pcb.listener = null;
        pcb.inAcceptQueue = false;
    }
}
