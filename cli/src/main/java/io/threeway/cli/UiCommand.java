package io.threeway.cli;

import io.threeway.web.LabServer;
import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threeway ui}: the web lab on 127.0.0.1, until Ctrl-C. Every file of the page comes from the jar, so
 * it works with no network at all.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serve the web lab on 127.0.0.1 and print its URL: run any scenario and watch it as a ladder"
                + " diagram, step through it, take segments apart, see the state machines, ss and nstat at any"
                + " moment, and the plots; open your own pcap files. Stops on Ctrl-C."})
public final class UiCommand implements Callable<Integer> {
    /** The port when none is given. */
    static final int DEFAULT_PORT = 8080;

    private final Terminal terminal;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--no-open", description = "Do not try to open a browser; only print the URL.")
    boolean noOpen;

    public UiCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port: " + port + " is not a port (0 to 65535)");
        LabServer server;
        try {
            server = LabServer.start(port);
        } catch (BindException e) {
            throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
                    + " (another program has it? try --port 0)", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "threeway-ui-stop"));
        terminal.out().println("Threeway lab: " + server.url() + "  (Ctrl-C stops it)");
        terminal.out().flush();
        if (!noOpen) Browser.open(server.url(), terminal);
        stopped.await();
        return 0;
    }
}
