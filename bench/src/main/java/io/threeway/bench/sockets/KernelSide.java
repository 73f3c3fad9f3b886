package io.threeway.bench.sockets;

import io.threeway.bench.netns.NetNs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The kernel's sockets through {@code java.net} on loopback: 127.0.0.1 of this process's namespace, or of a
 * namespace the bench created (whose {@code lo} may have another MTU); threads enter it with setns(2).
 */
public final class KernelSide implements SocketSide {
    private final NetNs ns;
    private final String kernel;

    /** The kernel's loopback in this process's namespace. */
    public KernelSide() {
        this(null);
    }

    /** The kernel's loopback inside {@code ns} (null: this process's). The namespace stays the caller's. */
    public KernelSide(NetNs ns) {
        this.ns = ns;
        this.kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    @Override
    public String name() {
        return ns == null ? "kernel (" + kernel + ") loopback through java.net"
                : "kernel (" + kernel + ") loopback through java.net, in namespace " + ns.name() + " (lo MTU " + ns.loopbackMtu() + ")";
    }

    @Override
    public void enterThread() throws IOException {
        if (ns != null) ns.enterThisThread();
    }

    @Override
    public ServerSocket listen(int backlog) throws IOException {
        return ns == null ? bind(backlog) : ns.call(() -> bind(backlog));
    }

    private static ServerSocket bind(int backlog) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        return s;
    }

    @Override
    public Socket socket() {
        return new Socket();
    }

    @Override
    public InetSocketAddress address(ServerSocket server) {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() { }
}
