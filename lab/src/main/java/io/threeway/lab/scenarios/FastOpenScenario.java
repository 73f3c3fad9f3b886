package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.settings.Sysctl;
import io.threeway.sim.Link;
import io.threeway.sim.Rules;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.TcpOptions;
import io.threeway.wire.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * TCP Fast Open (RFC 7413): the request rides in the SYN. A client connects four times with its request as
 * the SYN's data (sendto with MSG_FASTOPEN), each time to a server that answers as soon as it has the request:
 * <ol>
 *   <li>no cookie yet: the SYN asks for one ({@code tfo cookiereq}) and the request follows the handshake, at
 *       the server application 1.5 round trips after connect();
 *   <li>with the cookie: the SYN carries cookie and request, which the server application has after half a
 *       round trip, one round trip sooner;
 *   <li>after the server's key has rotated ({@code tcp_fastopen_key}): the server rejects the cookie, ignores
 *       the SYN's data and sends a fresh cookie; the client sends the request again after the handshake;
 *   <li>through a middlebox that strips option 34 from the client's packets: the SYN's data arrives without
 *       a cookie and is ignored, and the request follows the handshake.
 * </ol>
 * Each fallback delivers the request exactly once, at the ordinary handshake's time. Threeway's server does not
 * yet send before the handshake's ACK (Linux's may, on a Fast Open connection), so its answer leaves at the
 * same time in every case.
 */
public final class FastOpenScenario implements Scenario {
    static final ScenarioParameter REQUEST_SIZE = ScenarioParameter.integer("request-size", 200, 1, Integer.MAX_VALUE, 
            "Bytes of the request (an HTTP GET padded with a header); up to the MSS less 40 ride in the SYN.");
    static final ScenarioParameter QLEN = ScenarioParameter.integer("qlen", 16, 0, 65_535, 
            "The listener's TCP_FASTOPEN queue length; 0 turns Fast Open off on the server.");

    /** Runs over IPv6 too ({@code -6}): RFC 7413's cookie covers the client's IPv6 address as it does an IPv4 one. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("duplicate", "the server takes a duplicated SYN as a "
                + "retransmission of the one it has (the request is still delivered once) and TCP ignores a duplicated "
                + "segment: no time it measures changes");
    }

    @Override public String name() { return "fast-open"; }

    @Override public String summary() { return "TCP Fast Open: a cookie request, the request in the SYN one RTT sooner, and its fallbacks"; }

    @Override
    public List<String> help() {
        return List.of("Look for: the request at the server 0.5 RTT after connect() with a cookie, 1.5 without, and the fallbacks delivering it once. Then try: --rtt 30ms, --request-size 3000 (it no longer fits the SYN), --qlen 0.",
                "Settings that matter: net.ipv4.tcp_fastopen (both hosts take the value given; the server also gets "
                + "the server bit, 0x2, so --sysctl net.ipv4.tcp_fastopen=0 turns the client off, and --qlen 0 the server), "
                + "net.ipv4.tcp_fastopen_key (the server's key; the third connection rotates it), --rtt, --request-size. "
                + "Watch the counters with 'threeway lab run fast-open --nstat TcpExtTCPFastOpen*'. The pcap holds all "
                + "four connections, captured at the client.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(REQUEST_SIZE, QLEN); }

    /** The four connections, in order. */
    enum Attempt {
        FIRST("first connection (no cookie)"),
        COOKIE("second connection (cookie cached)"),
        KEY_ROTATED("server key rotated"),
        OPTION_STRIPPED("path strips option 34");

        final String title;

        Attempt(String title) { this.title = title; }
    }

    /**
     * One connection, timed from connect().
     *
     * @param requestAtServer  when the server application had the whole request, ns
     * @param answerAtClient   when the client had the whole answer, ns
     * @param synData          bytes of data in the client's SYN, read from the capture
     * @param synAckedData     bytes of that data the SYN-ACK acknowledged
     * @param delivered        bytes the server application read over the connection's life
     * @param intact           whether those bytes were the request, once
     * @param counters         the Fast Open counters this connection moved on either host, nstat names
     * @param lines            the SYN, the SYN-ACK and the segment that carried the request, as tcpdump shows them
     */
    record Outcome(Attempt attempt, long requestAtServer, long answerAtClient, int synData, int synAckedData,
                   int delivered, boolean intact, String counters, List<String> lines) {}

    /** The run: the handshake's round trip read from the first connection's capture, and each connection. */
    record Run(long rtt, List<Outcome> outcomes) {
        Outcome get(Attempt a) { return outcomes.get(a.ordinal()); }
    }

    private static final Counter[] COUNTERS = {Counter.TCP_FAST_OPEN_ACTIVE, Counter.TCP_FAST_OPEN_ACTIVE_FAIL,
        Counter.TCP_FAST_OPEN_PASSIVE, Counter.TCP_FAST_OPEN_PASSIVE_FAIL, Counter.TCP_FAST_OPEN_COOKIE_REQD,
        Counter.TCP_FAST_OPEN_LISTEN_OVERFLOW};

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Run run = connections(options, true);
        Findings f = new Findings(name());
        f.say("Four connections to " + Testbed.endpoint(options.ipv6(), SERVER, 80) + " over a " + run.rtt / MS + " ms RTT path (SYN to SYN-ACK), each with a "
                + options.longParam(REQUEST_SIZE) + "-byte request given to connect(). At the client, tcpdump shows:");
        for (Outcome o : run.outcomes) {
            f.say(o.attempt.title + ":");
            for (String line : o.lines) f.say("  " + line);
        }
        for (Outcome o : run.outcomes) {
            f.group(o.attempt.title).millisOrNever("request at the server application", o.requestAtServer)
                    .put("round trips to the server application", rounds(o.requestAtServer, run.rtt))
                    .millisOrNever("whole answer at the client", o.answerAtClient)
                    .put("data in the SYN", o.synData, "bytes").put("of it acknowledged by the SYN-ACK", o.synAckedData, "bytes")
                    .put("bytes the server application read", o.delivered, "bytes").put("request delivered once", o.intact)
                    .put("counters", o.counters);
        }
        Outcome first = run.get(Attempt.FIRST);
        Outcome cookie = run.get(Attempt.COOKIE);
        if (first.requestAtServer < 0 || cookie.requestAtServer < 0 || first.answerAtClient < 0 || cookie.answerAtClient < 0) {
            f.conclude("A request or its answer never arrived within 60 s (see the figures above and the capture): no "
                    + "saving can be measured.");
        } else {
            concludeSaving(f, run, first, cookie);
        }
        for (Attempt a : List.of(Attempt.KEY_ROTATED, Attempt.OPTION_STRIPPED)) {
            Outcome o = run.get(a);
            f.conclude(String.format(Locale.ROOT, "%s: %d bytes in the SYN, %d of them acknowledged; the request reached "
                            + "the server application %s, %s.", capitalised(a.title), o.synData, o.synAckedData,
                    o.requestAtServer < 0 ? "never" : String.format(Locale.ROOT, "after %.1f ms", o.requestAtServer / 1e6),
                    o.intact ? "once" : "NOT exactly once (" + o.delivered + " of " + options.longParam(REQUEST_SIZE)
                            + " bytes read)"));
        }
        f.print(options, out);
        for (Outcome o : run.outcomes) if (!o.intact) return 1;
        return 0;
    }

    /** What the cookie saved, from the first two connections' times. */
    private static void concludeSaving(Findings f, Run run, Outcome first, Outcome cookie) {
        f.conclude(String.format(Locale.ROOT, "The request reached the server application %.1f ms after connect() on the "
                        + "first connection and %.1f ms after on the second: %.1f ms (%.1f round trips) saved by the cookie.",
                first.requestAtServer / 1e6, cookie.requestAtServer / 1e6,
                (first.requestAtServer - cookie.requestAtServer) / 1e6, rounds(first.requestAtServer - cookie.requestAtServer, run.rtt)));
        boolean fitted = cookie.synAckedData == cookie.delivered;
        f.conclude(String.format(Locale.ROOT, "The whole answer reached the client %.1f ms after connect() with the cookie and "
                        + "%.1f ms without (%.1f and %.1f round trips): %s",
                cookie.answerAtClient / 1e6, first.answerAtClient / 1e6,
                rounds(cookie.answerAtClient, run.rtt), rounds(first.answerAtClient, run.rtt), fitted
                        ? "with the request in the SYN, the server answers from SYN-RECEIVED, its answer right behind the "
                                + "SYN-ACK, as Linux's Fast Open child socket does."
                        : "only " + cookie.synAckedData + " of the request's " + cookie.delivered + " bytes fit in the SYN "
                                + "(one MSS less the options), the rest followed under slow start, so the cookie saved less "
                                + "than a round trip."));
    }

    private static double rounds(long nanos, long rtt) {
        return rtt <= 0 ? 0 : Math.round(10.0 * nanos / rtt) / 10.0;
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * An HTTP GET of exactly {@code size} bytes to {@code host} (its Host header: an address, IPv6's in brackets): a
     * padding header fills what the request line and host leave.
     */
    static byte[] request(int size, String host) {
        String head = "GET / HTTP/1.1\r\nHost: " + host + "\r\n";
        String padding = "X-Padding: ";
        int bare = head.length() + 2;
        int padded = head.length() + padding.length() + 2 + 2;
        if (size == bare) return (head + "\r\n").getBytes(StandardCharsets.US_ASCII);
        if (size < padded) {
            throw new IllegalArgumentException("--request-size: " + size + " bytes is too small for the request (" + bare
                    + " or at least " + padded + ")");
        }
        return (head + padding + "x".repeat(size - padded) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Run connections(ScenarioOptions options, boolean capture) {
        byte[] request = request(options.intParam(REQUEST_SIZE, 1), options.ipv6() ? "[" + Testbed.map(true, SERVER) + "]" : SERVER);
        int qlen = options.intParam(QLEN, 0);
        byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Testbed tb = new Testbed(options, "", capture)) {
            Stack client = tb.host("client");
            Stack server = tb.host("server");
            server.sysctls().set(Sysctl.TCP_FASTOPEN, server.sysctls().get(Sysctl.TCP_FASTOPEN) | 0x2);
            Link link = tb.link(client, CLIENT, server, SERVER, tb.userPath());
            TraceRecorder trace = tb.trace("client");
            Listener listener = server.listen(tb.any(), 80, 64, new ConnectionOptions(), false);
            listener.setFastOpenQueueLimit(qlen);
            tb.start(0);
            List<Outcome> outcomes = new ArrayList<>();
            for (Attempt a : Attempt.values()) {
                switch (a) {
                    case KEY_ROTATED -> server.sysctls().set(Sysctl.TCP_FASTOPEN_KEY,
                            rotatedKey(options.seed(), server.sysctls().getString(Sysctl.TCP_FASTOPEN_KEY)));
                    case OPTION_STRIPPED -> link.aToB().addRule(Rules.stripTcpOption(TcpOptions.KIND_FASTOPEN));
                    default -> { }
                }
                outcomes.add(connection(tb, a, client, server, listener, request, answer, trace));
            }
            return new Run(handshakeRtt(trace.packets()), outcomes);
        }
    }

    /** A new key for the server, drawn from the seed, different from the one it has. */
    private static String rotatedKey(long seed, String current) {
        SplittableRandom random = new SplittableRandom(seed);
        while (true) {
            StringJoiner key = new StringJoiner("-");
            for (int i = 0; i < 4; i++) key.add(String.format(Locale.ROOT, "%08x", random.nextInt()));
            if (!key.toString().equalsIgnoreCase(current)) return key.toString();
        }
    }

    /** One connection: connect() with the request, the server answers once it has it, both close. */
    private static Outcome connection(Testbed tb, Attempt attempt, Stack client, Stack server, Listener listener,
                                      byte[] request, byte[] answer, TraceRecorder trace) {
        long[] before = counters(client, server);
        int firstPacket = trace.packets().size();
        long start = tb.now();
        TcpConnection c = client.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), request, 0, request.length, start);
        client.userCallDone();
        int[] written = {c.sendQueue()}; // connect() queues what the send buffer takes; the rest follows by write()
        TcpConnection[] served = {null};
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long[] requestAt = {-1};
        long[] answerAt = {-1};
        boolean[] answered = {false};
        byte[] buf = new byte[4096];
        // The applications: the server reads whatever arrives and answers once it has the whole request; the
        // client reads the answer. Polled after every event, so the times are the events' own.
        tb.sim().runUntil(() -> {
            long now = tb.now();
            if (written[0] < request.length && c.state() != TcpState.CLOSED) {
                written[0] += Math.max(0, c.write(request, written[0], request.length - written[0], now));
                client.userCallDone();
            }
            if (served[0] == null) served[0] = listener.accept();
            if (served[0] != null) {
                for (int n; (n = served[0].read(buf, 0, buf.length, now)) > 0; ) got.write(buf, 0, n);
                if (requestAt[0] < 0 && got.size() >= request.length) requestAt[0] = now - start;
                // Like Linux's Fast Open child socket, the server may answer from SYN-RECEIVED.
                if (requestAt[0] >= 0 && !answered[0]) answered[0] = served[0].write(answer, 0, answer.length, now) > 0;
                server.userCallDone();
            }
            if (answerAt[0] < 0 && c.readable() >= answer.length) {
                answerAt[0] = now - start;
                c.read(buf, 0, buf.length, now);
                client.userCallDone();
            }
            return answerAt[0] >= 0;
        }, start + 60 * SECOND);
        // Linger a second for a duplicate, then close both ends and let the close finish.
        tb.sim().runUntil(tb.now() + SECOND);
        if (served[0] != null) {
            for (int n; (n = served[0].read(buf, 0, buf.length, tb.now())) > 0; ) got.write(buf, 0, n);
            served[0].close(tb.now());
        }
        c.close(tb.now());
        client.userCallDone();
        server.userCallDone();
        tb.sim().runUntil(tb.now() + SECOND);
        List<CapturedPacket> packets = trace.packets();
        return read(attempt, packets.subList(firstPacket, packets.size()), c.tuple().localPort(), requestAt[0], answerAt[0],
                got.toByteArray(), request, counterChanges(before, counters(client, server)));
    }

    private static long[] counters(Stack client, Stack server) {
        long[] v = new long[COUNTERS.length];
        for (int i = 0; i < COUNTERS.length; i++) v[i] = client.counters().get(COUNTERS[i]) + server.counters().get(COUNTERS[i]);
        return v;
    }

    private static String counterChanges(long[] before, long[] after) {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < COUNTERS.length; i++) {
            if (after[i] != before[i]) j.add(COUNTERS[i].nstatName() + " +" + (after[i] - before[i]));
        }
        return j.length() == 0 ? "none" : j.toString();
    }

    /** The connection's SYN, SYN-ACK and first data segment from the client, from the capture. */
    private static Outcome read(Attempt attempt, List<CapturedPacket> packets, int port, long requestAt, long answerAt,
                                byte[] got, byte[] request, String counters) {
        int synData = 0;
        int synSeq = 0;
        int synAcked = 0;
        List<String> lines = new ArrayList<>();
        boolean dataSeen = false;
        for (CapturedPacket p : packets) {
            TcpSegment seg = CapturedSegments.tcp(p);
            if (seg == null || (p.outbound() ? seg.srcPort : seg.dstPort) != port) continue;
            if (seg.syn() && p.outbound() && lines.isEmpty()) {
                synData = seg.payloadLength;
                synSeq = seg.seq;
                lines.add("SYN:      " + p.line());
            } else if (seg.syn() && !p.outbound() && lines.size() == 1) {
                synAcked = seg.ack - synSeq - 1;
                lines.add("SYN-ACK:  " + p.line());
            } else if (!seg.syn() && p.outbound() && seg.payloadLength > 0 && !dataSeen) {
                dataSeen = true;
                lines.add("request:  " + p.line());
            }
        }
        boolean intact = Arrays.equals(got, request);
        return new Outcome(attempt, requestAt, answerAt, synData, synAcked, got.length, intact, counters, lines);
    }

    /** The round trip of the first handshake in the capture: SYN out to SYN-ACK in. */
    private static long handshakeRtt(List<CapturedPacket> packets) {
        long syn = -1;
        for (CapturedPacket p : packets) {
            TcpSegment seg = CapturedSegments.tcp(p);
            if (seg == null || !seg.syn()) continue;
            if (p.outbound() && syn < 0) syn = p.timeNanos();
            else if (!p.outbound() && syn >= 0) return p.timeNanos() - syn;
        }
        return -1;
    }
}
