package io.threeway.bench.sockets;

import io.threeway.api.Host;
import io.threeway.api.Network;
import io.threeway.bench.netns.NetNs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;

/**
 * Where a NIO workload runs: the same selector code on Threeway's channels (a host's
 * {@link Host#selectorProvider()} in the library's in-process real-time mode) or on the kernel's own provider
 * over loopback, so both sides of a comparison make exactly the same calls.
 */
public interface NioSide extends AutoCloseable {
    /** What this side is, for the report. */
    String name();

    /** Called first on every thread the workload starts (enters the network namespace where there is one). */
    default void enterThread() throws IOException { }

    /** The provider of the client's channels and selector. */
    SelectorProvider client();

    /** The provider of the server's channels and selector. */
    SelectorProvider server();

    /** The server's address with port 0, to bind its listening channel to. */
    InetSocketAddress serverBindAddress();

    @Override
    void close();

    /**
     * Threeway: a client and a server host of {@link Network#realTime} at {@code mtu}, joined by a perfect link,
     * with segmentation offload on (as the kernel's lo, whose TSO/GSO stay on).
     */
    static NioSide threeway(int mtu) {
        Network net = Network.realTime(1);
        Host client = net.host("client").mtu(mtu).offload(true);
        Host server = net.host("server").mtu(mtu).offload(true);
        net.link(client, server).mtu(mtu);
        return new NioSide() {
            @Override public String name() {
                return "Threeway's NIO (Host.selectorProvider()) through the library's in-process real-time mode "
                        + "(Network.realTime: two hosts' stacks in this JVM joined in memory at MTU " + mtu
                        + ", segmentation offload on as on lo)";
            }
            @Override public SelectorProvider client() { return client.selectorProvider(); }
            @Override public SelectorProvider server() { return server.selectorProvider(); }
            @Override public InetSocketAddress serverBindAddress() { return new InetSocketAddress(server.address(), 0); }
            @Override public void close() { net.close(); }
        };
    }

    /**
     * Threeway on the bench's own {@link RealTimePair} at {@code mtu}; with {@code inline}, packets are delivered by
     * the sending thread after its call: beside {@link #threeway} it shows what the library's driver hand-off costs.
     */
    static NioSide pair(int mtu, boolean inline) {
        RealTimePair pair = new RealTimePair(mtu, inline);
        return new NioSide() {
            @Override public String name() {
                return "Threeway's NIO on the bench's in-process pair (MTU " + mtu + (inline ? ", inline delivery)" : ")");
            }
            @Override public SelectorProvider client() { return pair.clientSockets().selectorProvider(); }
            @Override public SelectorProvider server() { return pair.serverSockets().selectorProvider(); }
            @Override public InetSocketAddress serverBindAddress() {
                return new InetSocketAddress(InetAddress.ofLiteral(RealTimePair.SERVER), 0);
            }
            @Override public void close() { pair.close(); }
        };
    }

    /**
     * The kernel's NIO ({@link SelectorProvider#provider()}, the JDK's epoll selector) on loopback: this process's,
     * or that of {@code ns} (null: this process's), which the workload's threads enter with setns(2).
     */
    static NioSide kernel(NetNs ns) {
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new NioSide() {
            @Override public String name() {
                return "the kernel's NIO (" + kernel + ", the JDK's epoll selector) on loopback"
                        + (ns == null ? "" : " in namespace " + ns.name() + " (lo MTU " + ns.loopbackMtu() + ")");
            }
            @Override public void enterThread() throws IOException { if (ns != null) ns.enterThisThread(); }
            @Override public SelectorProvider client() { return SelectorProvider.provider(); }
            @Override public SelectorProvider server() { return SelectorProvider.provider(); }
            @Override public InetSocketAddress serverBindAddress() {
                return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            }
            @Override public void close() { }
        };
    }
}
