package io.threeway.tun;

import io.threeway.host.Stack;
import io.threeway.settings.Sysctls;
import io.threeway.sim.LinkConfig;
import io.threeway.socket.RealTimeRuntime;
import io.threeway.socket.ThreewaySockets;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.util.List;

/**
 * A Threeway host on a real network: a {@link Stack} with its addresses on a {@link TunDevice}, driven by a
 * {@link TunEventLoop}, with the blocking socket API ready on it. What the CLI's {@code serve} and {@code curl}
 * and the interop tests start from:
 * <pre>{@code
 * try (TunStack host = TunStack.open("tw0", List.of(new TunStack.Address(IpAddress.parse("198.18.0.2"), 15)),
 *         1500, LinkConfig.PERFECT, LinkConfig.PERFECT, 1)) {
 *     // configure the kernel's end of tw0 with ip(8), then:
 *     ServerSocket server = host.sockets().serverSocket(80);
 * }
 * }</pre>
 * The kernel's end of the device (its address, bringing it up, moving it into a namespace) is configured
 * by the caller with {@code ip(8)}.
 */
public final class TunStack implements AutoCloseable {

    /** One address of the stack, with its prefix length (the on-link route). */
    public record Address(IpAddress address, int prefixLength) {
        /** Parses {@code 198.18.0.2/15} or {@code 2001:db8::2/64}. */
        public static Address parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) throw new IllegalArgumentException("expected ADDRESS/PREFIX, got '" + cidr + "'");
            IpAddress a = IpAddress.parse(cidr.substring(0, slash));
            int len;
            try {
                len = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
            }
            if (len < 0 || len > (a.v6() ? 128 : 32)) throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
            return new Address(a, len);
        }

        @Override
        public String toString() { return address + "/" + prefixLength; }
    }

    private final TunDevice device;
    private final Stack stack;
    private final RealTimeRuntime runtime;
    private final TunEventLoop loop;
    private final ThreewaySockets sockets;

    private TunStack(TunDevice device, Stack stack, RealTimeRuntime runtime, TunEventLoop loop) {
        this.device = device;
        this.stack = stack;
        this.runtime = runtime;
        this.loop = loop;
        this.sockets = ThreewaySockets.on(stack, runtime);
    }

    /**
     * Creates TUN interface {@code ifname} with offloads ({@link TunDevice.Features#OFFLOAD}: GSO super-packets
     * both ways, checksums left partial), a stack with Linux's default settings holding {@code addresses}
     * on it at {@code mtu}, and starts its event loop with the given impairments (toward the stack, from the
     * stack) drawn from {@code seed}.
     */
    public static TunStack open(String ifname, List<Address> addresses, int mtu, LinkConfig toStack, LinkConfig fromStack,
                                long seed) throws IOException {
        return open(ifname, addresses, mtu, new Sysctls(), toStack, fromStack, seed);
    }

    public static TunStack open(String ifname, List<Address> addresses, int mtu, Sysctls sysctls, LinkConfig toStack,
                                LinkConfig fromStack, long seed) throws IOException {
        return open(ifname, addresses, mtu, sysctls, toStack, fromStack, seed, TunDevice.Features.OFFLOAD);
    }

    /** As above, with the device's {@code features} ({@link TunDevice.Features#RAW_IP}: one packet per read and write, no offloads). */
    public static TunStack open(String ifname, List<Address> addresses, int mtu, Sysctls sysctls, LinkConfig toStack,
                                LinkConfig fromStack, long seed, TunDevice.Features features) throws IOException {
        if (addresses.isEmpty()) throw new IllegalArgumentException("a stack needs an address");
        TunDevice device = TunDevice.open(ifname, features);
        try {
            Stack stack = new Stack(ifname, sysctls, seed);
            RealTimeRuntime runtime = new RealTimeRuntime();
            TunEventLoop loop = new TunEventLoop(stack, device, runtime, toStack, fromStack, seed);
            runtime.run(() -> {
                for (Address a : addresses) stack.addInterface(a.address(), a.prefixLength(), loop.sink(), mtu);
            });
            TunStack host = new TunStack(device, stack, runtime, loop);
            loop.start();
            return host;
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    public TunDevice device() { return device; }

    public Stack stack() { return stack; }

    public RealTimeRuntime runtime() { return runtime; }

    public TunEventLoop loop() { return loop; }

    public ThreewaySockets sockets() { return sockets; }

    /** Stops the event loop, then closes the device (which removes the interface). */
    @Override
    public void close() {
        loop.close();
        device.close();
    }
}
