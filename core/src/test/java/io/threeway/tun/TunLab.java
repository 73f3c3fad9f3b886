package io.threeway.tun;

import io.threeway.settings.Sysctls;
import io.threeway.sim.LinkConfig;
import io.threeway.wire.IpAddress;
import java.io.IOException;
import java.util.List;

/**
 * One interop experiment's set-up: a namespace, a TUN device whose kernel end is in it (198.18.0.1,
 * 2001:db8::1), and a Threeway stack on the device's other end in this JVM (198.18.0.2, 2001:db8::2).
 * {@link #close()} tears everything down in order: event loop, device, namespace.
 */
final class TunLab implements AutoCloseable {
    final NetNs ns;
    final TunStack host;

    private TunLab(NetNs ns, TunStack host) {
        this.ns = ns;
        this.host = host;
    }

    static TunLab start() throws IOException {
        return start(LinkConfig.PERFECT, LinkConfig.PERFECT);
    }

    static TunLab start(LinkConfig toStack, LinkConfig fromStack) throws IOException {
        return start(toStack, fromStack, TunDevice.Features.OFFLOAD);
    }

    /** A lab whose device has {@code features} (offloads, or one raw IP packet per read and write). */
    static TunLab start(LinkConfig toStack, LinkConfig fromStack, TunDevice.Features features) throws IOException {
        NetNs.assumeAvailable();
        NetNs ns = NetNs.create();
        TunStack host = null;
        try {
            String ifname = NetNs.uniqueName("tw");
            host = TunStack.open(ifname, List.of(
                    new TunStack.Address(IpAddress.parse(NetNs.STACK_V4), 15),
                    new TunStack.Address(IpAddress.parse(NetNs.STACK_V6), 64)), 1500, new Sysctls(), toStack, fromStack, 42, features);
            ns.adopt(ifname, 1500);
            return new TunLab(ns, host);
        } catch (IOException | RuntimeException e) {
            if (host != null) host.close();
            ns.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            ns.close();
        }
    }
}
