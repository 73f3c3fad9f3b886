package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Listener;
import io.threeway.host.Stack;
import io.threeway.host.StackObserver;
import io.threeway.lab.Findings;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.settings.Sysctl;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.FourTuple;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seeds' arithmetic of TIME-WAIT on a busy server: short HTTP-like requests at a steady rate, the server
 * closing first (RFC 9293 §3.6: the side that closes first holds TIME-WAIT), so each request leaves the server a
 * socket in TIME-WAIT for 60 s; 10,000 requests a second keep 600,000 of them. Linux caps them at
 * net.ipv4.tcp_max_tw_buckets (131,072 by default on most machines: the kernel sizes it from memory) and destroys
 * each one past the cap at once ("TCP: time wait bucket table overflow", TCPTimeWaitOverflow). The clients are many
 * hosts, each with its own link, so no client runs out of ports.
 */
public final class TimeWaitLoadScenario implements Scenario {
    static final ScenarioParameter RATE = ScenarioParameter.integer("rate", 10_000, 1, 1_000_000, "Requests a second, all clients together.");
    static final ScenarioParameter DURATION = ScenarioParameter.duration("duration", "14s", "1ms", null,
            "How long the clients keep going (the seeds' 60s makes 600,000 TIME-WAIT sockets: a minute of CPU or more).");
    static final ScenarioParameter CLIENTS = ScenarioParameter.integer("clients", 32, 1, 250, "Client hosts, each on a link of its own.");
    static final ScenarioParameter BUCKETS = ScenarioParameter.integer("raised-buckets", 2_000_000, 1, Integer.MAX_VALUE,
            "net.ipv4.tcp_max_tw_buckets in the second run.");
    /**
     * The memory of one TIME-WAIT socket in Linux: a tw_sock_TCP slab object, 256 bytes on x86_64 (objsize in
     * /proc/slabinfo on Linux 6.x; tw_sock_TCPv6 is the same size).
     */
    static final int LINUX_TW_BYTES = 256;
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: lab\r\n\r\n".getBytes();
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes();

    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of(
                "jitter", "its figures are counts of sockets, and jitter (at most half the RTT) moves each one's "
                        + "moments by less than the run's margin: no count changes",
                "mtu", "each request and answer is a few dozen bytes, which any MTU carries whole: no count changes");
    }

    @Override public String name() { return "time-wait-load"; }

    @Override public String summary() { return "A busy server that closes first: TIME-WAIT sockets by the hundred thousand, their memory, tcp_max_tw_buckets"; }

    @Override
    public List<String> help() {
        return List.of("Look for: TIME-WAIT stopping at tcp_max_tw_buckets and TCPTimeWaitOverflow counting the rest; with "
                        + "the cap raised, rate x time in TIME-WAIT (at most 60 s). Then try: --duration 60s (the seeds' "
                        + "600,000), --rate 1000, --sysctl net.ipv4.tcp_max_tw_buckets=10000.",
                "Settings that matter: net.ipv4.tcp_max_tw_buckets (131072; the second run raises it, --raised-buckets), "
                        + "the TIME-WAIT length (60 s, fixed in Linux as TCP_TIMEWAIT_LEN). The links are 500us RTT by default "
                        + "(--rtt). The pcap holds the first run's packets at client1 (one client of --clients).");
    }

    @Override public List<ScenarioParameter> parameters() { return List.of(RATE, DURATION, CLIENTS, BUCKETS); }

    @Override public Map<String, String> optionDefaults() { return Map.of("rtt", "500us"); }

    /** The cause the host gives when a SYN ends a TIME-WAIT to start a new connection on its four-tuple. */
    static final String SYN_TAKEOVER_CAUSE = "new SYN for the four-tuple";

    /**
     * One run's figures.
     *
     * @param tookOver SYNs that ended a TIME-WAIT on the server to start a new connection on the same four-tuple
     * @param tuples   the four-tuples the clients can use: clients x the ephemeral ports each (one server address
     *                 and port per client), the most TIME-WAIT sockets the server can hold at once
     */
    record Load(long requests, long answered, int peakTimeWait, int timeWaitAtEnd, long overflows, long failed, int buckets,
                long tookOver, long tuples) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Load dflt = serve(options, "default", true);
        Load raised = serve(options.withSysctl("net.ipv4.tcp_max_tw_buckets=" + options.longParam(BUCKETS)), "raised", false);
        Findings f = new Findings(name());
        f.say(options.param(CLIENTS) + " clients send " + options.param(RATE) + " short requests a second for "
                + options.param(DURATION) + "; the server answers and closes first, so it holds each TIME-WAIT for 60 s.");
        report(f.group("tcp_max_tw_buckets=" + dflt.buckets), dflt);
        report(f.group("tcp_max_tw_buckets=" + raised.buckets), raised);
        f.conclude(String.format(Locale.ROOT, "With %d buckets TIME-WAIT stopped at %d and %d sockets were destroyed at "
                        + "once (TCPTimeWaitOverflow); raised, %d were held at once, %.1f MB as Linux's %d-byte tw_sock_TCP objects.",
                dflt.buckets, dflt.peakTimeWait, dflt.overflows, raised.peakTimeWait,
                raised.peakTimeWait * (double) LINUX_TW_BYTES / 1e6, LINUX_TW_BYTES));
        if (raised.tookOver > 0) f.conclude(tupleCap(options, raised));
        f.print(options, out);
        return 0;
    }

    /**
     * Why TIME-WAIT stopped below rate x time: the clients' four-tuples ran out, and a SYN on a four-tuple the server
     * holds in TIME-WAIT takes it over.
     */
    private static String tupleCap(ScenarioOptions options, Load l) {
        long clients = options.longParam(CLIENTS);
        return String.format(Locale.ROOT, "Raised, TIME-WAIT could not pass %d: each of the %d clients has %d ephemeral "
                        + "ports (net.ipv4.ip_local_port_range %s) toward its one server address and port 80, %d four-tuples "
                        + "in all. Once a client's ports came round again, its SYN found its four-tuple in TIME-WAIT on the "
                        + "server, and Linux lets such a SYN end the TIME-WAIT and open a new connection (RFC 6191, "
                        + "tcp_timewait_state_process's TCP_TW_SYN: the SYN's timestamp is newer than the last one seen): %d SYNs did, so the server never "
                        + "held more than one TIME-WAIT per four-tuple. More clients (--clients), or more addresses, raise that cap.",
                l.tuples, clients, l.tuples / clients, options.sysctls().getString(Sysctl.IP_LOCAL_PORT_RANGE), l.tuples,
                l.tookOver);
    }

    private static void report(Findings.Group g, Load l) {
        g.put("requests sent", l.requests).put("requests answered", l.answered).put("connections that failed", l.failed)
                .put("most TIME-WAIT at once (server)", l.peakTimeWait).put("TIME-WAIT at the end (server)", l.timeWaitAtEnd)
                .put("destroyed past the cap (TCPTimeWaitOverflow)", l.overflows)
                .put("four-tuples the clients have (clients x ephemeral ports)", l.tuples)
                .put("SYNs that took over a TIME-WAIT (RFC 6191)", l.tookOver)
                .put("their memory in Linux (256-byte tw_sock_TCP)", Math.round(l.peakTimeWait * (double) LINUX_TW_BYTES / 1e5) / 10.0, "MB");
    }

    static Load serve(ScenarioOptions options, String variant) {
        return serve(options, variant, false);
    }

    /** One run; {@code capture}: this run writes the pcap, seen at client1. */
    static Load serve(ScenarioOptions options, String variant, boolean capture) {
        long interval = Math.max(1, SECOND / options.longParam(RATE));
        long duration = options.nanosParam(DURATION);
        int n = options.intParam(CLIENTS, 1);
        try (Testbed tb = new Testbed(options, variant, capture)) {
            Stack server = tb.host("server");
            List<Stack> clients = new ArrayList<>();
            List<IpAddress> targets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Stack c = tb.host("client" + (i + 1));
                tb.link(c, "198.18." + (i + 1) + ".1", server, "198.18." + (i + 1) + ".2", 24, tb.userPath());
                clients.add(c);
                targets.add(tb.ip("198.18." + (i + 1) + ".2"));
            }
            Listener l = server.listen(tb.any(), 80, 4096, new ConnectionOptions(), false);
            long[] tookOver = {0};
            server.addObserver(new StackObserver() {
                @Override
                public void transition(Stack s, FourTuple tuple, TcpConnection conn, TcpState from, TcpState to, String cause,
                                       long now) {
                    if (from == TcpState.TIME_WAIT && cause.startsWith(SYN_TAKEOVER_CAUSE)) tookOver[0]++;
                }
            });
            tb.trace("client1");
            tb.start(duration);
            Traffic t = new Traffic(tb, server, l, clients, targets);
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                t.step(tb.now() < duration);
                if (tb.now() + interval < duration || !t.idle()) tb.sim().scheduleIn(interval, tick[0]);
            };
            tb.sim().schedule(0, tick[0]);
            tb.sim().runUntil(duration + SECOND);
            return new Load(t.requests, t.answered, Math.max(t.peak, server.timeWaitCount()), server.timeWaitCount(),
                    server.counters().get(Counter.TCP_TIME_WAIT_OVERFLOW), t.failed,
                    server.sysctls().get(Sysctl.TCP_MAX_TW_BUCKETS), tookOver[0], (long) n * ports(server));
        }
    }

    /** The ephemeral ports a host's connect() draws from (net.ipv4.ip_local_port_range, both ends included). */
    private static int ports(Stack host) {
        return host.sysctls().get(Sysctl.IP_LOCAL_PORT_RANGE, 1) - host.sysctls().get(Sysctl.IP_LOCAL_PORT_RANGE, 0) + 1;
    }

    /** A client's request on its connection: sent yet, answered yet. */
    private static final class Request {
        final TcpConnection conn;
        boolean sent, answered;

        Request(TcpConnection conn) { this.conn = conn; }
    }

    /** The clients' and the server's applications, stepped at each request's time. */
    private static final class Traffic {
        final Testbed tb;
        final Stack server;
        final Listener listener;
        final List<Stack> clients;
        final List<IpAddress> targets;
        final List<Request> opening = new ArrayList<>();
        final List<TcpConnection> serving = new ArrayList<>();
        final byte[] buf = new byte[1024];
        long requests, answered, failed;
        int peak, next;

        Traffic(Testbed tb, Stack server, Listener listener, List<Stack> clients, List<IpAddress> targets) {
            this.tb = tb;
            this.server = server;
            this.listener = listener;
            this.clients = clients;
            this.targets = targets;
        }

        boolean idle() { return opening.isEmpty() && serving.isEmpty(); }

        void step(boolean newRequest) {
            long now = tb.now();
            if (newRequest) {
                int i = next++ % clients.size();
                opening.add(new Request(clients.get(i).connect(targets.get(i), 80, 0, new ConnectionOptions(), now)));
                requests++;
                clients.get(i).userCallDone();
            }
            for (TcpConnection a; (a = listener.accept()) != null; ) serving.add(a);
            serving.removeIf(s -> {
                if (s.read(buf, 0, buf.length, now) > 0) {
                    s.write(RESPONSE, 0, RESPONSE.length, now);
                    s.close(now); // the server closes first: the TIME-WAIT is the server's
                    return true;
                }
                return s.state() == TcpState.CLOSED;
            });
            server.userCallDone();
            opening.removeIf(r -> client(r, now));
            peak = Math.max(peak, server.timeWaitCount());
        }

        /** One client connection's step; true when it is done with. */
        private boolean client(Request r, long now) {
            TcpConnection c = r.conn;
            if (c.state() == TcpState.CLOSED) {
                failed++;
                return true;
            }
            if (!r.sent && c.state() == TcpState.ESTABLISHED) {
                c.write(REQUEST, 0, REQUEST.length, now);
                r.sent = true;
            }
            while (c.read(buf, 0, buf.length, now) > 0) r.answered = true;
            if (c.atEof()) {
                if (r.answered) answered++;
                c.close(now);
                return true;
            }
            return false;
        }
    }
}
