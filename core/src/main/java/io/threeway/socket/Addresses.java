package io.threeway.socket;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/** The checks the JDK's channels make of a socket address they are given (its {@code Net.checkAddress}). */
final class Addresses {
    private Addresses() {}

    /**
     * {@code a} as an IP socket address: anything else is an UnsupportedAddressTypeException, a name not yet
     * resolved an UnresolvedAddressException.
     */
    static InetSocketAddress check(SocketAddress a) {
        if (!(a instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        if (isa.isUnresolved()) throw new UnresolvedAddressException();
        return isa;
    }
}
