package io.threeway.cli;

import io.threeway.app.EchoServer;
import io.threeway.app.HttpServer;
import io.threeway.app.ServerLimits;
import io.threeway.app.ServerRuntime;
import io.threeway.host.Stack;
import io.threeway.lab.record.RecordLimits;
import io.threeway.host.StackObserver;
import io.threeway.tools.HostSnapshot;
import io.threeway.tools.MetricsEndpoint;
import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.socket.ThreewaySocketOptions;
import io.threeway.stats.Counter;
import io.threeway.trace.PcapWriter;
import io.threeway.tun.TunStack;
import io.threeway.web.LabServer;
import io.threeway.web.LiveRecorder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threeway serve}: a Threeway stack on a TUN device serving HTTP/1.1 and echo until Ctrl-C, for the
 * kernel (curl, a browser, nc, ping) to talk to.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an HTTP/1.1 server (/, /bytes/N, POST /sha256, /status/N) and an echo server on a Threeway "
                + "stack attached to a TUN device, until Ctrl-C. Needs root (CAP_NET_ADMIN) and /dev/net/tun.",
                "Example: threeway serve --tun tw0 --addr 198.18.0.2/15 --kernel-addr 198.18.0.1/15 --http 80 --echo 7"})
public final class ServeCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin
    TunOptionsMixin tun;

    @Option(names = "--http", paramLabel = "PORT", description = "Serve HTTP on PORT (default: 80 when neither --http nor --echo is given).")
    Integer http;

    @Option(names = "--echo", paramLabel = "PORT", description = "Serve echo (RFC 862) on PORT.")
    Integer echo;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write every packet the stack sends and receives to FILE (pcap).")
    Path pcap;

    @Option(names = "--metrics", paramLabel = "PORT", description = {
            "Serve the stack's counters and socket states for Prometheus at http://127.0.0.1:PORT/metrics (node_exporter's "
                    + "names, e.g. node_netstat_TcpExt_ListenOverflows, node_tcp_connection_states). On the JVM's loopback, "
                    + "not on the stack: a scrape over the stack would change the counters it reads."})
    Integer metrics;

    @Option(names = "--control", paramLabel = "SOCKET", description = {
            "Answer 'threeway ss|nstat|netstat -s ... --control SOCKET' on this UNIX domain socket (e.g. "
                    + "/run/threeway/tw0.sock; the directory is created, a stale socket file replaced, the file removed "
                    + "on exit). Owner-only: ask as the user running serve. No default: a path is always given."})
    Path control;
    @Option(names = "--ui", paramLabel = "PORT", description = {
            "Serve the web lab's live mode at http://127.0.0.1:PORT/?live: the stack's packets, state changes and socket "
                    + "table as they happen (0 picks a free port)."})
    Integer ui;
    @Option(names = "--fastopen", paramLabel = "QLEN",
            description = "Accept TCP Fast Open (RFC 7413) data in SYNs on both servers, with up to QLEN such connections "
                    + "pending: TCP_FASTOPEN on the listeners and the server bit of net.ipv4.tcp_fastopen. Try it with "
                    + "curl --tcp-fastopen, twice (the first connection gets the cookie).")
    Integer fastOpenQueue;

    ServeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** How long stopping may take before the process is halted anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    @Override
    public Integer call() throws Exception {
        if (http == null && echo == null) http = 80;
        checkPort("--http", http, 1);
        checkPort("--echo", echo, 1);
        checkPort("--metrics", metrics, 0);
        checkPort("--ui", ui, 0);
        if (fastOpenQueue != null && fastOpenQueue < 1) throw new IllegalArgumentException("--fastopen: the queue length must be at least 1");
        List<AutoCloseable> open = new ArrayList<>();
        TunStack host = tun.open();
        PcapWriter[] writer = {null};
        ServeShutdown shutdown = new ServeShutdown(terminal, () -> closeAll(open, host, writer[0]), STOP_GRACE);
        String device = host.device().name();
        host.loop().onFailure(t -> shutdown.failed("the stack's driver thread on " + device, t));
        host.loop().onInternalError(t -> reportInternalError(t));
        String uiUrl = null;
        try {
            if (pcap != null) writer[0] = capture(host);
            Supplier<HostSnapshot> snapshot = () -> host.runtime().call(() -> HostSnapshot.of(host.stack(), host.runtime().now()));
            if (metrics != null) open.add(MetricsEndpoint.start(metrics, snapshot));
            if (control != null) open.add(ControlEndpoint.start(control, snapshot));
            if (ui != null) {
                LabServer lab = LabServer.start(ui, RecordLimits.WEB,
                        LiveRecorder.attach(host.stack(), host.runtime()));
                open.add(lab);
                uiUrl = lab.url() + "?live";
            }
            if (fastOpenQueue != null) {
                host.runtime().run(() -> {
                    Sysctls settings = host.stack().sysctls();
                    settings.set(Sysctl.TCP_FASTOPEN.sysctlName(), Integer.toString(settings.get(Sysctl.TCP_FASTOPEN) | 0x2));
                });
            }
            ServerRuntime apps = ServerRuntime.withClock(host.runtime()::now);
            if (http != null) open.add(HttpServer.start(listen(host, http), "threeway", ServerLimits.DEFAULT, apps));
            if (echo != null) open.add(EchoServer.start(listen(host, echo), ServerLimits.DEFAULT, apps));
        } catch (IOException | RuntimeException e) {
            closeAll(open, host, writer[0]);
            throw e;
        }
        printBanner(device, uiUrl);
        Runtime.getRuntime().addShutdownHook(shutdown.hook());
        int status = shutdown.await();
        if (status == 0) {
            terminal.err().println("threeway: stopped; " + host.stack().counters().get(Counter.PASSIVE_OPENS)
                    + " connections served");
            terminal.err().flush();
        }
        return status;
    }

    /** A port option's value must be a port; {@code min} is 0 where "any free port" makes sense. */
    private static void checkPort(String option, Integer port, int min) {
        if (port != null && (port < min || port > 65535)) {
            throw new IllegalArgumentException(option + " " + port + ": a port is " + min + " to 65535");
        }
    }

    /** The first exception the stack caught at its boundary: one line (the stack goes on; the counter says how many). */
    private void reportInternalError(Throwable t) {
        terminal.err().println("threeway: internal error in the stack (counted in TcpExtThreewayInternalErrors; "
                + "this is the first): " + t);
        if (System.getenv("THREEWAY_DEBUG") != null) t.printStackTrace(terminal.err());
        terminal.err().flush();
    }

    private PcapWriter capture(TunStack host) throws IOException {
        PcapWriter w = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(pcap)));
        host.runtime().run(() -> host.stack().addObserver(new StackObserver() {
            @Override
            public void packet(Stack stack, boolean outbound, byte[] p, int off, int len, long now) {
                try {
                    w.write(p, off, len, now);
                } catch (IOException e) {
                    // a full disk should not stop the server; the capture just ends short
                }
            }
        }));
        return w;
    }

    private void printBanner(String name, String uiUrl) {
        terminal.out().println("threeway: serving on " + name + " at " + tun.addr + (tun.addr6 != null ? " and " + tun.addr6 : "")
                + (http != null ? ", HTTP on port " + http : "") + (echo != null ? ", echo on port " + echo : "")
                + (metrics != null ? "; metrics at http://127.0.0.1:" + metrics + "/metrics" : "")
                + (control != null ? "; tools at " + control + " (threeway ss -tan --control " + control + ")" : "")
                + (uiUrl != null ? "; live web lab at " + uiUrl : ""));
        if (tun.kernelAddr == null) {
            terminal.out().println("threeway: configure the kernel's end, e.g.: ip addr add 198.18.0.1/" + tun.addr.prefixLength()
                    + " dev " + name + " && ip link set " + name + " up");
        }
        terminal.out().println("threeway: Ctrl-C stops");
        terminal.out().flush();
    }

    /** A server socket on every address, with TCP_FASTOPEN when --fastopen asks for it. */
    private ServerSocket listen(TunStack host, int port) throws IOException {
        ServerSocket s = host.sockets().serverSocket(port, 128);
        if (fastOpenQueue != null) s.setOption(ThreewaySocketOptions.TCP_FASTOPEN, fastOpenQueue);
        return s;
    }

    private static void closeAll(List<AutoCloseable> open, TunStack host, PcapWriter writer) {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a server socket cannot meaningfully fail here
            }
        }
        host.close();
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // the capture ends short
            }
        }
    }
}
