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
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.tcp.Errno;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * A slow accept() loop: many clients connect at once to a listener with a small backlog whose application
 * accepts one connection a second. The accept queue fills (Recv-Q on the listener reaches the backlog + 1, as
 * Linux's "more than the backlog" allows), further final ACKs are dropped (ListenOverflows, ListenDrops)
 * while those clients already believe they are connected, and the SYN-ACK retransmissions bring them in
 * later, one by one. With net.ipv4.tcp_abort_on_overflow=1 they are reset instead.
 */
public final class BacklogOverflowScenario implements Scenario {
    static final ScenarioParameter CLIENTS = ScenarioParameter.integer("clients", 20, 1, 1_000_000, "Clients connecting at once.");
    static final ScenarioParameter BACKLOG = ScenarioParameter.integer("backlog", 4, 0, 65_535, "The listener's backlog.");
    static final ScenarioParameter EVERY = ScenarioParameter.duration("accept-every", "1s", "0s", null, "Time the application takes per connection.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("mtu", "each client sends and gets three bytes, which any "
                + "MTU carries whole: nothing it measures changes");
    }

    @Override public String name() { return "backlog-overflow"; }

    @Override public String summary() { return "A slow accept() loop: Recv-Q on the listener, ListenOverflows, and the client's view"; }

    @Override
    public List<String> help() {
        return List.of("Look for: Recv-Q at backlog + 1 on the listener, ListenOverflows, and clients that believe they are connected. Then try: --backlog 8, --sysctl net.ipv4.tcp_abort_on_overflow=1, --sysctl net.ipv4.tcp_syncookies=0.",
                "Settings that matter: net.core.somaxconn (caps the backlog), net.ipv4.tcp_abort_on_overflow, "
                + "net.ipv4.tcp_synack_retries, net.ipv4.tcp_syncookies. Try: --at 2s --ss '-tlno'.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(CLIENTS, BACKLOG, EVERY); }

    record Outcome(int clients, int believedConnected, int maxRecvQ, int acceptLimit, long overflows, long drops,
                   int served, int reset, int timedOut, int waiting, long lastServed, long cookiesSent, long cookiesRecv) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome o = overflow(options);
        Findings f = new Findings(name());
        f.say(o.clients + " clients connect at once; the server accepts one every " + options.param(EVERY)
                + " (backlog " + options.param(BACKLOG) + ", tcp_abort_on_overflow="
                + options.sysctls().get(Sysctl.TCP_ABORT_ON_OVERFLOW) + ").");
        f.group("listener").put("accept queue limit (Send-Q)", o.acceptLimit).put("most waiting (Recv-Q)", o.maxRecvQ)
                .put("ListenOverflows", o.overflows).put("ListenDrops", o.drops)
                .put("SyncookiesSent", o.cookiesSent).put("SyncookiesRecv", o.cookiesRecv);
        f.group("clients").put("believed connected within one RTT", o.believedConnected).put("served", o.served)
                .put("reset", o.reset).put("timed out", o.timedOut)
                .put("still waiting after 10 min", o.waiting).seconds("last served at", o.lastServed);
        if (o.maxRecvQ > o.acceptLimit) {
            f.conclude("Recv-Q reached " + o.maxRecvQ + " over a limit of " + o.acceptLimit + ": Linux counts the accept queue "
                    + "full only when it holds MORE than the backlog (sk_acceptq_is_full tests >), so backlog + 1 "
                    + "connections wait.");
        }
        if (o.cookiesSent > 0) {
            f.conclude(o.cookiesSent + " of the " + o.clients + " SYNs were answered with a SYN cookie: the SYN queue holds at "
                    + "most the backlog (" + o.acceptLimit + ") half-open connections, and with net.ipv4.tcp_syncookies=1 "
                    + "Linux answers the others statelessly (tcp_conn_request's want_cookie) instead of dropping them; "
                    + o.cookiesRecv + " cookies came back in the clients' ACKs.");
        }
        if (o.overflows > 0) {
            f.conclude("While the accept queue was full, the server dropped the clients' ACKs (ListenOverflows " + o.overflows
                    + "): each client believed itself connected and resent what it had sent until accept() made "
                    + "room (tcp_abort_on_overflow=1 would reset them instead).");
        }
        f.print(options, out);
        return 0;
    }

    static Outcome overflow(ScenarioOptions options) {
        int n = options.intParam(CLIENTS, 1);
        long every = options.nanosParam(EVERY);
        try (Testbed tb = new Testbed(options, "", true)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            tb.link(c, CLIENT, s, SERVER, tb.userPath());
            tb.trace("client");
            Listener l = s.listen(tb.any(), 80, options.intParam(BACKLOG, 0), new ConnectionOptions(), false);
            tb.start(0);
            List<TcpConnection> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) clients.add(c.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), 0));
            c.userCallDone();
            int[] maxQ = {0};
            int[] served = {0};
            long[] lastServed = {-1};
            byte[] buf = new byte[64];
            byte[] ok = "ok\n".getBytes(StandardCharsets.US_ASCII);
            Runnable[] accept = new Runnable[1];
            accept[0] = () -> { // the application: one connection per interval, answered and closed
                TcpConnection a = l.accept();
                if (a != null) {
                    a.read(buf, 0, buf.length, tb.now()); // the request, if it came
                    a.write(ok, 0, ok.length, tb.now());
                    a.close(tb.now());
                    s.userCallDone();
                }
                tb.sim().scheduleIn(every, accept[0]);
            };
            tb.sim().schedule(every, accept[0]);
            boolean[] done = new boolean[n];
            boolean[] answered = new boolean[n]; // served: what happens to the connection after does not change that
            boolean[] asked = new boolean[n]; // each client sends its request once connected, as clients do
            Runnable[] watch = new Runnable[1];
            watch[0] = () -> {
                maxQ[0] = Math.max(maxQ[0], l.acceptQueueLength());
                for (int i = 0; i < n; i++) {
                    TcpConnection x = clients.get(i);
                    if (done[i]) continue;
                    if (!asked[i] && x.state() == TcpState.ESTABLISHED) asked[i] = x.write(ok, 0, ok.length, tb.now()) > 0;
                    if (x.read(buf, 0, buf.length, tb.now()) > 0) {
                        served[0]++;
                        answered[i] = true;
                        lastServed[0] = tb.now();
                        x.close(tb.now());
                        done[i] = true;
                    } else if (x.state() == TcpState.CLOSED) {
                        done[i] = true;
                    }
                }
                c.userCallDone();
                tb.sim().scheduleIn(MS, watch[0]);
            };
            tb.sim().schedule(0, watch[0]);
            tb.sim().runUntil(options.rtt().toNanos() + MS);
            int believed = (int) clients.stream().filter(x -> x.state() == TcpState.ESTABLISHED).count();
            tb.sim().runUntil(() -> {
                for (boolean d : done) if (!d) return false;
                return true;
            }, 600 * SECOND);
            int reset = 0;
            int timedOut = 0;
            for (int i = 0; i < n; i++) { // a client that was served and reset later (a lost FIN's answer) counts as served
                if (answered[i]) continue;
                if (clients.get(i).error() == Errno.ECONNRESET) reset++;
                if (clients.get(i).error() == Errno.ETIMEDOUT) timedOut++;
            }
            return new Outcome(n, believed, maxQ[0], l.acceptQueueLimit(), s.counters().get(Counter.LISTEN_OVERFLOWS),
                    s.counters().get(Counter.LISTEN_DROPS), served[0], reset, timedOut, n - served[0] - reset - timedOut,
                    lastServed[0], s.counters().get(Counter.SYNCOOKIES_SENT), s.counters().get(Counter.SYNCOOKIES_RECV));
        }
    }
}
