package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.EventTime;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.Script;
import io.threeway.conformance.script.ScriptException;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.sim.Simulator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one script against one stack in the simulator, in virtual time, with the script as the remote peer:
 * inbound lines are injected into the stack at their times, outbound lines are matched against the packets
 * the stack sends (in order, within {@code --tolerance_usecs} of their times), and system calls run against
 * the stack through {@link Syscalls}. The first departure from the script ends the run as a failure.
 *
 * <p>Times: an absolute time counts from the start; a relative one from the previous event as it actually
 * happened (the packet's send time, a blocking call's start). The run has no wall clock: a script that
 * waits two minutes takes milliseconds.
 */
public final class ScriptRunner {
    /** packetdrill's default --tolerance_usecs. */
    static final long DEFAULT_TOLERANCE_US = 4_000;
    /** How long a {@code *} line waits for its packet. */
    private static final long ANY_TIME_HORIZON_NS = 3_600_000_000_000L;
    private static final long SEED = 1;

    private final Script script;
    private final Profile profile;
    private final long toleranceNs;
    private final List<String> notes = new ArrayList<>();
    private final ArrayDeque<SentPacket> sent = new ArrayDeque<>();
    private Simulator sim;
    private Stack stack;
    private Peer peer;
    private Syscalls syscalls;
    /** The time the previous event happened (ns). */
    private long lastNs;
    private Pending pending;

    /** A blocking call under way: its line, how to retry it, when it should return. */
    private static final class Pending {
        final Event.Syscall call;
        final Attempt attempt;
        final long expectedEndNs;
        SyscallResult result;
        long returnedNs;

        Pending(Event.Syscall call, Attempt attempt, long expectedEndNs) {
            this.call = call;
            this.attempt = attempt;
            this.expectedEndNs = expectedEndNs;
        }
    }

    private ScriptRunner(Script script, Profile profile) {
        this.script = script;
        this.profile = profile;
        long tol;
        try {
            tol = Long.parseLong(script.option("tolerance_usecs", Long.toString(DEFAULT_TOLERANCE_US)));
        } catch (NumberFormatException e) {
            tol = DEFAULT_TOLERANCE_US;
        }
        this.toleranceNs = tol * 1000;
    }

    /** The profile a script was written for: FreeBSD when it sets FreeBSD's sysctls, else Linux. */
    public static Profile profileFor(Script script) {
        for (Event e : script.events()) {
            if (e instanceof Event.Shell sh && SysctlMapper.isFreeBsd(sh.command())) return Profiles.FREEBSD;
        }
        return Profiles.LINUX;
    }

    /** Runs {@code script} with {@code profile}, or the profile its sysctls suggest when null. */
    public static ScriptResult run(Script script, Profile profile) {
        Profile p = profile != null ? profile : profileFor(script);
        return new ScriptRunner(script, p).run();
    }

    private ScriptResult run() {
        String unsupported = unsupported();
        if (unsupported != null) return result(ScriptResult.Status.SKIP, unsupported, null, null, -1);
        try {
            setUp();
            if (script.init() != null) initCommand(script.init());
            for (Event e : script.events()) step(e);
            finish();
            return result(ScriptResult.Status.PASS, null, null, null, -1);
        } catch (Mismatch m) {
            return result(ScriptResult.Status.FAIL, m.getMessage(), m.expected, m.actual, m.timeNs / 1000);
        } catch (ScriptException e) {
            return result(ScriptResult.Status.SKIP, e.getMessage(), null, null, sim == null ? -1 : sim.now() / 1000);
        }
    }

    private ScriptResult result(ScriptResult.Status status, String reason, String expected, String actual, long timeUs) {
        return new ScriptResult(script.file(), status, profile.name(), reason, expected, actual, timeUs, List.copyOf(notes));
    }

    /** Why the script cannot be run at all, or null. */
    private String unsupported() {
        for (Event e : script.events()) {
            if (e instanceof Event.Icmp i) return e.pos() + ": ICMP lines are not supported (the stack has no ICMP input yet)";
            if (e instanceof Event.Udp u) return e.pos() + ": UDP packets are not supported (the stack has TCP only)";
            if (e instanceof Event.Packet p && p.encapsulation() != null) return e.pos() + ": encapsulated packets (" + p.encapsulation() + ") are not supported";
            if (e instanceof Event.Packet p && p.ip().given()) return e.pos() + ": IP header fields in packet lines are not supported";
            if (e instanceof Event.Packet p) {
                String why = unsupportedTcp(p);
                if (why != null) return e.pos() + ": " + why;
            }
        }
        String ip = script.option("ip_version", "ipv4");
        if (!ip.equals("ipv4") && !ip.equals("ipv6")) return "--ip_version=" + ip + " is not supported";
        return null;
    }

    /** A feature of a TCP line the stack lacks (TCP-MD5, AccECN), or null. */
    private static String unsupportedTcp(Event.Packet p) {
        if (p.tcp().options() == null) return null;
        for (io.threeway.conformance.script.TcpOption o : p.tcp().options()) {
            if (o instanceof io.threeway.conformance.script.TcpOption.Md5 m && (m.digest() == null || !p.inbound())) {
                return "TCP-MD5 signatures (RFC 2385, TCP_MD5SIG) are not supported by the stack";
            }
            if (o instanceof io.threeway.conformance.script.TcpOption.AccEcn && !p.inbound()) return "AccECN (RFC 9768) is not supported by the stack";
        }
        if (!p.inbound() && (p.tcp().has('A') || p.tcp().flags().chars().anyMatch(Character::isDigit))) {
            return "AccECN's AE flag and ACE field are not supported by the stack";
        }
        return null;
    }

    private void setUp() {
        sim = new Simulator(SEED);
        stack = new Stack("local", new Sysctls(), SEED);
        profile.apply(stack);
        sim.attach(stack);
        peer = new Peer(script.option("ip_version", "ipv4").equals("ipv6"));
        int mtu;
        try {
            mtu = Integer.parseInt(script.option("mtu", "1500"));
        } catch (NumberFormatException e) {
            throw new ScriptException(new io.threeway.conformance.script.SourcePos(script.file(), 1, 1), "bad --mtu");
        }
        stack.addInterface(peer.local, peer.prefix(), (packet, length, now) -> sent.add(SentPacket.decode(now, packet, length)), mtu);
        syscalls = new Syscalls(stack, peer, profile);
    }

    // ------------------------------------------------------------------------------------------------
    // Events

    private void step(Event e) {
        switch (e) {
            case Event.Packet p when !p.inbound() -> expectPacket(p);
            case Event.Packet p -> {
                long t = startTime(e);
                advanceTo(t, e);
                byte[] packet = peer.build(p.tcp(), p.pos());
                stack.receive(packet, 0, packet.length, sim.now());
                lastNs = t;
            }
            case Event.Syscall c -> syscall(c);
            case Event.Shell sh -> {
                long t = startTime(e);
                advanceTo(t, e);
                SysctlMapper.Mapping m = SysctlMapper.apply(sh.command(), stack);
                if (!m.applied()) notes.add("line " + sh.pos().line() + ": `" + sh.command() + "`: " + m.note());
                lastNs = t;
            }
            case Event.Code c -> notes.add("line " + c.pos().line() + ": %{ }% block not run (Python is never executed)");
            case Event.Icmp i -> throw new ScriptException(i.pos(), "ICMP lines are not supported");
            case Event.Udp u -> throw new ScriptException(u.pos(), "UDP packets are not supported");
        }
    }

    /** The init command, before the first event (packetdrill runs it before the script's clock starts). */
    private void initCommand(io.threeway.conformance.script.Script.Command c) {
        SysctlMapper.Mapping m = SysctlMapper.apply(c.text(), stack);
        if (!m.applied()) notes.add("line " + c.pos().line() + ": `" + c.text() + "`: " + m.note());
    }

    /** When a non-packet event starts (ns). */
    private long startTime(Event e) {
        EventTime t = e.time();
        long start = t.startUs() * 1000;
        return switch (t.kind()) {
            case ABSOLUTE, RANGE_ABSOLUTE, BLOCKING_ABSOLUTE -> start;
            case RELATIVE, RANGE_RELATIVE, BLOCKING_RELATIVE -> lastNs + start;
            case ANY -> sim.now();
        };
    }

    private void expectPacket(Event.Packet p) {
        EventTime t = p.time();
        long lo;
        long hi;
        long want;
        if (t.kind() == EventTime.Kind.ANY) {
            lo = Long.MIN_VALUE;
            want = -1;
            hi = sim.now() + ANY_TIME_HORIZON_NS;
        } else {
            long base = t.relative() ? lastNs : 0;
            want = base + t.startUs() * 1000;
            lo = want - toleranceNs;
            hi = base + t.endUs() * 1000 + toleranceNs;
        }
        runUntilPacket(hi);
        if (sent.isEmpty()) {
            throw new Mismatch(p.pos() + ": the stack sent nothing" + (want < 0 ? "" : " by " + sec(hi)),
                    p.text() + (want < 0 ? "" : " at " + sec(want)), "no packet", hi);
        }
        SentPacket got = sent.poll();
        List<String> diffs = PacketMatcher.compare(p.tcp(), got, peer);
        if (!diffs.isEmpty()) {
            throw new Mismatch(p.pos() + ": " + String.join(", ", diffs), p.text() + (want < 0 ? "" : " at " + sec(want)),
                    PacketMatcher.describe(got, peer) + " at " + sec(got.timeNs()), got.timeNs());
        }
        if (got.timeNs() < lo) {
            throw new Mismatch(p.pos() + ": packet sent " + ms(want - got.timeNs()) + " early (tolerance " + ms(toleranceNs) + ")",
                    p.text() + " at " + sec(want), PacketMatcher.describe(got, peer) + " at " + sec(got.timeNs()), got.timeNs());
        }
        lastNs = got.timeNs();
    }

    private void syscall(Event.Syscall c) {
        long t = startTime(c);
        advanceTo(t, c);
        if (pending != null) {
            throw new ScriptException(c.pos(), "a system call while " + pending.call.name() + "() (line "
                    + pending.call.pos().line() + ") is still blocked is not supported");
        }
        stack.advance(sim.now()); // the stack's clock, for what the call sends
        long expectedEnd = c.time().blocking() ? (c.time().relative() ? lastNs : 0) + c.time().endUs() * 1000 : t;
        lastNs = t;
        Attempt a = syscalls.start(c, sim.now());
        SyscallResult r = a.tryNow(sim.now());
        if (r != null) {
            check(c, r, sim.now(), expectedEnd);
            return;
        }
        pending = new Pending(c, a, expectedEnd);
        if (a.deadlineNs() != Long.MAX_VALUE) sim.schedule(a.deadlineNs(), () -> { });
    }

    /** Checks a call's result and the time it returned. */
    private void check(Event.Syscall c, SyscallResult r, long returnedNs, long expectedEndNs) {
        String want = Expr.text(c.result()) + (c.errno() == null ? "" : " " + c.errno());
        String got = r.toString();
        boolean valueOk = c.result() instanceof Expr.Ellipsis || Syscalls.eval(c.result()) == r.value();
        boolean errnoOk = c.errno() == null ? r.errno() == null || !valueOk : canonical(c.errno()).equals(r.errno());
        if (!valueOk || !errnoOk) {
            throw new Mismatch(c.pos() + ": " + c.name() + "() returned " + got + " instead of " + want,
                    c.text(), c.name() + "() = " + got + " at " + sec(returnedNs), returnedNs);
        }
        if (r.outputMismatch() != null) {
            throw new Mismatch(c.pos() + ": " + c.name() + "(): " + r.outputMismatch(), c.text(),
                    c.name() + "() = " + got + " at " + sec(returnedNs), returnedNs);
        }
        if (Math.abs(returnedNs - expectedEndNs) > toleranceNs) {
            throw new Mismatch(c.pos() + ": " + c.name() + "() returned at " + sec(returnedNs) + ", expected at "
                    + sec(expectedEndNs) + " (tolerance " + ms(toleranceNs) + ")", c.text(),
                    c.name() + "() = " + got + " at " + sec(returnedNs), returnedNs);
        }
    }

    private void finish() {
        if (pending != null) {
            long limit = pending.expectedEndNs + toleranceNs;
            runUntilPacket(Math.max(limit, sim.now()));
            if (pending != null) {
                throw new Mismatch(pending.call.pos() + ": " + pending.call.name() + "() never returned",
                        pending.call.text(), "still blocked at " + sec(sim.now()), sim.now());
            }
        }
        if (!sent.isEmpty()) {
            SentPacket p = sent.poll();
            throw new Mismatch("the stack sent a packet the script does not expect", "nothing more",
                    PacketMatcher.describe(p, peer) + " at " + sec(p.timeNs()), p.timeNs());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Time

    /** Runs the simulation to {@code t}; a packet sent on the way is one the script did not expect. */
    private void advanceTo(long t, Event next) {
        runUntilPacket(Math.max(t, sim.now()));
        if (!sent.isEmpty()) {
            SentPacket p = sent.poll();
            throw new Mismatch(next.pos() + ": the stack sent a packet the script does not expect before this line",
                    next.text(), PacketMatcher.describe(p, peer) + " at " + sec(p.timeNs()), p.timeNs());
        }
    }

    /** Runs until a packet is sent or time {@code limit}; blocked calls that return on the way are checked. */
    private void runUntilPacket(long limit) {
        while (true) {
            sim.runUntil(() -> !sent.isEmpty() || pendingReturned(), limit);
            if (pending != null && pending.result != null) {
                Pending p = pending;
                pending = null;
                check(p.call, p.result, p.returnedNs, p.expectedEndNs);
                continue;
            }
            return;
        }
    }

    private boolean pendingReturned() {
        if (pending == null) return false;
        if (pending.result == null) {
            SyscallResult r = pending.attempt.tryNow(sim.now());
            if (r != null) {
                pending.result = r;
                pending.returnedNs = sim.now();
            }
        }
        return pending.result != null;
    }

    /** EWOULDBLOCK is EAGAIN on Linux (and on FreeBSD). */
    private static String canonical(String errno) {
        return errno.equals("EWOULDBLOCK") ? "EAGAIN" : errno;
    }

    private static String sec(long ns) {
        return ScriptResult.seconds(ns / 1000);
    }

    private static String ms(long ns) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", ns / 1e6);
    }
}
