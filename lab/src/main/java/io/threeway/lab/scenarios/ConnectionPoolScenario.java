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
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.net.BindException;

/**
 * Requests at a steady rate, each a small request and a small answer, sent the naive way (a new connection
 * for each: a handshake before the request, TIME-WAIT after) and through a pool of kept-alive connections
 * (a request takes an idle connection, or opens one when none is idle, and gives it back after the answer).
 * Arrivals are random (Poisson, seeded), so the pool grows to what the busiest moment needed: by Little's law
 * about the rate times the time a request holds a connection.
 */
public final class ConnectionPoolScenario implements Scenario {
    static final ScenarioParameter RATE = ScenarioParameter.integer("rate", 500, 1, 1_000_000, "Requests a second (Poisson arrivals).");
    static final ScenarioParameter DURATION = ScenarioParameter.duration("duration", "10s", "1ms", null, "How long requests keep arriving.");
    static final ScenarioParameter REQUEST = ScenarioParameter.integer("request", 200, 1, Integer.MAX_VALUE, "Bytes of each request.");
    static final ScenarioParameter RESPONSE = ScenarioParameter.integer("response", 2000, 1, Integer.MAX_VALUE, "Bytes of each answer.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    @Override public String name() { return "connection-pool"; }

    @Override public String summary() { return "500 requests a second with a connection each and through a pool: handshakes, latency, TIME-WAIT, connections needed"; }

    @Override
    public List<String> help() {
        return List.of("Look for: handshakes and TIME-WAIT sockets per request without a pool, and the mean latency of 2 RTTs against 1. Then try: --rtt 20ms, --rate 2000, --sysctl 'net.ipv4.ip_local_port_range=40000 40999'.",
                "Client and server are java.net code on Threeway's sockets; the client closes first, so TIME-WAIT is "
                + "on the client. Settings that matter: --rtt (each handshake costs one), --rate, "
                + "net.ipv4.ip_local_port_range and net.ipv4.tcp_tw_reuse (see time-wait-exhaustion for when ports "
                + "run out). The pcap holds the pooled run.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(RATE, DURATION, REQUEST, RESPONSE); }

    /**
     * What one run measured.
     *
     * @param connectionsOpened connections the client opened (its ActiveOpens): one per request without a pool
     * @param openedInFirstSecond of those, the ones opened in the first second (a pool's cold start)
     * @param mostInProgress    the most requests in progress at one time
     * @param failed            requests whose connect or exchange failed (a timeout, a reset: a path that loses
     *                          too much), not counting those refused a local port ({@code exhaustion})
     * @param firstError        the first such failure's error, or null
     * @param issued            requests that arrived: answered, failed, or refused a local port
     */
    record Outcome(int requests, long connectionsOpened, long openedInFirstSecond, double meanLatency, long p50, long p99,
                   int timeWaitAtEnd, int mostInProgress, PortExhaustion exhaustion, int failed, String firstError,
                   int issued) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome fresh = load(options, false, false);
        Outcome pooled = load(options, true, true);
        Findings f = new Findings(name());
        f.say(fresh.issued + " requests (" + options.param(RATE) + " a second for " + options.param(DURATION) + ", "
                + options.rtt().toMillis() + " ms RTT), each " + options.param(REQUEST) + " bytes up and "
                + options.param(RESPONSE) + " bytes down.");
        report(f.group("a connection per request"), fresh);
        report(f.group("pool"), pooled);
        f.conclude(String.format(Locale.ROOT, "The pool paid %d handshakes instead of %d, answered in %.1f ms instead of %.1f ms "
                        + "on average, and left %d sockets in TIME-WAIT instead of %d: %d connections carried all %d requests "
                        + "(%d of them opened in the first second, while the pool was empty; at most %d requests were in progress at once).",
                pooled.connectionsOpened, fresh.connectionsOpened, pooled.meanLatency / 1e6, fresh.meanLatency / 1e6,
                pooled.timeWaitAtEnd, fresh.timeWaitAtEnd, pooled.connectionsOpened, pooled.requests,
                pooled.openedInFirstSecond, pooled.mostInProgress));
        if (fresh.exhaustion.happened()) {
            f.conclude(fresh.exhaustion.sentence("Without a pool"));
        }
        f.print(options, out);
        return 0;
    }

    private static void report(Findings.Group g, Outcome o) {
        g.put("requests answered", o.requests).put("handshakes (ActiveOpens)", o.connectionsOpened)
                .millis("mean latency", o.meanLatency).millis("median latency", o.p50).millis("99th percentile", o.p99)
                .put("requests in progress at most", o.mostInProgress)
                .put("connections opened in the first second", o.openedInFirstSecond)
                .put("TIME-WAIT on the client at the end", o.timeWaitAtEnd)
                .put("requests that failed (a timeout or a reset)", o.failed);
        if (o.firstError != null) g.put("first failure", o.firstError);
        o.exhaustion.report(g);
    }

    static Outcome load(ScenarioOptions options, boolean pool, boolean capture) {
        double rate = options.longParam(RATE);
        if (rate <= 0) throw new IllegalArgumentException("--rate must be positive");
        long duration = options.nanosParam(DURATION);
        int requestBytes = options.intParam(REQUEST, 1);
        int responseBytes = options.intParam(RESPONSE, 1);
        try (Testbed tb = new Testbed(options, pool ? "pool" : "no-pool", capture)) {
            Stack clientStack = tb.host("client");
            Stack serverStack = tb.host("server");
            tb.link(clientStack, CLIENT, serverStack, SERVER, tb.userPath());
            tb.trace("client");
            tb.sim().scheduler().useVirtualThreads(true);
            ThreewaySockets client = ThreewaySockets.on(clientStack, tb.sim().scheduler());
            ThreewaySockets server = ThreewaySockets.on(serverStack, tb.sim().scheduler());
            tb.start(duration);

            ServerSocket[] listener = {null};
            AppThreads.spawn(tb, "server", () -> {
                listener[0] = server.serverSocket(80, 4096);
                for (int i = 0; ; i++) {
                    Socket s;
                    try {
                        s = listener[0].accept();
                    } catch (IOException closed) {
                        return; // the run is over
                    }
                    AppThreads.spawn(tb, "server-" + i, () -> serve(s, requestBytes, responseBytes));
                }
            });

            Latencies latencies = new Latencies();
            PortExhaustion ports = new PortExhaustion();
            ArrayDeque<Socket> idle = new ArrayDeque<>();
            int[] inFlight = {0, 0};
            int[] issued = {0};
            int[] failed = {0};
            String[] firstError = {null};
            long[] openedBy1s = {0};
            tb.sim().schedule(SECOND, () -> openedBy1s[0] = clientStack.counters().get(Counter.ACTIVE_OPENS));
            int[] timeWaitAtEnd = {0};
            SplittableRandom arrivals = tb.sim().newRandom();
            AppThreads.spawn(tb, "arrivals", () -> {
                for (int i = 0; ; i++) {
                    AppThreads.sleep(tb, (long) (-Math.log(1 - arrivals.nextDouble()) / rate * SECOND));
                    if (tb.now() >= duration) break;
                    issued[0]++;
                    inFlight[0]++;
                    inFlight[1] = Math.max(inFlight[1], inFlight[0]);
                    AppThreads.spawn(tb, "request-" + i, () -> {
                        long start = tb.now();
                        Socket s = pool ? idle.pollFirst() : null;
                        if (s == null) {
                            try {
                                s = client.socketFactory().createSocket(tb.address(SERVER), 80);
                            } catch (BindException noPort) { // EADDRNOTAVAIL: every local port is taken
                                ports.failed(tb.now(), clientStack.connectionCount(), clientStack.timeWaitCount());
                                inFlight[0]--;
                                return;
                            } catch (IOException e) { // the handshake timed out
                                if (failed[0]++ == 0) firstError[0] = e.getMessage();
                                inFlight[0]--;
                                return;
                            }
                            s.setTcpNoDelay(true); // as HTTP clients do: the request is one write anyway
                        }
                        try {
                            exchange(s, requestBytes, responseBytes);
                        } catch (IOException e) { // a timeout or a reset: the path lost too much
                            if (failed[0]++ == 0) firstError[0] = e.getMessage();
                            s.close();
                            inFlight[0]--;
                            return;
                        }
                        latencies.add(tb.now() - start);
                        if (pool) {
                            idle.addFirst(s); // most recently used first: the pool stays as small as the load allows
                        } else {
                            s.close();
                        }
                        inFlight[0]--;
                    });
                }
                tb.sim().scheduler().await(() -> inFlight[0] == 0, Long.MAX_VALUE);
                int timeWait = clientStack.timeWaitCount();
                for (Socket s : idle) s.close();
                listener[0].close();
                timeWaitAtEnd[0] = timeWait;
            });
            if (!AppThreads.runToCompletion(tb, duration + 600 * SECOND)) {
                throw new IllegalStateException("requests still open 600 s after the last arrival");
            }
            return new Outcome(latencies.count(), clientStack.counters().get(Counter.ACTIVE_OPENS), openedBy1s[0],
                    latencies.mean(), latencies.percentile(50), latencies.percentile(99), timeWaitAtEnd[0], inFlight[1], ports,
                    failed[0], firstError[0], issued[0]);
        }
    }

    /** The client's half of one request: send it, read the whole answer. */
    private static void exchange(Socket s, int requestBytes, int responseBytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(new byte[requestBytes]);
        out.flush();
        new DataInputStream(s.getInputStream()).readFully(new byte[responseBytes]);
    }

    /** The server's side of one connection: answer each whole request until the client closes. */
    private static void serve(Socket s, int requestBytes, int responseBytes) throws IOException {
        try (s) {
            s.setTcpNoDelay(true); // as HTTP servers do: Nagle would hold the answer's last short segment for an ACK
            InputStream in = s.getInputStream();
            byte[] request = new byte[requestBytes];
            while (in.readNBytes(request, 0, requestBytes) == requestBytes) {
                s.getOutputStream().write(new byte[responseBytes]);
                s.getOutputStream().flush();
            }
        }
    }
}
