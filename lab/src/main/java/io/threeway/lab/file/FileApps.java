package io.threeway.lab.file;

import io.threeway.lab.Testbed;
import io.threeway.lab.file.ScenarioFile.AppSpec;
import io.threeway.socket.ThreewaySockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * The file's applications as blocking socket code (java.net sockets on Threeway's socket API) running as the
 * simulator's application threads, so a run stays deterministic: each blocking call parks in virtual time.
 */
final class FileApps {
    private FileApps() {}

    /** Code that may throw, as socket code does. */
    interface Body {
        void run() throws Exception;
    }

    /** Starts {@code app} on {@code sockets} (its host); what it does goes into {@code stats}. */
    static void start(Testbed tb, AppSpec app, ThreewaySockets sockets, String server, AppStats stats, long end) {
        switch (app.kind()) {
            case HTTP_SERVER, ECHO_SERVER, SINK -> listen(tb, app, sockets, stats, end);
            case HTTP_CLIENT -> spawn(tb, app.label(), () -> { sleepUntil(tb, nanos(app, "start")); FileClients.http(tb, app, sockets, server, stats); });
            case ECHO_CLIENT -> spawn(tb, app.label(), () -> { sleepUntil(tb, nanos(app, "start")); FileClients.echo(tb, app, sockets, server, stats); });
            case BULK_SEND -> spawn(tb, app.label(), () -> { sleepUntil(tb, nanos(app, "start")); FileClients.bulk(tb, app, sockets, server, stats); });
            case IDLE -> spawn(tb, app.label(), () -> { sleepUntil(tb, nanos(app, "start")); FileClients.idle(tb, app, sockets, server, stats); });
        }
    }

    /** A server: listens, and serves each connection on a thread of its own. */
    static void listen(Testbed tb, AppSpec app, ThreewaySockets sockets, AppStats stats, long end) {
        spawn(tb, app.label(), () -> {
            ServerSocket ss = sockets.serverSocket(app.port(), (int) (long) (Long) app.values().get("backlog"));
            for (int i = 0; ; i++) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (IOException gone) {
                    return; // the host crashed: its listener is gone
                }
                stats.connections++;
                spawn(tb, app.label() + " #" + i, () -> {
                    try (s) {
                        serve(tb, app, s, stats, end);
                    } catch (IOException e) {
                        stats.error(e);
                    }
                });
            }
        });
    }

    private static void serve(Testbed tb, AppSpec app, Socket s, AppStats stats, long end) throws Exception {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[64 * 1024];
        switch (app.kind()) {
            case HTTP_SERVER -> {
                int size = (int) (long) (Long) app.values().get("response-size");
                for (String head; (head = HttpText.head(in)) != null; ) {
                    int body = HttpText.body(in, head); // blocks: add after, not inside, the +=
                    stats.bytesRead += head.length() + body;
                    sleepFor(tb, nanos(app, "work"));
                    boolean close = HttpText.closes(head);
                    byte[] answer = HttpText.response(size, !close);
                    out.write(answer);
                    out.flush();
                    stats.bytesWritten += answer.length;
                    stats.done++;
                    if (close) return; // the server closes first: the TIME-WAIT is the server's
                }
            }
            case ECHO_SERVER -> {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                    stats.bytesRead += n;
                    stats.bytesWritten += n;
                }
                stats.done++;
            }
            case SINK -> sink(tb, app, s, stats, end, buf);
            default -> throw new IllegalStateException(app.kind() + " is not a server");
        }
    }

    private static void sink(Testbed tb, AppSpec app, Socket s, AppStats stats, long end, byte[] buf) throws Exception {
        InputStream in = s.getInputStream();
        if (Boolean.TRUE.equals(app.values().get("close-without-reading"))) {
            while (in.available() == 0 && tb.now() < end) sleepFor(tb, 1_000_000);
            stats.done++;
            return; // closing with unread data: Linux sends a reset (RFC 2525 2.17)
        }
        Duration stop = (Duration) app.values().get("stop-reading-at");
        long stopAt = stop == null ? Long.MAX_VALUE : stop.toNanos();
        for (int n; tb.now() < stopAt && (n = in.read(buf)) > 0; ) stats.bytesRead += n;
        if (tb.now() >= stopAt) {
            sleepUntil(tb, end + HOLD); // holds the connection past the run's end, reading nothing
            return;
        }
        stats.done++;
    }

    /** How long past the run's end an application that holds its connection sleeps: it never wakes. */
    private static final long HOLD = 86_400_000_000_000L;

    static long nanos(AppSpec app, String key) {
        Object v = app.values().get(key);
        return v == null ? -1 : ((Duration) v).toNanos();
    }

    static void sleepUntil(Testbed tb, long at) throws InterruptedException {
        if (at > tb.now()) tb.sim().scheduler().sleep(at - tb.now());
    }

    static void sleepFor(Testbed tb, long nanos) throws InterruptedException {
        if (nanos > 0) tb.sim().scheduler().sleep(nanos);
    }

    static void spawn(Testbed tb, String name, Body body) {
        tb.sim().spawn(name, () -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the run is over
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(name + ": " + e, e);
            }
        });
    }
}
