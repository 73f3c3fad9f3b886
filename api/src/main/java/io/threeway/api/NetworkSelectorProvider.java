package io.threeway.api;

import io.threeway.sim.SimScheduler;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * NIO over Threeway for a whole JVM, so that code which never heard of Threeway (the JDK's
 * {@code java.net.http.HttpClient}, {@code com.sun.net.httpserver}, Netty's default NIO transport) runs over a
 * network's hosts unchanged. Start the JVM with
 * <pre>
 * -Djava.nio.channels.spi.SelectorProvider=io.threeway.api.NetworkSelectorProvider
 * --add-exports java.base/sun.nio.ch=ALL-UNNAMED
 * </pre>
 * (the property is read once, at the JVM's first use of NIO; the option lets it hand other threads the JDK's own
 * provider). Then {@code SocketChannel.open()}, {@code ServerSocketChannel.open()} and {@code Selector.open()}
 * give:
 * <ul>
 *   <li>on a thread that belongs to a host ({@link Host#spawn}, {@link Host#threadFactory}, {@link Host#executor}),
 *       that host's channels ({@link Host#selectorProvider()}); a selector takes the channels of every host of
 *       the network;</li>
 *   <li>on another thread of a network (one that belongs to no host), a selector of the network, but an
 *       {@link IOException} for a channel: which host's would it be?</li>
 *   <li>on any other thread, the kernel's channels, as without Threeway, except during a {@link Sealed sealed}
 *       run, which refuses them as {@link SealedSelectorProvider} does.</li>
 * </ul>
 * Datagram channels and pipes on a network's threads fail at once with an {@link UnsupportedOperationException}
 * naming them. Outside networks it is the JDK's provider.
 */
public final class NetworkSelectorProvider extends SelectorProvider {
    /** The JDK's provider, for threads outside networks. */
    private final SelectorProvider jdk;

    /**
     * Made by {@link SelectorProvider#provider()} from the system property.
     *
     * @throws IllegalStateException if the JDK's provider cannot be reached (the --add-exports option is missing)
     */
    public NetworkSelectorProvider() {
        this.jdk = JdkSelectorProvider.get(NetworkSelectorProvider.class);
    }

    /** The network the calling thread works in as one of its application threads (or adopted ones), or null. */
    private static Network network() {
        Network n = Networks.ofApplicationThread();
        if (n != null) return n;
        SimScheduler s = SimScheduler.ofCurrentThread();
        if (s == null) return null;
        for (Network each : Networks.open()) if (each.engine().runtime() == s) return each;
        return null;
    }

    /** The provider of a channel opened now: the thread's host's, or the JDK's outside networks. */
    private SelectorProvider forChannel(String what) throws IOException {
        Host h = Networks.currentHost();
        if (h != null) return h.selectorProvider();
        Network n = network();
        if (n != null) {
            throw new IOException(what + " on thread '" + Thread.currentThread().getName() + "' of " + n
                    + ", which belongs to no host: run that code on a thread of the host it should act as (Host.spawn,"
                    + " Host.threadFactory(), Host.executor(), e.g. HttpClient.newBuilder().executor(host.executor(\"http\"))),"
                    + " or hand the library host.selectorProvider()");
        }
        if (Sealed.active()) throw new IOException(Sealed.refusal(what));
        return jdk;
    }

    /** The provider for something that is not a TCP channel: a host's (which refuses it) on a network's thread. */
    private SelectorProvider forOther() {
        Host h = Networks.currentHost();
        if (h != null) return h.selectorProvider();
        Network n = network();
        if (n != null && !n.hosts().isEmpty()) return n.hosts().get(0).selectorProvider();
        return jdk;
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return forOther().openSelector();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return forChannel("a socket channel was opened").openSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return forChannel("a socket channel was opened").openSocketChannel(family);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return forChannel("a server socket channel was opened").openServerSocketChannel();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return forChannel("a server socket channel was opened").openServerSocketChannel(family);
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        SelectorProvider p = forOther();
        if (p == jdk && Sealed.active()) throw new IOException(Sealed.refusal("a datagram channel was opened"));
        return p.openDatagramChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        SelectorProvider p = forOther();
        if (p == jdk && Sealed.active()) throw new IOException(Sealed.refusal("a datagram channel was opened"));
        return p.openDatagramChannel(family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return forOther().openPipe();
    }
}
