package io.threeway.bench.sockets;

import io.threeway.host.PacketSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Threeway's blocking sockets on the bench's own {@link RealTimePair} (clients on 198.18.0.1, servers on
 * 198.18.0.2): core's LoopbackDriver approach, or with inline delivery; beside the library's mode
 * ({@link LibrarySide}) it shows what the driver's thread hand-off costs.
 */
public final class ThreewaySide implements SocketSide {
    private final RealTimePair pair;
    private final int mtu;
    private final boolean inline;
    /** Whether the wire offloads segmentation (super-segments of several MSS). */
    private final boolean offload;

    /** Packets delivered by the event-loop thread (core's LoopbackDriver's approach). */
    public ThreewaySide(int mtu) {
        this(mtu, false);
    }

    /** With {@code inline}, packets delivered by the sending thread after its call ({@link RealTimePair}). */
    public ThreewaySide(int mtu, boolean inline) {
        this(mtu, inline, false);
    }

    /** {@link #ThreewaySide(int, boolean)}, with segmentation offload on the wire when {@code offload}. */
    public ThreewaySide(int mtu, boolean inline, boolean offload) {
        this.pair = new RealTimePair(mtu, inline, offload ? PacketSink.GSO_MAX_SIZE : 0);
        this.mtu = mtu;
        this.inline = inline;
        this.offload = offload;
    }

    @Override
    public String name() {
        return "Threeway sockets, in-process real time (two stacks over an in-memory link at MTU " + mtu
                + (offload ? " with segmentation offload (super-segments of up to 64 KiB)" : "")
                + (inline ? ", packets delivered by the sending thread after its call; an event-loop thread for timers)"
                        : ", one event-loop thread delivering every packet and firing timers)");
    }

    @Override
    public ServerSocket listen(int backlog) throws IOException {
        ServerSocket s = pair.serverSockets().serverSocket();
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(RealTimePair.SERVER), 0), backlog);
        return s;
    }

    @Override
    public Socket socket() throws IOException {
        return pair.clientSockets().socket();
    }

    @Override
    public InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(InetAddress.ofLiteral(RealTimePair.SERVER), server.getLocalPort());
    }

    @Override
    public void close() {
        pair.close();
    }
}
