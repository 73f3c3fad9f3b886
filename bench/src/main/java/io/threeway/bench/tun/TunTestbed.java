package io.threeway.bench.tun;

import io.threeway.app.HttpServer;
import io.threeway.bench.Tools;
import io.threeway.bench.netns.NetNs;
import io.threeway.sim.LinkConfig;
import io.threeway.settings.Sysctls;
import io.threeway.tun.TunDevice;
import io.threeway.tun.TunStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * One side of the {@code tun} comparison, set up and torn down whole: a client namespace (198.18.0.1) whose
 * programs reach the same Java {@link HttpServer} at 198.18.0.2 either on Threeway over a TUN device (the
 * stack in this JVM) or on the kernel's sockets in a second namespace joined by a veth pair. {@link #close()}
 * removes every namespace and device it made.
 */
final class TunTestbed implements AutoCloseable {
    static final String CLIENT = "198.18.0.1";
    static final String SERVER = "198.18.0.2";
    static final int MTU = 1500;

    final NetNs client;
    private final NetNs serverNs;
    private final TunStack stack;
    private final HttpServer http;
    final String description;

    private TunTestbed(NetNs client, NetNs serverNs, TunStack stack, HttpServer http, String description) {
        this.client = client;
        this.serverNs = serverNs;
        this.stack = stack;
        this.http = http;
        this.description = description;
    }

    /**
     * Threeway on a TUN device, its kernel end in a new client namespace; {@code features}: with offloads
     * (virtio headers, GSO super-packets both ways) or one raw IP packet per read and write.
     */
    static TunTestbed threeway(TunDevice.Features features) throws IOException {
        NetNs ns = NetNs.create();
        TunStack stack = null;
        try {
            String ifname = NetNs.uniqueName("twt");
            stack = TunStack.open(ifname, List.of(TunStack.Address.parse(SERVER + "/15")), MTU, new Sysctls(),
                    LinkConfig.PERFECT, LinkConfig.PERFECT, 1, features);
            ns.adoptDevice(ifname, CLIENT + "/15", MTU);
            HttpServer http = HttpServer.start(stack.sockets().serverSocket(80, 4096), "threeway-bench");
            String offloads = features == TunDevice.Features.OFFLOAD
                    ? "IFF_VNET_HDR with TUNSETOFFLOAD (csum, TSO4, TSO6): the kernel's TSO super-packets taken whole, the stack's segments merged into GSO super-packets"
                    : "no offloads: one IP packet per read(2) and write(2)";
            return new TunTestbed(ns, null, stack, http, "Threeway (this JVM, one event-loop thread) on a TUN device at MTU "
                    + MTU + ", " + offloads + ", the kernel's end in the client's namespace");
        } catch (IOException | RuntimeException e) {
            if (stack != null) stack.close();
            ns.close();
            throw e;
        }
    }

    /** The kernel in a server namespace, a veth pair to a new client namespace. */
    static TunTestbed kernel() throws IOException {
        NetNs c = NetNs.create();
        NetNs s = null;
        try {
            s = NetNs.create();
            String a = NetNs.uniqueName("twva");
            String b = NetNs.uniqueName("twvb");
            Tools.run(List.of("ip", "link", "add", a, "type", "veth", "peer", "name", b), 30);
            c.adoptDevice(a, CLIENT + "/15", MTU);
            s.adoptDevice(b, SERVER + "/15", MTU);
            ServerSocket listener = s.call(() -> {
                ServerSocket ss = new ServerSocket();
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(InetAddress.ofLiteral(SERVER), 80), 4096);
                return ss;
            });
            HttpServer http = HttpServer.start(listener, "kernel-bench");
            return new TunTestbed(c, s, null, http, "the kernel's sockets (java.net) in a server namespace, a veth pair at MTU "
                    + MTU + " to the client's namespace (veth keeps its default offloads: TSO/GSO/GRO with 64 KiB super-packets)");
        } catch (IOException | RuntimeException e) {
            if (s != null) s.close();
            c.close();
            throw e;
        }
    }

    /** The server's URL for {@code path}. */
    String url(String path) {
        return "http://" + SERVER + path;
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            // closing the listener of a bench that is ending; nothing to report
        }
        if (stack != null) stack.close();
        client.close();
        if (serverNs != null) serverNs.close();
    }

}
