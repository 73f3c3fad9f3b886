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
import io.threeway.tcp.TcpException;
import io.threeway.tcp.TcpConnection;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/**
 * An application that never closes: each client sends a request, reads the answer and closes; the server
 * answers but forgets close() (the bug the seeds describe), so each of its sockets stays in CLOSE-WAIT for
 * as long as the process lives, counted in CurrEstab and visible with {@code ss -tan state close-wait}. The
 * clients' side, orphaned in FIN-WAIT-2, is cleaned up after net.ipv4.tcp_fin_timeout.
 */
public final class CloseWaitLeakScenario implements Scenario {
    static final ScenarioParameter REQUESTS = ScenarioParameter.integer("requests", 50, 1, 10_000_000, "Requests, one connection each.");
    static final ScenarioParameter EVERY = ScenarioParameter.duration("every", "100ms", "1us", null, "Time between requests.");

    /** Runs over IPv6 too ({@code -6}): its addresses map to 2001:db8::/32. */
    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of(
                "duplicate", "TCP discards a duplicated segment (and ACKs it again): what piles up in CLOSE-WAIT, and "
                        + "when the client's sockets go, do not change",
                "mtu", "requests and answers are a few bytes, which any MTU carries whole: nothing it measures changes");
    }

    @Override public String name() { return "close-wait-leak"; }

    @Override public String summary() { return "A server that never calls close(): CLOSE-WAIT piles up; the client's FIN-WAIT-2 expires"; }

    @Override
    public List<String> help() {
        return List.of("Look for: CLOSE-WAIT sockets that never go away on the server, and the clients' FIN-WAIT-2 expiring after tcp_fin_timeout. Then try: --sysctl net.ipv4.tcp_fin_timeout=10, --requests 500 --every 1ms (ports run out).",
                "Settings that matter: net.ipv4.tcp_fin_timeout (60 s: the clients' orphaned FIN-WAIT-2). "
                + "Try: --ss '-tan state close-wait' --host server.");
    }

    @Override
    public List<ScenarioParameter> parameters() { return List.of(REQUESTS, EVERY); }

    record Outcome(int requests, int closeWait, long currEstab, int finWait2AtLastRequest, long clientSocketsGoneAfter,
                   int clientSocketsAtEnd, PortExhaustion exhaustion) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        Outcome o = leak(options);
        Findings f = new Findings(name());
        f.say(o.requests + " requests, one connection each; the server answers and never closes.");
        f.group("server").put("sockets in CLOSE-WAIT at the end", o.closeWait).put("CurrEstab", o.currEstab);
        Findings.Group client = f.group("client");
        client.put("FIN-WAIT-2 after the last request", o.finWait2AtLastRequest)
                .seconds("all gone after the last close (tcp_fin_timeout " + options.sysctls().get(Sysctl.TCP_FIN_TIMEOUT) + " s)",
                        o.clientSocketsGoneAfter)
                .put("sockets at the end", o.clientSocketsAtEnd);
        o.exhaustion.report(client);
        if (o.exhaustion.happened()) {
            f.conclude(o.exhaustion.sentence("Each client socket keeps its port until tcp_fin_timeout ends its orphaned FIN-WAIT-2:"));
        }
        f.print(options, out);
        return 0;
    }

    static Outcome leak(ScenarioOptions options) {
        int n = options.intParam(REQUESTS, 1);
        long every = options.nanosParam(EVERY);
        try (Testbed tb = new Testbed(options, "", true)) {
            Stack c = tb.host("client");
            Stack s = tb.host("server");
            tb.link(c, CLIENT, s, SERVER, tb.userPath());
            tb.trace("client");
            Listener l = s.listen(tb.any(), 80, 128, new ConnectionOptions(), false);
            long finTimeout = options.sysctls().get(Sysctl.TCP_FIN_TIMEOUT) * SECOND;
            tb.start(n * every + finTimeout);
            List<TcpConnection> clients = new ArrayList<>();
            List<TcpConnection> accepted = new ArrayList<>();
            byte[] request = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] buf = new byte[256];
            long[] lastClose = {-1};
            PortExhaustion ports = new PortExhaustion();
            int[] opened = {0};
            Runnable[] open = new Runnable[1];
            open[0] = () -> {
                try {
                    clients.add(c.connect(tb.ip(SERVER), 80, 0, new ConnectionOptions(), tb.now()));
                } catch (TcpException e) {
                    if (e.errno() != Errno.EADDRNOTAVAIL) throw e;
                    ports.failed(tb.now(), c.connectionCount(), c.timeWaitCount());
                }
                c.userCallDone();
                if (++opened[0] < n) tb.sim().scheduleIn(every, open[0]);
            };
            tb.sim().schedule(0, open[0]);
            boolean[] sent = new boolean[n];
            boolean[] closed = new boolean[n];
            Runnable[] apps = new Runnable[1];
            apps[0] = () -> {
                long now = tb.now();
                for (int i = 0; i < clients.size(); i++) {
                    TcpConnection x = clients.get(i);
                    if (!sent[i] && x.state() == TcpState.ESTABLISHED) sent[i] = x.write(request, 0, request.length, now) > 0;
                    if (sent[i] && !closed[i] && x.read(buf, 0, buf.length, now) > 0) {
                        x.close(now);
                        closed[i] = true;
                        lastClose[0] = now;
                    }
                }
                c.userCallDone();
                for (TcpConnection a; (a = l.accept()) != null; ) accepted.add(a);
                for (TcpConnection a : accepted) {
                    if (a.read(buf, 0, buf.length, now) > 0) a.write(answer, 0, answer.length, now); // and no close()
                }
                s.userCallDone();
                if (opened[0] < n || clients.stream().anyMatch(x -> x.state() != TcpState.FIN_WAIT_2
                        && x.state() != TcpState.CLOSED)) {
                    tb.sim().scheduleIn(MS, apps[0]);
                }
            };
            tb.sim().schedule(0, apps[0]);
            tb.sim().runUntil(() -> opened[0] == n && clients.stream().allMatch(x -> x.state() == TcpState.FIN_WAIT_2
                    || x.state() == TcpState.CLOSED), 600 * SECOND);
            int finWait2 = (int) clients.stream().filter(x -> x.state() == TcpState.FIN_WAIT_2).count();
            tb.sim().runUntil(() -> c.connectionCount() == 0, tb.now() + finTimeout + 10 * SECOND);
            long goneAfter = c.connectionCount() == 0 && lastClose[0] >= 0 ? tb.now() - lastClose[0] : -1;
            int closeWait = (int) s.connections().stream().filter(x -> x.state() == TcpState.CLOSE_WAIT).count();
            return new Outcome(n, closeWait, s.counters().get(Counter.CURR_ESTAB), finWait2, goneAfter, c.connectionCount(),
                    ports);
        }
    }
}
