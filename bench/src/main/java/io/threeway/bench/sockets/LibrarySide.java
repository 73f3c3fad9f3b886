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

    public LibrarySide(int mtu) {
        this.net = Network.realTime(1);
        this.client = net.host("client");
        this.server = net.host("server");
        net.link(client, server).mtu(mtu);
        this.mtu = mtu;
    }

    @Override
    public String name() {
        return "Threeway sockets through the library's in-process real-time mode (Network.realTime: two hosts' stacks "
                + "in this JVM joined in memory at MTU " + mtu + ", each packet delivered by the thread that sent it, the "
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
