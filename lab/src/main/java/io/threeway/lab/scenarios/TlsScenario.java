package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.stats.Counter;
import io.threeway.socket.ThreewaySockets;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;

/**
 * What a secure connection costs before the first byte of the answer: TCP's handshake (one round trip),
 * then TLS's. The JDK's own TLS (JSSE) runs over Threeway's sockets in the simulator, so the client below is
 * ordinary {@code javax.net.ssl} code and its timings are curl's {@code -w} variables: time_connect (TCP
 * established), time_appconnect (TLS done), time_starttransfer (first byte of the answer). TLS 1.2 needs two
 * round trips before the client may send its request; TLS 1.3 needs one.
 */
public final class TlsScenario implements Scenario {
    static final ScenarioParameter RESPONSE = ScenarioParameter.integer("response", 20_000, 0, Integer.MAX_VALUE, "Bytes of the server's answer.");
    static final ScenarioParameter NODELAY = ScenarioParameter.integer("nodelay", 1, 0, 1, 
            "TCP_NODELAY on both ends, 1 (as curl and nginx set it) or 0 (Nagle holds JSSE's second record of a flight for an ACK).");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "tls"; }

    @Override public String summary() { return "TCP, then TLS 1.2 or TLS 1.3 through JSSE over Threeway's sockets: the round trips before the first byte"; }

    @Override
    public List<String> help() {
        return List.of("Look for: time_appconnect one RTT after time_connect with TLS 1.3, two with TLS 1.2. Then try: --rtt 250ms, --nodelay 0 (Nagle holds a record), --loss 5%.",
                "A client does an HTTPS-like GET over a path of --rtt (default 100 ms) with TLS 1.2, then TLS 1.3 "
                + "(a fresh session each: no resumption). Round trips are counted in units of the TCP handshake's "
                + "time, which is one RTT. Settings that matter: --nodelay (Nagle), --rtt. What TCP Fast Open would save is derived from "
                + "the measured times, not measured: JSSE runs over a connected socket, which cannot yet put the ClientHello in "
                + "the SYN (the fast-open scenario measures Fast Open itself). The pcap holds the TLS 1.3 run.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(RESPONSE, NODELAY); }

    /** One connection's curl-style timings from the first connect() call, ns; the negotiated protocol and suite. */
    record Outcome(String protocol, String cipherSuite, long connect, long appConnect, long startTransfer, long total,
                   long responseBytes, long rtt, long retransmissions) {
        /** A span in RTTs of the path (not in flights: under loss it includes retransmission timeouts). */
        double rounds(long from, long to) { return rtt <= 0 ? 0 : Math.round(10.0 * (to - from) / rtt) / 10.0; }

        /**
         * A time after the ClientHello as it would be with TCP Fast Open: derived, not measured. The ClientHello
         * leaves with the SYN instead of after the handshake, so everything that waits for it moves one TCP
         * handshake earlier.
         */
        long withFastOpen(long measured) { return measured - connect; }
    }

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome v12 = exchange(options, "TLSv1.2", false);
        Outcome v13 = exchange(options, "TLSv1.3", true);
        Findings f = new Findings(name());
        f.say("A GET over TLS to " + Testbed.endpoint(options.ipv6(), SERVER, 443) + ", " + options.rtt().toMillis() + " ms RTT, " + options.longParam(RESPONSE)
                + " bytes back; JSSE over Threeway's sockets.");
        report(f.group("TLS 1.2"), v12);
        report(f.group("TLS 1.3"), v13);
        if (v12.retransmissions + v13.retransmissions == 0) {
            f.conclude(String.format(Locale.ROOT, "TLS 1.2 took %.1f round trips after TCP's, TLS 1.3 %.1f: TLS 1.3 reached "
                            + "the first byte of the answer %.0f ms sooner (%.3f s against %.3f s).",
                    v12.rounds(v12.connect, v12.appConnect), v13.rounds(v13.connect, v13.appConnect),
                    (v12.startTransfer - v13.startTransfer) / 1e6, v13.startTransfer / 1e9, v12.startTransfer / 1e9));
        } else {
            f.conclude(String.format(Locale.ROOT, "Loss made the connections retransmit %d and %d segments: the times "
                            + "include retransmission timeouts (each at least 200 ms), so their length in RTTs no longer "
                            + "counts round trips (TLS 1.2's handshake takes two flights, TLS 1.3's one). TLS 1.3's first byte "
                            + "of the answer came at %.3f s, TLS 1.2's at %.3f s.", v12.retransmissions, v13.retransmissions,
                    v13.startTransfer / 1e9, v12.startTransfer / 1e9));
        }
        f.conclude(String.format(Locale.ROOT, "Derived from these measurements, not measured: with a Fast Open cookie from an "
                        + "earlier connection the ClientHello would ride in the SYN, so every step after it would come one TCP "
                        + "handshake (time_connect, %.0f ms) sooner: TLS 1.3's first byte of the answer at %.3f s, TLS 1.2's at "
                        + "%.3f s, the server answering from SYN-RECEIVED as Linux's and Threeway's do (the fast-open scenario measures it). "
                        + "JSSE here runs over a connected socket, which cannot put its first bytes in the SYN.",
                v13.connect / 1e6, v13.withFastOpen(v13.startTransfer) / 1e9, v12.withFastOpen(v12.startTransfer) / 1e9));
        f.print(options, out);
        return 0;
    }

    private static void report(Findings.Group g, Outcome o) {
        g.put("protocol", o.protocol).put("cipher suite", o.cipherSuite)
                .seconds("time_connect", o.connect).seconds("time_appconnect", o.appConnect)
                .seconds("time_starttransfer", o.startTransfer).seconds("time_total", o.total)
                .put("TCP handshake in RTTs", o.rounds(0, o.connect))
                .put("TLS handshake in RTTs", o.rounds(o.connect, o.appConnect))
                .put("request to first byte in RTTs", o.rounds(o.appConnect, o.startTransfer))
                .put("segments retransmitted", o.retransmissions)
                .seconds("time_appconnect with Fast Open (derived)", o.withFastOpen(o.appConnect))
                .seconds("time_starttransfer with Fast Open (derived)", o.withFastOpen(o.startTransfer))
                .put("bytes of answer", o.responseBytes, "bytes");
    }

    static Outcome exchange(ScenarioOptions options, String protocol, boolean capture) {
        int responseBytes = options.intParam(RESPONSE, 0);
        boolean noDelay = switch (options.param(NODELAY).strip()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalArgumentException("--nodelay: '" + options.param(NODELAY) + "' is not 0 or 1");
        };
        SSLContext tls = LabTls.context(options.seed());
        SSLSocketFactory factory = tls.getSocketFactory();
        try (Testbed tb = new Testbed(options, protocol, capture)) {
            Stack clientStack = tb.host("client");
            Stack serverStack = tb.host("server");
            tb.link(clientStack, CLIENT, serverStack, SERVER, tb.userPath());
            tb.trace("client");
            ThreewaySockets client = ThreewaySockets.on(clientStack, tb.sim().scheduler());
            ThreewaySockets server = ThreewaySockets.on(serverStack, tb.sim().scheduler());
            tb.start(0);
            AppThreads.spawn(tb, "https-server", () -> {
                try (ServerSocket listener = server.serverSocket(443); Socket plain = listener.accept();
                     SSLSocket s = (SSLSocket) factory.createSocket(plain, null, true)) {
                    plain.setTcpNoDelay(noDelay);
                    s.setUseClientMode(false);
                    s.setEnabledProtocols(new String[] {protocol});
                    readRequest(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + responseBytes + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[responseBytes]);
                    out.flush();
                }
            });
            Outcome[] result = new Outcome[1];
            AppThreads.spawn(tb, "https-client", () -> {
                long start = tb.now();
                Socket plain = client.socket();
                plain.setTcpNoDelay(noDelay);
                plain.connect(new InetSocketAddress(tb.ip(SERVER).toInetAddress(), 443));
                long connected = tb.now() - start;
                try (SSLSocket s = (SSLSocket) factory.createSocket(plain, SERVER, 443, true)) {
                    s.setEnabledProtocols(new String[] {protocol});
                    s.startHandshake();
                    long appConnected = tb.now() - start;
                    s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + tb.hostHeader(SERVER) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    InputStream in = s.getInputStream();
                    if (in.read() < 0) throw new IllegalStateException("the server closed without answering");
                    long firstByte = tb.now() - start;
                    long bytes = 1 + in.transferTo(OutputStream.nullOutputStream());
                    result[0] = new Outcome(s.getSession().getProtocol(), s.getSession().getCipherSuite(), connected,
                            appConnected, firstByte, tb.now() - start, bytes, options.rtt().toNanos(),
                            clientStack.counters().get(Counter.RETRANS_SEGS) + serverStack.counters().get(Counter.RETRANS_SEGS));
                }
            });
            if (!AppThreads.runToCompletion(tb, 600 * SECOND) || result[0] == null) {
                throw new IllegalStateException(protocol + " exchange did not finish in 600 s of virtual time");
            }
            return result[0];
        }
    }

    /** Reads up to the blank line that ends an HTTP request head. */
    private static void readRequest(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int c; matched < 4 && (c = in.read()) >= 0; ) matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
}
