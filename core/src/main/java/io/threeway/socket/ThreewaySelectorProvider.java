package io.threeway.socket;

import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * NIO on one Threeway stack: a {@link SelectorProvider} whose socket channels, server socket channels and
 * selectors are the stack's, blocking through its {@link SocketRuntime} (virtual time in the simulator, the real
 * clock over TUN or in memory). Hand it to a framework that takes a provider (Netty's
 * {@code new NioEventLoopGroup(n, executor, provider)} and {@code new NioSocketChannel(provider)}), or use it
 * directly ({@code provider.openSocketChannel()}, {@code provider.openSelector()}). Get it from
 * {@link ThreewaySockets#selectorProvider()}: one per stack and runtime.
 *
 * <p>A selector takes the channels of every stack of the same runtime (all the hosts of one simulated network).
 * TCP only: datagram channels, pipes and UNIX-domain channels fail at once with an
 * {@link UnsupportedOperationException} that names them (a selector needs no pipe here: its wakeup is the
 * runtime's own).
 */
public final class ThreewaySelectorProvider extends SelectorProvider {
    /** The stack's sockets. */
    private final ThreewaySockets sockets;

    ThreewaySelectorProvider(ThreewaySockets sockets) {
        this.sockets = sockets;
    }

    /** The stack's socket API this provider's channels live on. */
    public ThreewaySockets sockets() {
        return sockets;
    }

    @Override
    public AbstractSelector openSelector() {
        return new ThreewaySelector(this);
    }

    @Override
    public ThreewaySocketChannel openSocketChannel() {
        return new ThreewaySocketChannel(this);
    }

    /** A socket channel; IPv4 and IPv6 are one dual-stack kind here, as on Linux. */
    @Override
    public ThreewaySocketChannel openSocketChannel(ProtocolFamily family) {
        checkFamily(family, "SocketChannel");
        return openSocketChannel();
    }

    @Override
    public ThreewayServerSocketChannel openServerSocketChannel() {
        return new ThreewayServerSocketChannel(this);
    }

    @Override
    public ThreewayServerSocketChannel openServerSocketChannel(ProtocolFamily family) {
        checkFamily(family, "ServerSocketChannel");
        return openServerSocketChannel();
    }

    @Override
    public DatagramChannel openDatagramChannel() {
        throw unsupported("DatagramChannel (UDP)");
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) {
        throw unsupported("DatagramChannel (UDP)");
    }

    @Override
    public Pipe openPipe() {
        throw unsupported("Pipe");
    }

    private static void checkFamily(ProtocolFamily family, String type) {
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw unsupported(type + " of protocol family " + family);
        }
    }

    /** The refusal of a type this provider does not make. */
    static UnsupportedOperationException unsupported(String type) {
        return new UnsupportedOperationException(type + " is not supported by Threeway's NIO provider, which has TCP"
                + " socket channels, server socket channels and selectors only");
    }

    @Override
    public String toString() {
        return "ThreewaySelectorProvider[" + sockets.stack().name() + "]";
    }
}
