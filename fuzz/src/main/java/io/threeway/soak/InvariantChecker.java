package io.threeway.soak;

import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.stats.Counter;
import io.threeway.tcp.EngineInvariants;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks the soak runs after every event of the simulation: each live connection's {@link EngineInvariants};
 * every state transition one RFC 9293's diagram (with Linux's few additions) allows; each stack's CurrEstab equal to
 * its connections in ESTABLISHED or CLOSE-WAIT, counted from the transitions; and each stack's orphan count
 * ({@code tcp_orphan_count}) equal to the connections closed by their application and not yet ended.
 */
final class InvariantChecker implements StackObserver {
    /** The transitions RFC 9293 §3.3.2's diagram draws, plus aborts and timeouts to CLOSED from any state. */
    private static final Map<TcpState, EnumSet<TcpState>> ALLOWED = new IdentityHashMap<>();

    static {
        allow(TcpState.CLOSED, TcpState.SYN_SENT, TcpState.LISTEN);
        allow(TcpState.LISTEN, TcpState.SYN_RECEIVED, TcpState.SYN_SENT);
        allow(TcpState.SYN_SENT, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED);
        allow(TcpState.SYN_RECEIVED, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.LISTEN); // LISTEN: a half-open one dropped
        allow(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.CLOSE_WAIT);
        allow(TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.CLOSING, TcpState.TIME_WAIT);
        allow(TcpState.FIN_WAIT_2, TcpState.TIME_WAIT);
        allow(TcpState.CLOSE_WAIT, TcpState.LAST_ACK);
        allow(TcpState.CLOSING, TcpState.TIME_WAIT);
        allow(TcpState.LAST_ACK);
        allow(TcpState.TIME_WAIT);
    }

    private static void allow(TcpState from, TcpState... to) {
        EnumSet<TcpState> set = EnumSet.of(TcpState.CLOSED, to);
        ALLOWED.put(from, set);
    }

    /** Where failures go. */
    private final Soak soak;
    /** The stacks watched. */
    private final List<Stack> stacks;
    /** Per stack (same index): connections in ESTABLISHED or CLOSE-WAIT, from the transitions seen. */
    private final long[] established;
    /** Transitions seen, by target state (CLOSING shows simultaneous closes happened). */
    final long[] transitionsTo = new long[TcpState.values().length];
    /** The connections checked after every event. */
    final List<TcpConnection> live = new ArrayList<>();
    /** Orphans counted per stack in one check (reused). */
    private final int[] orphanScratch;
    /** The first transition no diagram allows, kept until the event ends. */
    private SoakFailure broken;
    /** Events checked. */
    long events;

    InvariantChecker(Soak soak, List<Stack> stacks) {
        this.soak = soak;
        this.stacks = stacks;
        this.established = new long[stacks.size()];
        this.orphanScratch = new int[stacks.size()];
        for (Stack s : stacks) s.addObserver(this);
    }

    @Override
    public void transition(Stack stack, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                           long now) {
        EnumSet<TcpState> ok = ALLOWED.get(from);
        if ((ok == null || !ok.contains(to)) && broken == null) {
            // not thrown from here: the stack would count it as its own internal error and go on
            broken = soak.failure(stack.name() + " " + tuple + ": " + from + " -> " + to + " (" + cause + ") is no transition of RFC 9293's");
        }
        transitionsTo[to.ordinal()]++;
        if (conn != null) soak.transitionSeen(conn, from, to, cause, now);
        if (conn != null && (to == TcpState.CLOSED || to == TcpState.TIME_WAIT)) soak.connectionEnded(conn);
        int i = stacks.indexOf(stack);
        if (to.countsAsEstablished() && !from.countsAsEstablished()) established[i]++;
        if (from.countsAsEstablished() && !to.countsAsEstablished()) established[i]--;
    }

    /** Everything, after one event. */
    void afterEvent() {
        events++;
        if (broken != null) throw broken;
        for (int i = 0, n = live.size(); i < n; i++) {
            TcpConnection c = live.get(i);
            String v = EngineInvariants.violation(c);
            if (v != null) throw soak.failure(c.tuple() + " on " + soak.stackOf(c) + ": " + v + "; " + c.debugState());
        }
        for (int i = 0; i < stacks.size(); i++) {
            Stack s = stacks.get(i);
            long counted = s.counters().get(Counter.CURR_ESTAB);
            if (counted != established[i]) {
                throw soak.failure(s.name() + ": CurrEstab " + counted + " but " + established[i] + " connections in ESTABLISHED or CLOSE-WAIT");
            }
            if (s.internalErrors() != 0) throw soak.failure(s.name() + ": an internal error: " + s.firstInternalError());
            if (s.tcpMemory().allocatedBytes() < 0 || s.tcpMemory().orphans() < 0) {
                throw soak.failure(s.name() + ": negative memory or orphans: " + s.tcpMemory().allocatedBytes() + ", " + s.tcpMemory().orphans());
            }
        }
        checkOrphans();
    }

    /** Each stack's tcp_orphan_count against the connections its applications let go of that have not ended. */
    private void checkOrphans() {
        int[] orphans = orphanScratch;
        Arrays.fill(orphans, 0);
        for (int i = 0, n = live.size(); i < n; i++) {
            TcpConnection c = live.get(i);
            TcpState st = c.state();
            if (c.isOrphaned() && st != TcpState.CLOSED && st != TcpState.TIME_WAIT) orphans[soak.stackIndexOf(c)]++;
        }
        for (int i = 0; i < stacks.size(); i++) {
            int counted = stacks.get(i).tcpMemory().orphans();
            if (counted != orphans[i]) {
                throw soak.failure(stacks.get(i).name() + ": tcp_orphan_count " + counted + " but " + orphans[i] + " orphans alive");
            }
        }
    }
}
