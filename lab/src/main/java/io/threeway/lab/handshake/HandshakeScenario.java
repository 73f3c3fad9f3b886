package io.threeway.lab.handshake;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Testbed;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Simulator;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.trace.CapturedPacket;
import io.threeway.trace.PcapWriter;
import io.threeway.trace.TraceRecorder;
import io.threeway.trace.Transition;
import io.threeway.wire.IpAddress;
import io.threeway.wire.IpPacket;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.TcpCodec;
import io.threeway.wire.TcpSegment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import io.threeway.settings.Sysctls;
import java.util.Arrays;

/**
 * The three-way handshake, and the rest of a short connection's life, between a client (198.18.0.1) and a
 * server (198.18.0.2:80) over one simulated link with half the RTT of delay each way and the given random
 * loss. The client connects, sends a small HTTP/1.1 GET, reads the response and closes first; the server
 * answers, closes on EOF; the run goes on until the client's TIME-WAIT ends. The report shows the segments
 * as tcpdump on the client prints them, every state transition of both ends, the sequence-number arithmetic
 * and a summary, all read from the run.
 */
public final class HandshakeScenario implements Scenario {
    static final String CLIENT_ADDRESS = "198.18.0.1";
    static final String SERVER_ADDRESS = "198.18.0.2";
    static final int SERVER_PORT = 80;
    /** The longest the run may take in virtual time: far beyond every retry limit with Linux's defaults. */
    static final long VIRTUAL_TIME_LIMIT = 3_600_000_000_000L;

    static final byte[] REQUEST = ("GET / HTTP/1.1\r\nHost: " + SERVER_ADDRESS + "\r\nUser-Agent: threeway-lab\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] BODY = "Hello from the server.\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length
            + "\r\nConnection: close\r\n\r\n" + new String(BODY, StandardCharsets.US_ASCII))
            .getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() { return "handshake"; }

    /** Runs over IPv6 too ({@code -6}): 2001:db8::1 to 2001:db8::2. */
    @Override
    public boolean supportsIpv6() { return true; }

    @Override
    public List<String> help() {
        return List.of("Look for: SYN, SYN-ACK, ACK one RTT apart, ack = the peer's ISN + 1, and the client's 60 s of "
                + "TIME-WAIT at the end. Then try: --rtt 300ms, --loss 20% --seed 3 (lost SYNs resent after 1 s), "
                + "--pcap hs.pcap and 'threeway dump hs.pcap'.",
                "With --duplicate 30% --seed 1 the server's FIN arrives twice, the second ACK finds the server closed "
                        + "and its RST ends TIME-WAIT after one RTT, as Linux does under net.ipv4.tcp_rfc1337=0 (the report "
                        + "explains it); add --sysctl net.ipv4.tcp_rfc1337=1 to keep TIME-WAIT.");
    }

    @Override
    public String summary() { return "A client connects to a listening server: SYN, SYN-ACK, ACK, with timings"; }

    @Override
    public int run(ScenarioOptions options, PrintStream out) throws IOException {
        Result r;
        if (options.pcap() != null) {
            try (OutputStream file = Files.newOutputStream(options.pcap());
                 PcapWriter pcap = new PcapWriter(file)) {
                r = simulate(options, pcap);
                if (r.pcapError != null) throw r.pcapError;
            }
        } else {
            r = simulate(options, null);
        }
        if (options.json()) out.print(Report.json(options, r));
        else out.print(Report.text(options, r));
        return r.success() ? 0 : 1;
    }

    /** Everything the report needs, read from one run. */
    static final class Result {
        /** The client's and the server's addresses in this run (IPv6 with {@code -6}). */
        String clientAddress = CLIENT_ADDRESS, serverAddress = SERVER_ADDRESS;
        List<CapturedPacket> packets;
        List<Transition> transitions;
        IOException pcapError;
        int clientPort;
        long connectAt = -1;
        long establishedAt = -1;
        long requestSentAt = -1;
        long firstResponseByteAt = -1;
        long responseCompleteAt = -1;
        long clientCloseAt = -1;
        long serverCloseAt = -1;
        long end;
        TcpConnection client;
        TcpConnection server;
        String clientError;
        String serverError;
        long clientRetransSegs;
        long clientSynRetrans;
        long serverRetransSegs;
        long clientTimeouts;
        long serverTimeouts;
        long internalErrors;
        int requestBytesRead;
        int responseBytesRead;
        boolean responseOk;

        boolean established() { return establishedAt >= 0; }

        boolean success() {
            return established() && responseOk && client.state() == TcpState.CLOSED
                    && server != null && server.state() == TcpState.CLOSED && internalErrors == 0;
        }
    }

    /** Runs the experiment; the applications react the moment what they wait for happens. */
    static Result simulate(ScenarioOptions options, PcapWriter pcap) {
        Result r = new Result();
        LinkConfig link = options.link().config();
        try (Network net = new Network(options.seed())) {
            Simulator sim = net.sim();
            Stack client = net.host("client", new Sysctls(options.sysctls()));
            Stack server = net.host("server", new Sysctls(options.sysctls()));
            r.clientAddress = Testbed.map(options.ipv6(), CLIENT_ADDRESS);
            r.serverAddress = Testbed.map(options.ipv6(), SERVER_ADDRESS);
            net.link(client, r.clientAddress, server, r.serverAddress, link);
            TraceRecorder rec = new TraceRecorder("client", pcap, sim::now);
            client.addObserver(rec);
            server.addObserver(rec);

            if (options.moments() != null) options.moments().watch("", sim, List.of(client, server));
            if (options.recorder() != null) options.recorder().watch("", sim, List.of(client, server));
            Listener listener = server.listen(options.ipv6() ? IpAddress.ANY6 : IpAddress.ANY4, SERVER_PORT, 128, new ConnectionOptions(), false);
            r.connectAt = sim.now();
            TcpConnection c = client.connect(IpAddress.parse(r.serverAddress), SERVER_PORT, 0, new ConnectionOptions(),
                    sim.now());
            client.userCallDone();
            r.client = c;
            r.clientPort = c.tuple().localPort();

            Apps apps = new Apps(sim, client, server, listener, c, r);
            sim.runUntil(apps::step, VIRTUAL_TIME_LIMIT);
            r.end = sim.now();
            if (options.moments() != null) options.moments().finish("", sim.now(), List.of(client, server));
            if (options.recorder() != null) options.recorder().finish("", sim);

            r.packets = rec.packets();
            r.transitions = rec.transitions();
            r.pcapError = rec.pcapError();
            r.server = apps.s;
            r.clientError = c.error() == null ? null : c.error().toString();
            r.serverError = apps.s == null || apps.s.error() == null ? null : apps.s.error().toString();
            r.clientRetransSegs = client.counters().get(Counter.RETRANS_SEGS);
            r.clientSynRetrans = client.counters().get(Counter.TCP_SYN_RETRANS);
            r.serverRetransSegs = server.counters().get(Counter.RETRANS_SEGS);
            r.clientTimeouts = client.counters().get(Counter.TCP_TIMEOUTS);
            r.serverTimeouts = server.counters().get(Counter.TCP_TIMEOUTS);
            r.internalErrors = client.internalErrors() + server.internalErrors();
        }
        return r;
    }

    /**
     * The two applications as one poll function, called by the simulator after every event: each does what
     * a blocking program would do the moment its call returns. Returns true when the story is over.
     */
    private static final class Apps {
        private final Simulator sim;
        private final Stack client;
        private final Stack server;
        private final Listener listener;
        private final TcpConnection c;
        private final Result r;
        TcpConnection s;
        private int requestWritten;
        private final byte[] requestIn = new byte[4096];
        private int responseWritten = -1;
        private final byte[] responseIn = new byte[4096];
        private boolean clientClosed;
        private boolean serverClosed;
        private final byte[] scratch = new byte[4096];

        Apps(Simulator sim, Stack client, Stack server, Listener listener, TcpConnection c, Result r) {
            this.sim = sim;
            this.client = client;
            this.server = server;
            this.listener = listener;
            this.c = c;
            this.r = r;
        }

        boolean step() {
            long now = sim.now();
            clientStep(now);
            serverStep(now);
            boolean clientDone = c.state() == TcpState.CLOSED;
            boolean serverDone = s == null
                    ? clientDone && listener.synQueueLength() == 0 && listener.acceptQueueLength() == 0
                    : s.state() == TcpState.CLOSED;
            return clientDone && serverDone;
        }

        private void clientStep(long now) {
            if (clientClosed) return;
            if (c.state() == TcpState.CLOSED) { // the connection failed: the program gets its error and exits
                c.close(now);
                clientClosed = true;
                return;
            }
            if (r.establishedAt < 0 && c.state() == TcpState.SYN_SENT) return;
            if (r.establishedAt < 0) r.establishedAt = now;
            if (requestWritten < REQUEST.length) {
                int n = c.write(REQUEST, requestWritten, REQUEST.length - requestWritten, now);
                client.userCallDone();
                if (n > 0 && requestWritten == 0) r.requestSentAt = now;
                requestWritten += n;
            }
            while (true) {
                int room = responseIn.length - r.responseBytesRead;
                int n = c.read(responseIn, r.responseBytesRead, room, now);
                client.userCallDone();
                if (n > 0) {
                    if (r.firstResponseByteAt < 0) r.firstResponseByteAt = now;
                    r.responseBytesRead += n;
                    if (r.responseBytesRead == RESPONSE.length) {
                        r.responseCompleteAt = now;
                        r.responseOk = Arrays.equals(responseIn, 0, RESPONSE.length, RESPONSE, 0,
                                RESPONSE.length);
                        break;
                    }
                    continue;
                }
                if (n < 0) break; // EOF before the whole response: close all the same
                return;
            }
            c.close(now); // the client closes first: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT
            client.userCallDone();
            r.clientCloseAt = now;
            clientClosed = true;
        }

        private void serverStep(long now) {
            if (serverClosed) return;
            if (s == null) {
                s = listener.accept();
                if (s == null) return;
            }
            if (responseWritten < 0) {
                int n;
                while ((n = s.read(requestIn, r.requestBytesRead, requestIn.length - r.requestBytesRead, now)) > 0) {
                    r.requestBytesRead += n;
                }
                server.userCallDone();
                if (!endsWithBlankLine(requestIn, r.requestBytesRead)) {
                    if (n < 0 || s.state() == TcpState.CLOSED) closeServer(now);
                    return;
                }
                responseWritten = 0;
            }
            if (responseWritten < RESPONSE.length) {
                responseWritten += s.write(RESPONSE, responseWritten, RESPONSE.length - responseWritten, now);
                server.userCallDone();
                if (responseWritten < RESPONSE.length && !s.writeClosed()) return;
            }
            int n = s.read(scratch, 0, scratch.length, now); // wait for the client's FIN
            server.userCallDone();
            if (n < 0 || s.state() == TcpState.CLOSED) closeServer(now);
        }

        private void closeServer(long now) {
            s.close(now);
            server.userCallDone();
            r.serverCloseAt = now;
            serverClosed = true;
        }

        private static boolean endsWithBlankLine(byte[] b, int len) {
            return len >= 4 && b[len - 4] == '\r' && b[len - 3] == '\n' && b[len - 2] == '\r' && b[len - 1] == '\n';
        }
    }

    /** The TCP header of a captured packet, or null if it is not TCP over IPv4 or IPv6. */
    static TcpSegment tcp(CapturedPacket p) {
        IpPacket ip = new IpPacket();
        boolean v6 = p.data().length > 0 && (p.data()[0] & 0xf0) == 0x60;
        if (!(v6 ? Ipv6Header.parse(p.data(), 0, p.data().length, ip) : Ipv4Header.parse(p.data(), 0, p.data().length, ip)).ok()) return null;
        TcpSegment seg = new TcpSegment();
        if (!TcpCodec.parse(p.data(), ip.payloadOffset, ip.payloadLength, seg).ok()) return null;
        return seg;
    }

    /** Seconds with microseconds, as tcpdump -tt prints them. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%d.%06d", nanos / 1_000_000_000L, nanos % 1_000_000_000L / 1000);
    }

    /** A duration for people: {@code 100.000 ms}, {@code 60.000 s}. */
    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
