/**
 * Threeway in your own Java code: networks of hosts running Threeway's user-space TCP/IP stack, in virtual time
 * (deterministic for a seed) or in real time, with socket factories per host, threads and executors the
 * simulator manages, host names that resolve inside the network, faults changeable during a run, and sealed
 * runs. Start at {@link io.threeway.api.Network}.
 *
 * <p>The module exports {@code io.threeway.api} only; the engine ({@code io.threeway.core}) is an
 * implementation detail it reads but does not pass on.
 */
module io.threeway {
    requires io.threeway.core;

    exports io.threeway.api;

    provides java.net.spi.InetAddressResolverProvider with io.threeway.api.NetworkNameResolver;
}
