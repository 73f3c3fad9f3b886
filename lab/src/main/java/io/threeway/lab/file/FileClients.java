package io.threeway.lab.file;

import io.threeway.lab.Testbed;
import io.threeway.lab.file.ScenarioFile.AppSpec;
import io.threeway.socket.ThreewaySockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** The file's client applications (see {@link AppKind}); each counts what it did into its {@link AppStats}. */
final class FileClients {
    private FileClients() {}

    static void http(Testbed tb, AppSpec app, ThreewaySockets sockets, String server, AppStats stats) throws Exception {
        long requests = (Long) app.values().get("requests");
        long every = FileApps.nanos(app, "every");
        int size = (int) (long) (Long) app.values().get("request-size");
        long start = tb.now();
        if (Boolean.TRUE.equals(app.values().get("keep-alive"))) {
            try (Socket s = connect(sockets, server, app, stats)) {
                for (long i = 0; i < requests; i++) {
                    FileApps.sleepUntil(tb, start + i * every);
                    exchange(tb, s, HttpText.request(size, true), stats);
                }
            } catch (IOException e) {
                stats.error(e);
            }
            stats.finishedAt = tb.now();
            return;
        }
        int[] live = {0};
        for (long i = 0; i < requests; i++) {
            FileApps.sleepUntil(tb, start + i * every);
            live[0]++;
            FileApps.spawn(tb, app.label() + " #" + i, () -> {
                try (Socket s = connect(sockets, server, app, stats)) {
                    exchange(tb, s, HttpText.request(size, false), stats);
                    while (s.getInputStream().read() >= 0) { } // the server closes first
                } catch (IOException e) {
                    stats.error(e);
                }
                live[0]--;
            });
        }
        tb.sim().scheduler().await(() -> live[0] == 0, Long.MAX_VALUE);
        stats.finishedAt = tb.now();
    }

    /** One request and its whole answer, timed. */
    private static void exchange(Testbed tb, Socket s, byte[] request, AppStats stats) throws IOException {
        long t0 = tb.now();
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
        stats.bytesWritten += request.length;
        String head = HttpText.head(s.getInputStream());
        if (head == null) throw new IOException("the server closed the connection without answering");
        int body = HttpText.body(s.getInputStream(), head); // blocks: add after, not inside, the += (other threads count too)
        stats.bytesRead += head.length() + body;
        stats.latencies.add(tb.now() - t0);
        stats.done++;
    }

    static void echo(Testbed tb, AppSpec app, ThreewaySockets sockets, String server, AppStats stats) throws Exception {
        long messages = (Long) app.values().get("messages");
        long every = FileApps.nanos(app, "every");
        byte[] message = new byte[(int) (long) (Long) app.values().get("size")];
        long start = tb.now();
        try (Socket s = connect(sockets, server, app, stats)) {
            for (long i = 0; i < messages; i++) {
                FileApps.sleepUntil(tb, start + i * every);
                long t0 = tb.now();
                s.getOutputStream().write(message);
                s.getOutputStream().flush();
                stats.bytesWritten += message.length;
                s.getInputStream().readNBytes(message.length);
                stats.bytesRead += message.length;
                stats.latencies.add(tb.now() - t0);
                stats.done++;
            }
        } catch (IOException e) {
            stats.error(e);
        }
        stats.finishedAt = tb.now();
    }

    static void bulk(Testbed tb, AppSpec app, ThreewaySockets sockets, String server, AppStats stats) throws Exception {
        long size = (Long) app.values().get("size");
        byte[] chunk = new byte[64 * 1024];
        try (Socket s = connect(sockets, server, app, stats)) {
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < size; ) {
                int n = (int) Math.min(chunk.length, size - sent);
                out.write(chunk, 0, n);
                sent += n;
                stats.bytesWritten += n;
            }
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) { } // the sink's FIN: it has read everything
            stats.done++;
            stats.finishedAt = tb.now();
        } catch (IOException e) {
            stats.error(e);
        }
    }

    static void idle(Testbed tb, AppSpec app, ThreewaySockets sockets, String server, AppStats stats) throws Exception {
        try (Socket s = connect(sockets, server, app, stats)) {
            s.setKeepAlive(Boolean.TRUE.equals(app.values().get("keepalive")));
            int c = s.getInputStream().read();
            if (c < 0) stats.done++; // the server closed it
            stats.finishedAt = tb.now();
        } catch (IOException e) {
            stats.error(e);
            stats.finishedAt = tb.now();
        }
    }

    private static Socket connect(ThreewaySockets sockets, String server, AppSpec app, AppStats stats) throws IOException {
        Socket s = sockets.socketFactory().createSocket(server, app.port());
        stats.connections++;
        s.setTcpNoDelay(true);
        return s;
    }
}
