package io.threeway.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * The echo service (RFC 862) on any {@link ServerSocket}: each accepted connection gets a virtual thread that
 * sends back what it reads until the client closes its side, then closes. Written against the blocking
 * socket API only, so it runs on a Threeway stack (simulated or on TUN) as on the kernel's.
 */
public final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;

    private EchoServer(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("echo-accept-" + server.getLocalPort()).unstarted(this::acceptLoop);
    }

    /** Starts serving on {@code server}; {@link #close()} closes it. */
    public static EchoServer start(ServerSocket server) {
        EchoServer s = new EchoServer(server);
        s.acceptor.start();
        return s;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().name("echo-" + s.getPort()).start(() -> echo(s));
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) out.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // reset or closed under us: the client is gone
        } catch (IOException e) {
            // nothing to tell: the connection ends
        }
    }

    public int port() { return server.getLocalPort(); }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
