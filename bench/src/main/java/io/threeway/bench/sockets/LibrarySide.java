package io.threeway.bench.sockets;

import io.threeway.api.Host;
import io.threeway.api.Network;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Threeway as its users get it in one JVM: the library's in-process real-time mode ({@link Network#realTime}),
 * a client and a server host joined by a perfect link at the given MTU (so each packet is delivered by the thread
 * that sent it), the library's driver thread firing timers, application code on ordinary threads.
 */
public final class LibrarySide implements SocketSide {
    private final Network net;
    private final Host client;
    private final Host server;
    private final int mtu;
    /** Whether the hosts offload segmentation. */
    private final boolean offload;

    /** Hosts at {@code mtu} (their interfaces and the link), one packet per segment. */
    public LibrarySide(int mtu) {
        this(mtu, false);
    }

    /**
     * Hosts whose interfaces have {@code mtu}, joined by a link of that MTU; with {@code offload}, segmentation
     * offload on both interfaces (super-segments of up to 64 KiB, as the kernel's loopback with TSO/GSO).
     */
    public LibrarySide(int mtu, boolean offload) {
        this.net = Network.realTime(1);
        this.client = net.host("client").mtu(mtu).offload(offload);
        this.server = net.host("server").mtu(mtu).offload(offload);
        net.link(client, server).mtu(mtu);
        this.mtu = mtu;
        this.offload = offload;
    }

    @Override
    public String name() {
        return "Threeway sockets through the library's in-process real-time mode (Network.realTime: two hosts' stacks "
                + "in this JVM joined in memory at MTU " + mtu
                + (offload ? " with segmentation offload (Host.offload: super-segments of up to 64 KiB)" : "") + ", each packet delivered by the thread that sent it, the "
                + "library's driver thread firing timers; its default capture, 128 bytes of each packet)";
    }

    @Override
    public ServerSocket listen(int backlog) throws IOException {
        return server.listen(0, backlog);
    }

    @Override
    public Socket socket() throws IOException {
        return client.socketFactory().createSocket();
    }

    @Override
    public InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress(server.address(), s.getLocalPort());
    }

    @Override
    public void close() {
        net.close();
    }
}
