package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Durations;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.sim.LinkConfig;
import io.threeway.socket.ThreewaySockets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Slow clients against a thread-per-connection application. Each mobile client (long RTT, slow upload) posts
 * a body and reads an answer; the application has a fixed pool of worker threads, and a worker is held from
 * accept() to close(): while the body trickles in, and while the answer drains to the client. Put a buffering
 * reverse proxy in front (as nginx buffers requests and responses) and the proxy takes the slow clients: it
 * reads each request whole, then hands it to the application over a fast local link, and takes the answer
 * back at once. The application's busy time per request shrinks to its own work, and its capacity grows by
 * the same factor, with the same workers.
 */
public final class ReverseProxyScenario implements Scenario {
    static final ScenarioParameter RATE = ScenarioParameter.integer("rate", 10, 1, 1_000_000, "Client requests a second (Poisson arrivals).");
    static final ScenarioParameter DURATION = ScenarioParameter.duration("duration", "10s", "1ms", null, "How long clients keep arriving.");
    static final ScenarioParameter WORKERS = ScenarioParameter.integer("workers", 16, 1, 100_000, "The application's worker threads.");
    static final ScenarioParameter UPLOAD = ScenarioParameter.bitrate("upload-rate", "256kbit", "How fast each client uploads its body.");
    static final ScenarioParameter BODY = ScenarioParameter.integer("body", 32_000, 1, Integer.MAX_VALUE, "Bytes each client posts.");
    static final ScenarioParameter RESPONSE = ScenarioParameter.integer("response", 64_000, 1, Integer.MAX_VALUE, "Bytes of each answer.");
    static final ScenarioParameter WORK = ScenarioParameter.duration("work", "10ms", "0s", null, "The application's own work per request.");

    static final String APP_LOCAL = "198.18.1.2";
    static final String PROXY_LOCAL = "198.18.1.1";
    static final int CHUNK = 1000;

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32 (the proxy's local link to 2001:db8:1::/64). */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("duplicate", "TCP discards a duplicated segment (and "
                + "ACKs it again): the workers' busy time and the clients' latency do not change");
    }

    @Override public String name() { return "reverse-proxy"; }

    @Override public String summary() { return "Slow mobile clients hold a thread-per-connection application's workers; a buffering proxy frees them"; }

    @Override
    public List<String> help() {
        return List.of("Look for: the application's busy time per request with and without the proxy. Then try: --rtt 100ms (faster clients), --upload-rate 1mbit, --workers 4 --rate 20.",
                "Clients reach 198.18.0.2:80 over the path of --rtt (400ms here: a mobile network) and the other link options, uploading at --upload-rate; the application has "
                + "--workers threads, each busy from accept() to close(). With the proxy, 198.18.0.2 is the proxy, and the "
                + "application is 198.18.1.2:8080 across a 10 Gbit/s, 0.1 ms link. Busy time and capacity (workers / busy "
                + "time) are measured at the application. Upload rates above one initial window per RTT (14,480 bytes per "
                + "400 ms, about 290 kbit/s) are held back by slow start, not by the client. Raise --rate past the direct capacity and the accept queue fills: "
                + "the kernel then holds each waiting client's body in its receive buffer before accept(), so the busy time "
                + "per request falls while the clients' latency grows. The pcap holds the run with "
                + "the proxy, captured at the proxy.");
    }

    /** Mobile clients: a long round trip. */
    @Override
    public Map<String, String> optionDefaults() { return Map.of("rtt", "400ms"); }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(RATE, DURATION, WORKERS, UPLOAD, BODY, RESPONSE, WORK); }

    /**
     * What one run measured.
     *
     * @param busyNanos      the application's worker time summed over requests (accept() to close())
     * @param servedInWindow requests the application finished while clients were still arriving
     * @param elapsed        from the first arrival to the last answer read by a client
     */
    record Outcome(int answered, long busyNanos, int servedInWindow, long elapsed, double meanLatency, long p99Latency,
                   int workers) {
        double busyPerRequest() { return answered == 0 ? -1 : (double) busyNanos / answered; }
        double capacity() { return workers * 1e9 / busyPerRequest(); }
        double utilisation() { return (double) busyNanos / workers / elapsed; }
    }

    @Override
    public int run(ScenarioOptions options, PrintStream out) throws IOException {
        Outcome direct = serve(options, false, false);
        Outcome proxied = serve(options, true, true);
        Findings f = new Findings(name());
        f.say(direct.answered + " clients (" + options.param(RATE) + " a second for " + options.param(DURATION) + ", "
                + Durations.format(options.rtt()) + " RTT, uploading " + options.param(BODY) + " bytes at " + options.param(UPLOAD)
                + ", reading " + options.param(RESPONSE) + " bytes) against an application with " + direct.workers
                + " workers and " + options.param(WORK) + " of work a request.");
        report(f.group("clients straight to the application"), direct, options);
        report(f.group("behind a buffering proxy"), proxied, options);
        f.conclude(String.format(Locale.ROOT, "The proxy cut the application's busy time per request from %.1f ms to %.1f ms: "
                        + "the same %d workers can serve %.0f requests a second instead of %.1f.",
                direct.busyPerRequest() / 1e6, proxied.busyPerRequest() / 1e6, direct.workers, proxied.capacity(), direct.capacity()));
        f.print(options, out);
        return 0;
    }

    private static void report(Findings.Group g, Outcome o, ScenarioOptions options) {
        g.put("requests answered", o.answered)
                .millis("application busy time per request", o.busyPerRequest())
                .put("application capacity (workers / busy time)", Math.round(10 * o.capacity()) / 10.0, "requests/s")
                .put("served while clients arrived", Math.round(10.0 * o.servedInWindow / (options.nanosParam(DURATION) / 1e9)) / 10.0, "requests/s")
                .put("worker utilisation", Math.round(1000 * o.utilisation()) / 10.0, "%")
                .millis("client latency, mean", o.meanLatency).millis("client latency, 99th percentile", o.p99Latency);
    }

    static Outcome serve(ScenarioOptions options, boolean proxy, boolean capture) throws IOException {
        double rate = options.longParam(RATE);
        if (rate <= 0) throw new IllegalArgumentException("--rate must be positive");
        long duration = options.nanosParam(DURATION);
        int workers = options.intParam(WORKERS, 1);
        long chunkGap = Math.round(CHUNK * 8 * 1e9 / options.bitsPerSecondParam(UPLOAD));
        int body = options.intParam(BODY, 0);
        int response = options.intParam(RESPONSE, 0);
        long work = options.nanosParam(WORK);
        try (Testbed tb = new Testbed(options, proxy ? "proxy" : "direct", capture)) {
            Stack clientStack = tb.host("client");
            Stack front = tb.host(proxy ? "proxy" : "app");
            Stack appStack = proxy ? tb.host("app") : front;
            LinkConfig mobile = tb.userPath();
            tb.link(clientStack, CLIENT, front, SERVER, 24, mobile);
            if (proxy) {
                LinkConfig local = LinkConfig.builder().delayNanos(50_000).bandwidth(10_000_000_000L).build();
                tb.link(front, PROXY_LOCAL, appStack, APP_LOCAL, 24, local);
            }
            tb.trace(front.name());
            tb.sim().scheduler().useVirtualThreads(true);
            ThreewaySockets clients = ThreewaySockets.on(clientStack, tb.sim().scheduler());
            ThreewaySockets app = ThreewaySockets.on(appStack, tb.sim().scheduler());
            ThreewaySockets proxySockets = proxy ? ThreewaySockets.on(front, tb.sim().scheduler()) : null;
            tb.start(duration);

            // The application: a fixed pool of workers, each accept(), read the request, work, answer, close().
            ServerSocket appListener = app.serverSocket(proxy ? 8080 : 80, 4096);
            long[] busy = {0};
            int[] served = {0, 0};
            for (int w = 0; w < workers; w++) {
                AppThreads.spawn(tb, "worker-" + w, () -> {
                    for (;;) {
                        Socket s;
                        try {
                            s = appListener.accept();
                        } catch (IOException closed) {
                            return;
                        }
                        long start = tb.now();
                        try (s) {
                            s.setTcpNoDelay(true);
                            MiniHttp.read(s.getInputStream());
                            AppThreads.sleep(tb, work);
                            OutputStream out = s.getOutputStream();
                            MiniHttp.write(out, MiniHttp.responseHead(response));
                            out.write(new byte[response]);
                            out.flush();
                        }
                        busy[0] += tb.now() - start;
                        served[0]++;
                        if (tb.now() < duration) served[1]++;
                    }
                });
            }

            // The proxy: a thread per client; reads the request whole, then forwards it over the local link.
            ServerSocket proxyListener = proxy ? proxySockets.serverSocket(80, 4096) : null;
            if (proxy) {
                AppThreads.spawn(tb, "proxy-accept", () -> {
                    for (int i = 0; ; i++) {
                        Socket c;
                        try {
                            c = proxyListener.accept();
                        } catch (IOException closed) {
                            return;
                        }
                        AppThreads.spawn(tb, "proxy-" + i, () -> {
                            try (c) {
                                c.setTcpNoDelay(true);
                                MiniHttp.Message request = MiniHttp.read(c.getInputStream());
                                MiniHttp.Message answer;
                                try (Socket up = proxySockets.socketFactory().createSocket(tb.address(APP_LOCAL), 8080)) {
                                    up.setTcpNoDelay(true);
                                    up.getOutputStream().write(request.bytes());
                                    up.getOutputStream().flush();
                                    answer = MiniHttp.read(up.getInputStream());
                                }
                                c.getOutputStream().write(answer.bytes());
                                c.getOutputStream().flush();
                            }
                        });
                    }
                });
            }

            // The clients: Poisson arrivals; each uploads its body at its radio's pace and reads the answer.
            Latencies latencies = new Latencies();
            int[] inFlight = {0};
            long[] last = {0};
            SplittableRandom arrivals = new SplittableRandom(options.seed()); // the same clients in both runs
            AppThreads.spawn(tb, "arrivals", () -> {
                for (int i = 0; ; i++) {
                    AppThreads.sleep(tb, (long) (-Math.log(1 - arrivals.nextDouble()) / rate * SECOND));
                    if (tb.now() >= duration) break;
                    inFlight[0]++;
                    AppThreads.spawn(tb, "client-" + i, () -> {
                        long start = tb.now();
                        try (Socket s = clients.socketFactory().createSocket(tb.address(SERVER), 80)) {
                            s.setTcpNoDelay(true);
                            OutputStream out = s.getOutputStream();
                            MiniHttp.write(out, MiniHttp.requestHead(tb.hostHeader(SERVER), body));
                            for (int sent = 0; sent < body; sent += CHUNK) {
                                out.write(new byte[Math.min(CHUNK, body - sent)]);
                                out.flush();
                                AppThreads.sleep(tb, chunkGap);
                            }
                            MiniHttp.read(s.getInputStream());
                        }
                        latencies.add(tb.now() - start);
                        last[0] = tb.now();
                        inFlight[0]--;
                    });
                }
                tb.sim().scheduler().await(() -> inFlight[0] == 0, Long.MAX_VALUE);
                appListener.close();
                if (proxyListener != null) proxyListener.close();
            });
            if (!AppThreads.runToCompletion(tb, duration + 3600 * SECOND)) {
                throw new IllegalStateException("clients still waiting an hour after the last arrival");
            }
            return new Outcome(latencies.count(), busy[0], served[1], last[0], latencies.mean(), latencies.percentile(99), workers);
        }
    }
}
