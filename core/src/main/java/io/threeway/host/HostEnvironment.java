package io.threeway.host;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.stats.Counters;
import io.threeway.tcp.EngineProfile;
import io.threeway.tcp.Environment;
import io.threeway.tcp.FastOpenMetrics;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpMemory;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import io.threeway.wire.TcpSegment;

/** The engine's view of its host: what a {@link TcpConnection} asks of the {@link Stack} it lives in. */
final class HostEnvironment implements Environment {
    /** The host. */
    private final Stack stack;

    HostEnvironment(Stack stack) {
        this.stack = stack;
    }

    @Override public Sysctls sysctls() { return stack.sysctls(); }

    @Override public Counters counters() { return stack.counters(); }

    @Override public TcpMemory memory() { return stack.tcpMemory(); }

    @Override public EngineProfile engineProfile() { return stack.engineProfile(); }

    @Override
    public int gsoMaxSize(FourTuple tuple) {
        Interface ifc = stack.route(tuple.remoteAddress());
        return ifc == null ? 0 : ifc.sink().gsoMaxSize();
    }

    @Override
    public TcpSegment scratchSegment() {
        return stack.scratch;
    }

    @Override
    public void transmit(TcpConnection conn, TcpSegment s) {
        stack.outbound.send(conn.tuple(), s, stack.now());
    }

    @Override
    public void stateChanged(TcpConnection conn, TcpState from, TcpState to, String cause, long t) {
        // A user call (close() from a socket) carries a time the stack has not seen yet: what it sends next is
        // stamped with it, not with the stack's last event (a TUN stack's FIN reached observers older than its
        // transition).
        stack.tick(t);
        Pcb pcb = (Pcb) conn.attachment();
        if (pcb != null && from == TcpState.SYN_RECEIVED) stack.listenPath.handshakeDone(pcb, conn, to, t);
        stack.timeWaitCounted(from, to);
        stack.observeTransition(conn, from, to, cause, t);
        if (pcb != null && (to == TcpState.CLOSED || (to == TcpState.LISTEN && from == TcpState.SYN_RECEIVED))) {
            stack.unregister(pcb);
        }
    }

    @Override
    public void timersChanged(TcpConnection conn) {
        Pcb pcb = (Pcb) conn.attachment();
        if (pcb == null || stack.table.find(conn.tuple()) != pcb) return;
        stack.schedule(pcb, conn.nextDeadline());
    }

    @Override
    public void wake(TcpConnection conn) {
        Pcb pcb = (Pcb) conn.attachment();
        if (pcb != null) stack.listenPath.dataArrived(pcb, conn);
        stack.wakeApplication(conn);
    }

    @Override
    public void compactTimeWait(TcpConnection conn) {
        stack.compact(conn);
    }

    @Override
    public int initialSequenceNumber(FourTuple tuple, long t) {
        Integer chosen = stack.timeWaitReuse.takeIss(tuple);
        return chosen != null ? chosen : stack.isn.isn(tuple, t);
    }

    @Override
    public FastOpenMetrics fastOpenMetrics(IpAddress server) {
        return stack.fastOpenCache.metrics(server);
    }

    @Override
    public void fastOpenCacheSet(IpAddress server, int mss, byte[] cookie, boolean experimental, int tryExp) {
        stack.fastOpenCache.set(server, mss, cookie, experimental, tryExp);
    }

    @Override
    public void fastOpenRefused(IpAddress server, long now) {
        stack.fastOpenCache.refused(server, stack.engineProfile(), now);
    }

    @Override
    public boolean fastOpenPathDisabled(IpAddress server, long now) {
        return stack.fastOpenCache.disabled(server, now);
    }

    @Override
    public boolean admitTimeWait(TcpConnection conn) {
        return stack.timeWaitCount() < stack.sysctls().get(Sysctl.TCP_MAX_TW_BUCKETS);
    }

    @Override
    public int timestampOffset(FourTuple tuple) {
        return stack.isn.timestampOffset(tuple);
    }

    @Override
    public int pathMtu(FourTuple tuple) {
        return stack.pathMtu(tuple.remoteAddress(), stack.now());
    }
}
