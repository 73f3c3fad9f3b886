package io.threeway.api;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * The NIO half of {@link Sealed}: set as the JVM's selector provider with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.threeway.api.SealedSelectorProvider} (and
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}), it refuses kernel socket channels during a sealed
 * run and hands everything else to the JDK's own provider. {@link NetworkSelectorProvider} guards the same way and
 * also gives a network's threads Threeway's channels.
 */
public final class SealedSelectorProvider extends SelectorProvider {
    /** The JDK's provider. */
    private final SelectorProvider jdk;

    /**
     * Made by {@link SelectorProvider#provider()} from the system property.
     *
     * @throws IllegalStateException if the JDK's provider cannot be reached (the --add-exports option is missing)
     */
    public SealedSelectorProvider() {
        this.jdk = JdkSelectorProvider.get(SealedSelectorProvider.class);
    }

    private void check(String what) throws IOException {
        if (Sealed.active()) throw new IOException(Sealed.refusal(what));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        check("a datagram channel was opened");
        return jdk.openDatagramChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        check("a datagram channel was opened");
        return jdk.openDatagramChannel(family);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return jdk.openPipe();
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return jdk.openSelector();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        check("a server socket channel was opened");
        return jdk.openServerSocketChannel();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        check("a server socket channel was opened");
        return jdk.openServerSocketChannel(family);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        check("a socket channel was opened");
        return jdk.openSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        check("a socket channel was opened");
        return jdk.openSocketChannel(family);
    }
}
