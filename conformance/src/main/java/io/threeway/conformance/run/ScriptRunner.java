package io.threeway.conformance.run;

import io.threeway.conformance.script.Event;
import io.threeway.conformance.script.EventTime;
import io.threeway.conformance.script.Expr;
import io.threeway.conformance.script.Script;
import io.threeway.conformance.script.ScriptException;
import io.threeway.conformance.script.SourcePos;
import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.sim.Simulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Runs one script against one stack in the simulator, in virtual time, with the script as the remote peer, as
 * packetdrill runs one against a kernel: the init command first, then the events in order. Inbound lines are
 * injected at their times; outbound lines take the next packet the stack sent for the socket under test (the
 * consecutive fragments of one expected segment together, unless {@code --strict_segments}) and compare it with
 * packetdrill's rules and tolerances ({@link PacketMatcher}, {@link Timing}); system calls run through
 * {@link Syscalls}; backtick commands are read, never run ({@link ShellReader}); {@code %{ }%} blocks take a
 * TCP_INFO snapshot at their time and are evaluated at the end ({@link CodeBlocks}). The first departure ends
 * the run as a failure.
 *
 * <p>Times: an absolute time counts from the start; a relative one from the previous event as it actually
 * happened (the packet's send time, a call's start). The run has no wall clock: a script that waits two
 * minutes takes milliseconds.
 */
public final class ScriptRunner {
    /** How long a {@code *} line waits for its packet. */
    private static final long ANY_TIME_HORIZON_NS = 3_600_000_000_000L;
    private static final long SEED = 1;

    private final Script script;
    private final Profile profile;
    private final Timing timing;
    private final List<String> notes = new ArrayList<>();
    /** The runner's device (packetdrill's tun device). */
    private final ScriptDevice device = new ScriptDevice();
    /** The files a script's commands made ({@code dd ... of=FILE}), by path and size, for {@code open()}. */
    private final Map<String, Long> files = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private Simulator sim;
    private Stack stack;
    private Peer peer;
    private Sniffer sniffer;
    private Syscalls syscalls;
    private ShellReader shell;
    private CodeBlocks code;
    /** The time the previous event happened (ns). */
    private long lastNs;

    /** A system call under way: its line, how to retry it, when it should return and when it did. */
    private static final class Pending {
        final Event.Syscall call;
        final Attempt attempt;
        final long expectedEndNs;
        final long toleranceNs;
        SyscallResult result;
        long returnedNs;

        Pending(Event.Syscall call, Attempt attempt, long expectedEndNs, long toleranceNs) {
            this.call = call;
            this.attempt = attempt;
            this.expectedEndNs = expectedEndNs;
            this.toleranceNs = toleranceNs;
        }
    }

    private ScriptRunner(Script script, Profile profile) {
        this.script = script;
        this.profile = profile;
        this.timing = new Timing(script);
    }

    /** The profile a script was written for: FreeBSD when it sets FreeBSD's sysctls, else Linux. */
    public static Profile profileFor(Script script) {
        if (script.init() != null && SysctlMapper.isFreeBsd(script.init().text())) return Profiles.FREEBSD;
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
        String unsupported = Unsupported.reason(script);
        if (unsupported != null) return result(ScriptResult.Status.SKIP, unsupported, null, null, -1);
        try {
            setUp();
            if (script.init() != null) command(script.init().pos().line(), script.init().text());
            for (Event e : script.events()) step(e);
            finish();
            code.evaluate(notes);
            // packetdrill runs the cleanup command after the last event; read it too, for what it would do.
            if (script.cleanup() != null) command(script.cleanup().pos().line(), script.cleanup().text());
            return result(ScriptResult.Status.PASS, null, null, null, -1);
        } catch (Mismatch m) {
            return result(ScriptResult.Status.FAIL, m.getMessage(), m.expected, m.actual, m.timeNs / 1000);
        } catch (ScriptException e) {
            return result(ScriptResult.Status.SKIP, e.getMessage(), null, null, sim == null ? -1 : sim.now() / 1000);
        } catch (RuntimeException e) {
            // A script the runner cannot handle must not take the whole suite down: a clear failure, never silent.
            String where = e.getStackTrace().length > 0 ? " (" + e.getStackTrace()[0] + ")" : "";
            return result(ScriptResult.Status.FAIL, "runner error: " + e + where, null, null, sim == null ? -1 : sim.now() / 1000);
        }
    }

    private ScriptResult result(ScriptResult.Status status, String reason, String expected, String actual, long timeUs) {
        return new ScriptResult(script.file(), status, profile.name(), reason, expected, actual, timeUs, List.copyOf(notes));
    }

    private void setUp() {
        sim = new Simulator(SEED);
        stack = new Stack("local", new Sysctls(), SEED);
        profile.apply(stack);
        sim.attach(stack);
        peer = new Peer(script.option("ip_version", "ipv4").equals("ipv6"));
        sniffer = new Sniffer(peer);
        int mtu;
        try {
            mtu = Integer.parseInt(script.option("mtu", "1500"));
        } catch (NumberFormatException e) {
            throw new ScriptException(new SourcePos(script.file(), 1, 1), "bad --mtu");
        }
        stack.addInterface(peer.local, peer.prefix(), (packet, length, now) -> {
            if (device.dropsEverything) device.dropped++; // the stack is not told (PacketSink has no NET_XMIT_DROP)
            else sniffer.sent(SentPacket.decode(now, packet, length));
        }, mtu);
        syscalls = new Syscalls(stack, peer, profile, files, notes);
        Path dir = Path.of(script.file()).toAbsolutePath().getParent();
        shell = new ShellReader(stack, dir, device, files);
        code = new CodeBlocks(profile.socketApi() == Profile.SocketApi.BSD);
    }

    // ------------------------------------------------------------------------------------------------
    // Events

    private void step(Event e) {
        switch (e) {
            case Event.Packet p when !p.inbound() -> expectPacket(p);
            case Event.Packet p -> inject(e, peer.build(p.tcp(), p.ip(), p.pos()));
            case Event.Icmp i -> inject(e, IcmpBuilder.build(i, peer));
            case Event.Syscall c -> syscall(c);
            case Event.Shell sh -> {
                long t = startTime(e);
                advanceTo(t);
                command(sh.pos().line(), sh.command());
                lastNs = t;
            }
            case Event.Code c -> {
                long t = startTime(e);
                advanceTo(t);
                code.snapshot(c, syscalls.underTest(), sim.now(), stack.sysctls());
                lastNs = t;
            }
            case Event.Udp u -> throw new ScriptException(u.pos(), "UDP packets are not supported");
        }
    }

    /** An inbound packet at its time. */
    private void inject(Event e, byte[] packet) {
        long t = startTime(e);
        advanceTo(t);
        stack.receive(packet, 0, packet.length, sim.now());
        lastNs = t;
    }

    /** A backtick command read for its effect (never run); what could not be applied becomes a note. */
    private void command(int line, String text) {
        for (ShellReader.Outcome o : shell.run(text)) {
            if (!o.applied()) notes.add("line " + line + ": `" + o.note() + "`");
        }
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
        long want = -1;
        long lo = Long.MIN_VALUE;
        long hi = sim.now() + ANY_TIME_HORIZON_NS;
        if (t.kind() != EventTime.Kind.ANY) {
            long base = t.relative() ? lastNs : 0;
            want = base + t.startUs() * 1000;
            long tol = timing.toleranceNs(want - lastNs);
            lo = want - tol;
            hi = base + t.endUs() * 1000 + tol;
        }
        SentPacket got = nextSegment(p, want, hi);
        String at = want < 0 ? "" : " at " + sec(want);
        long tolUs = timing.toleranceNs(Math.max(0, want)) / 1000;
        List<String> diffs = PacketMatcher.compare(p.tcp(), p.ip(), got, peer, timing.tsTickUs, tolUs);
        if (!diffs.isEmpty()) {
            throw new Mismatch(p.pos() + ": " + String.join(", ", diffs), p.text() + at,
                    PacketMatcher.describe(got, peer) + " at " + sec(got.timeNs()), got.timeNs());
        }
        if (got.timeNs() < lo) {
            throw new Mismatch(p.pos() + ": packet sent " + ms(want - got.timeNs()) + " early (tolerance " + ms(want - lo) + ")",
                    p.text() + at, PacketMatcher.describe(got, peer) + " at " + sec(got.timeNs()), got.timeNs());
        }
        if (got.timeNs() > hi) {
            throw new Mismatch(p.pos() + ": packet sent " + ms(got.timeNs() - want) + " late (tolerance " + ms(hi - want) + ")",
                    p.text() + at, PacketMatcher.describe(got, peer) + " at " + sec(got.timeNs()), got.timeNs());
        }
        lastNs = got.timeNs();
    }

    /**
     * The next packet of the socker under test, or its consecutive fragments up to the expected payload as one
     * (packetdrill's default, which also lets a super-segment the script expects match a stack that sent it in
     * MSS-sized pieces), waiting until {@code hi} at most.
     */
    private SentPacket nextSegment(Event.Packet p, long want, long hi) {
        runUntil(() -> sniffer.has(), hi);
        SentPacket first = sniffer.take();
        if (first == null) {
            throw new Mismatch(p.pos() + ": the stack sent nothing" + (want < 0 ? "" : " by " + sec(hi)),
                    p.text() + (want < 0 ? "" : " at " + sec(want)), "no packet", hi);
        }
        if (timing.strictSegments || !first.tcp() || first.payload() >= p.tcp().payload()) return first;
        List<SentPacket> parts = new ArrayList<>(List.of(first));
        int total = first.payload();
        while (total < p.tcp().payload()) {
            runUntil(() -> sniffer.has(), Math.max(hi, sim.now()));
            SentPacket next = sniffer.peek();
            SentPacket prev = parts.get(parts.size() - 1);
            String why = next == null ? "no more packets by " + sec(hi) : SentPacket.fragmentMismatch(prev, next);
            if (why != null) {
                if (parts.size() == 1) return first; // compared on its own: the differences say more than "too short"
                throw new Mismatch(p.pos() + ": the stack sent " + total + " of the " + p.tcp().payload() + " bytes as "
                        + parts.size() + " packets, then " + why, p.text(),
                        PacketMatcher.describe(SentPacket.aggregate(parts), peer) + " at " + sec(prev.timeNs()), prev.timeNs());
            }
            parts.add(sniffer.take());
            total += next.payload();
        }
        return SentPacket.aggregate(parts);
    }

    // ------------------------------------------------------------------------------------------------
    // System calls

    private void syscall(Event.Syscall c) {
        long t = startTime(c);
        advanceTo(t);
        long expectedEnd = c.time().blocking() ? (c.time().relative() ? lastNs : 0) + c.time().endUs() * 1000 : t;
        long tol = timing.toleranceNs(expectedEnd - lastNs);
        if (!pending.isEmpty() && c.time().blocking()) {
            Pending other = pending.get(0);
            throw new Mismatch(c.pos() + ": blocking system call while another blocking system call (" + other.call.name()
                    + "(), line " + other.call.pos().line() + ") is already in progress", c.text(), "still blocked", sim.now());
        }
        stack.advance(sim.now()); // the stack's clock, for what the call sends
        lastNs = t;
        Attempt a = syscalls.start(c, sim.now());
        SyscallResult r = a.tryNow(sim.now());
        if (r != null) {
            check(c, r, sim.now(), expectedEnd, tol);
            return;
        }
        pending.add(new Pending(c, a, expectedEnd, tol));
        if (a.deadlineNs() != Long.MAX_VALUE) sim.schedule(a.deadlineNs(), () -> { });
    }

    /** Checks a call's result and the time it returned. */
    private void check(Event.Syscall c, SyscallResult r, long returnedNs, long expectedEndNs, long toleranceNs) {
        String want = Expr.text(c.result()) + (c.errno() == null ? "" : " " + c.errno());
        String got = r.toString();
        boolean valueOk = Syscalls.resultMatches(c, r);
        boolean errnoOk = c.errno() == null || canonical(c.errno()).equals(r.errno());
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
        for (Pending p : List.copyOf(pending)) {
            runUntil(() -> p.result != null || pendingReturned(), Math.max(p.expectedEndNs + p.toleranceNs, sim.now()));
            if (pending.contains(p)) {
                throw new Mismatch(p.call.pos() + ": " + p.call.name() + "() never returned",
                        p.call.text(), "still blocked at " + sec(sim.now()), sim.now());
            }
        }
        SentPacket extra = sniffer.take();
        if (extra != null) {
            notes.add("after the last line the stack sent " + PacketMatcher.describe(extra, peer) + " at " + sec(extra.timeNs())
                    + " (packetdrill does not look at packets after the script's end)");
        }
        if (device.dropped > 0) notes.add(device.dropped + " packet(s) dropped by the device's queue (tc qdisc ... limit 0)");
        if (sniffer.ignored > 0) notes.add(sniffer.ignored + " packet(s) of other sockets than the one under test were ignored, as packetdrill does");
    }

    // ------------------------------------------------------------------------------------------------
    // Time

    /** Runs the simulation to {@code t} (no earlier than now), checking blocked calls that return on the way. */
    private void advanceTo(long t) {
        runUntil(() -> false, Math.max(t, sim.now()));
    }

    /** Runs until {@code stop} holds or time {@code limit}; blocked calls that return on the way are checked. */
    private void runUntil(BooleanSupplier stop, long limit) {
        while (true) {
            sim.runUntil(() -> stop.getAsBoolean() || pendingReturned(), limit);
            Pending done = null;
            for (Pending p : pending) if (p.result != null) done = p;
            if (done == null) return;
            pending.remove(done);
            check(done.call, done.result, done.returnedNs, done.expectedEndNs, done.toleranceNs);
            if (stop.getAsBoolean()) return;
        }
    }

    private boolean pendingReturned() {
        boolean any = false;
        for (Pending p : pending) {
            if (p.result == null) {
                SyscallResult r = p.attempt.tryNow(sim.now());
                if (r != null) {
                    p.result = r;
                    p.returnedNs = sim.now();
                }
            }
            any |= p.result != null;
        }
        return any;
    }

    /** EWOULDBLOCK is EAGAIN on Linux (and on FreeBSD). */
    private static String canonical(String errno) {
        return errno.equals("EWOULDBLOCK") ? "EAGAIN" : errno;
    }

    private static String sec(long ns) {
        return ScriptResult.seconds(ns / 1000);
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }
}
