package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.socket.ThreewaySockets;
import io.threeway.stats.Counter;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.TraceRecorder;
import io.threeway.wire.TcpSegment;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import jdk.net.ExtendedSocketOptions;

/**
 * Nagle's algorithm (RFC 896) meets the delayed ACK (RFC 1122 §4.2.3.2). A client sends each request in two
 * small writes, a header and a body, then reads the answer. The header leaves at once; Nagle holds the body
 * while the header is unacknowledged. The server, which answers promptly, is in Linux's pingpong mode: it
 * expects its answer to carry the ACK, so it holds the ACK for the delayed-ACK timeout (40 ms), and only
 * then does the body leave. Every round pays the 40 ms and one more round trip. TCP_NODELAY on the client
 * sends the body at once; TCP_QUICKACK on the server (set before each read, as Linux applications do)
 * acknowledges the header at once, leaving the extra round trip.
 */
public final class NagleDelayedAckScenario implements Scenario {
    static final ScenarioParameter ROUNDS = ScenarioParameter.integer("rounds", 10, 2, 1_000_000, "Request/answer rounds on one connection, at least 2 (the first is never stalled).");
    static final ScenarioParameter HEADER = ScenarioParameter.integer("header", 100, 1, Integer.MAX_VALUE, "Bytes of each request's first write (the header).");
    static final ScenarioParameter BODY = ScenarioParameter.integer("body", 100, 1, Integer.MAX_VALUE, "Bytes of its second write (the body).");
    static final ScenarioParameter RESPONSE = ScenarioParameter.integer("response", 100, 1, Integer.MAX_VALUE, "Bytes of the server's answer.");
    static final ScenarioParameter QUICKACK = ScenarioParameter.integer("quickack", 0, 0, 1, 
            "1 adds a run with Nagle on and TCP_QUICKACK set on the server before each read.");

    /** Runs over IPv6 too ({@code -6}): the server's socket listens on [::], the client connects to 2001:db8::2. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "nagle-delayed-ack"; }

    @Override public String summary() { return "Write-write-read with Nagle: each round waits for the 40 ms delayed ACK; TCP_NODELAY removes it"; }

    @Override
    public List<String> help() {
        return List.of("Look for: the 40 ms delayed ACK holding each round's body, and TCP_NODELAY removing it. Then try: --rtt 1ms (the stall dominates), --quickack 1, --body 2000.",
                "The client is java.net code on Threeway's sockets: write(header), write(body), read(answer), --rounds "
                + "times, with Nagle on (the default) and then with TCP_NODELAY. Settings that matter: --rtt (the stall is "
                + "the 40 ms delayed-ACK timeout plus one RTT), --quickack 1 (the server's TCP_QUICKACK), --header and --body "
                + "(a write of a full segment is never held). The pcap holds the run with Nagle on, captured at the client.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(ROUNDS, HEADER, BODY, RESPONSE, QUICKACK); }

    /** How the two ends are set up. */
    enum Setting {
        NAGLE("Nagle on", "nagle", false, false),
        NODELAY("TCP_NODELAY", "nodelay", true, false),
        QUICKACK("Nagle on, server TCP_QUICKACK", "quickack", false, true);

        final String title;
        final String variant;
        final boolean noDelay;
        final boolean quickAck;

        Setting(String title, String variant, boolean noDelay, boolean quickAck) {
            this.title = title;
            this.variant = variant;
            this.noDelay = noDelay;
            this.quickAck = quickAck;
        }
    }

    /**
     * One round in the client's capture: when the header and the body left, when the header's ACK and the
     * answer's first byte arrived (ns; -1 when not seen), and the four packets' tcpdump lines.
     */
    record Round(long headerOut, long headerAcked, long bodyOut, long answerIn, List<String> lines) {
        long bodyHeld() { return bodyOut - headerOut; }
    }

    /**
     * What one run measured.
     *
     * @param roundTimes    each round as the client application timed it, from the first write to the whole answer, ns
     * @param handshakeRtt  SYN to SYN-ACK in the client's capture, ns
     * @param rounds        the rounds as the capture shows them
     * @param delayedAcks   DelayedACKs: ACKs the server and the client sent when their delayed-ACK timer fired
     */
    record Outcome(Setting setting, List<Long> roundTimes, long handshakeRtt, List<Round> rounds,
                   long serverDelayedAcks, long clientDelayedAcks) {
        /** The mean round after the first (the first meets the server's quick ACKs, before pingpong mode). */
        double steadyRound() {
            return roundTimes.subList(1, roundTimes.size()).stream().mapToLong(Long::longValue).average().orElse(-1);
        }

        /** The mean time the body waited after the header, rounds after the first, from the capture. */
        double bodyHeld() {
            return rounds.subList(1, rounds.size()).stream().mapToLong(Round::bodyHeld).average().orElse(-1);
        }

        /** The mean time the header's ACK took beyond one round trip, rounds after the first: the server's delay. */
        double ackDelay() {
            return rounds.subList(1, rounds.size()).stream()
                    .mapToLong(r -> r.headerAcked - r.headerOut - handshakeRtt).average().orElse(-1);
        }
    }

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        List<Setting> settings = new ArrayList<>(List.of(Setting.NAGLE, Setting.NODELAY));
        if (quickAck(options)) settings.add(Setting.QUICKACK);
        List<Outcome> outcomes = new ArrayList<>();
        for (Setting s : settings) outcomes.add(rounds(options, s, s == Setting.NAGLE));
        Outcome nagle = outcomes.get(0);
        Outcome noDelay = outcomes.get(1);

        Findings f = new Findings(name());
        f.say(options.longParam(ROUNDS) + " rounds over one connection, " + millis(options.rtt().toNanos()) + " ms RTT: the client writes "
                + options.longParam(HEADER) + " bytes, then " + options.longParam(BODY) + " bytes, then reads "
                + options.longParam(RESPONSE) + " bytes of answer. One stalled round with Nagle on (the second), as tcpdump shows it at the client:");
        for (String line : nagle.rounds.get(1).lines) f.say("  " + line);
        for (Outcome o : outcomes) {
            Findings.Group g = f.group(o.setting.title);
            g.millis("first round", o.roundTimes.getFirst()).millis("mean round after the first", o.steadyRound())
                    .millis("body held after the header (capture)", o.bodyHeld())
                    .millis("header's ACK beyond one RTT (capture)", o.ackDelay())
                    .put("DelayedACKs (server)", o.serverDelayedAcks).put("DelayedACKs (client)", o.clientDelayedAcks);
        }
        double stall = nagle.steadyRound() - noDelay.steadyRound();
        f.group("stall").millis("RTT (SYN to SYN-ACK)", nagle.handshakeRtt).millis("extra time per round with Nagle", stall)
                .millis("of which the server's delayed ACK", nagle.ackDelay());
        f.conclude(String.format(Locale.ROOT, "With Nagle each round took %.1f ms, with TCP_NODELAY %.1f ms: %.1f ms more, the "
                        + "server's %.1f ms of delayed ACK plus %.1f ms, one more round trip for the body that Nagle held "
                        + "until the ACK came. The server sent %d delayed ACKs with Nagle on, %d with TCP_NODELAY.",
                nagle.steadyRound() / 1e6, noDelay.steadyRound() / 1e6, stall / 1e6, nagle.ackDelay() / 1e6,
                (stall - nagle.ackDelay()) / 1e6, nagle.serverDelayedAcks, noDelay.serverDelayedAcks));
        if (outcomes.size() > 2) {
            Outcome q = outcomes.get(2);
            f.conclude(String.format(Locale.ROOT, "With TCP_QUICKACK on the server and Nagle on the client, a round took %.1f ms: "
                    + "no delayed ACK, but still the extra round trip for the held body.", q.steadyRound() / 1e6));
        }
        f.print(options, out);
        return 0;
    }

    private static boolean quickAck(ScenarioOptions options) {
        return switch (options.param(QUICKACK).strip()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalArgumentException("--quickack: '" + options.param(QUICKACK) + "' is not 0 or 1");
        };
    }

    private static String millis(long nanos) {
        return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString();
    }

    static Outcome rounds(ScenarioOptions options, Setting setting, boolean capture) {
        int rounds = options.intParam(ROUNDS, 2);
        int header = options.intParam(HEADER, 1);
        int body = options.intParam(BODY, 1);
        int response = options.intParam(RESPONSE, 1);
        try (Testbed tb = new Testbed(options, setting.variant, capture)) {
            Stack clientStack = tb.host("client");
            Stack serverStack = tb.host("server");
            tb.link(clientStack, CLIENT, serverStack, SERVER, tb.userPath());
            TraceRecorder trace = tb.trace("client");
            ThreewaySockets client = ThreewaySockets.on(clientStack, tb.sim().scheduler());
            ThreewaySockets server = ThreewaySockets.on(serverStack, tb.sim().scheduler());
            tb.start(0);
            AppThreads.spawn(tb, "server", () -> {
                try (ServerSocket listener = server.serverSocket(80); Socket s = listener.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    byte[] request = new byte[header + body];
                    for (int i = 0; i < rounds; i++) {
                        if (setting.quickAck) s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                        in.readFully(request);
                        out.write(new byte[response]); // at once: the answer could carry the ACK
                    }
                }
            });
            List<Long> times = new ArrayList<>();
            AppThreads.spawn(tb, "client", () -> {
                try (Socket s = client.socket()) {
                    s.setTcpNoDelay(setting.noDelay);
                    s.connect(new InetSocketAddress(tb.ip(SERVER).toInetAddress(), 80));
                    OutputStream out = s.getOutputStream();
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] answer = new byte[response];
                    for (int i = 0; i < rounds; i++) {
                        long start = tb.now();
                        out.write(new byte[header]);
                        out.write(new byte[body]);
                        in.readFully(answer);
                        times.add(tb.now() - start);
                    }
                }
            });
            if (!AppThreads.runToCompletion(tb, rounds * (options.rtt().toNanos() * 4 + SECOND) + 60 * SECOND)) {
                throw new IllegalStateException(setting.title + ": the rounds did not finish");
            }
            return read(setting, times, trace.packets(), rounds, header, body, response,
                    serverStack.counters().get(Counter.DELAYED_ACKS), clientStack.counters().get(Counter.DELAYED_ACKS));
        }
    }

    /**
     * Finds each round's packets in the client's capture by their sequence numbers: round r's header starts
     * r requests into the client's byte stream, its body a header later, and its answer r answers into the
     * server's; the header's ACK is the first segment from the server acknowledging it.
     */
    private static Outcome read(Setting setting, List<Long> times, List<CapturedPacket> packets, int rounds, int header,
                                int body, int response, long serverDelayedAcks, long clientDelayedAcks) {
        long syn = -1;
        long synAck = -1;
        int clientIsn = 0;
        int serverIsn = 0;
        List<Round> found = new ArrayList<>();
        for (int r = 0; r < rounds; r++) found.add(null);
        long[][] at = new long[rounds][4];
        String[][] lines = new String[rounds][4];
        for (long[] a : at) Arrays.fill(a, -1);
        for (CapturedPacket p : packets) {
            TcpSegment seg = CapturedSegments.tcp(p);
            if (seg == null) continue;
            if (seg.syn()) {
                if (p.outbound() && syn < 0) {
                    syn = p.timeNanos();
                    clientIsn = seg.seq;
                } else if (!p.outbound() && synAck < 0) {
                    synAck = p.timeNanos();
                    serverIsn = seg.seq;
                }
                continue;
            }
            for (int r = 0; r < rounds; r++) {
                int headerSeq = clientIsn + 1 + r * (header + body);
                int bodySeq = headerSeq + header;
                int answerSeq = serverIsn + 1 + r * response;
                boolean[] is = {
                    p.outbound() && seg.payloadLength > 0 && seg.seq == headerSeq,
                    !p.outbound() && seg.ackFlag() && seg.ack - bodySeq >= 0,
                    p.outbound() && seg.payloadLength > 0 && seg.seq == bodySeq,
                    !p.outbound() && seg.payloadLength > 0 && seg.seq == answerSeq};
                for (int slot = 0; slot < 4; slot++) {
                    if (is[slot] && at[r][slot] < 0) {
                        at[r][slot] = p.timeNanos();
                        lines[r][slot] = p.line();
                    }
                }
            }
        }
        String[] labels = {"header:   ", "its ACK:  ", "body:     ", "answer:   "};
        for (int r = 0; r < rounds; r++) {
            long[] t = at[r];
            // With TCP_NODELAY the body may leave in the header's segment: then it left with it.
            long bodyOut = t[2] >= 0 ? t[2] : t[0];
            List<String> shown = new ArrayList<>();
            Integer[] order = {0, 1, 2, 3};
            Arrays.sort(order, (a, b) -> Long.compare(t[a], t[b]));
            for (int slot : order) {
                if (lines[r][slot] == null || slot == 1 && lines[r][1].equals(lines[r][3])) continue; // the answer carried the ACK
                shown.add(labels[slot] + lines[r][slot]);
            }
            found.set(r, new Round(t[0], t[1], bodyOut, t[3], shown));
        }
        return new Outcome(setting, List.copyOf(times), synAck - syn, found, serverDelayedAcks, clientDelayedAcks);
    }
}
