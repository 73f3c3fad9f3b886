package io.threeway.lab.bench;

import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.wire.IpAddress;
import java.util.function.BooleanSupplier;

/**
 * Two stacks, a client (198.18.0.1) and a server (198.18.0.2), joined by a perfect zero-delay link and driven
 * in virtual time from the calling thread. Two implementations: over the {@link io.threeway.sim.Simulator}, and
 * a direct pairing that hands each packet straight to the other stack through a FIFO, with only the two
 * stacks' timers to drive. Both put every packet through both stacks' full paths (build, checksum, parse,
 * demultiplex, state machine).
 */
abstract class Fabric implements AutoCloseable {
    static final IpAddress CLIENT = IpAddress.parse("198.18.0.1");
    static final IpAddress SERVER = IpAddress.parse("198.18.0.2");

    abstract Stack client();
    abstract Stack server();
    abstract long now();

    /** Runs until {@code condition} holds (checked after every packet and timer) or virtual time {@code limit}. */
    abstract boolean runUntil(BooleanSupplier condition, long limit);

    /** Runs every timer up to virtual time {@code t}. */
    abstract void runTo(long t);

    @Override
    public void close() { }

    static Fabric simulator(long seed, int mtu) {
        return new Sim(seed, mtu);
    }

    static Fabric direct(long seed, int mtu) {
        return new Direct(seed, mtu);
    }

    /** Over the simulator, with a {@link LinkConfig} of no delay and no impairment. */
    static final class Sim extends Fabric {
        private final Network net;
        private final Stack client;
        private final Stack server;

        Sim(long seed, int mtu) {
            net = new Network(seed);
            client = net.host("client");
            server = net.host("server");
            net.link(client, CLIENT.toString(), server, SERVER.toString(), LinkConfig.builder().mtu(mtu).build());
        }

        @Override Stack client() { return client; }
        @Override Stack server() { return server; }
        @Override long now() { return net.now(); }
        @Override boolean runUntil(BooleanSupplier c, long limit) { return net.sim().runUntil(c, limit); }
        @Override void runTo(long t) { net.sim().runUntil(t); }
        @Override public void close() { net.close(); }
    }

    /** Packets go into one FIFO and are delivered in order at the current virtual time; timers move the clock. */
    static final class Direct extends Fabric {
        private final Stack client;
        private final Stack server;
        private byte[][] packets = new byte[64][];
        private int[] lengths = new int[64];
        private Stack[] targets = new Stack[64];
        private int head;
        private int tail;
        private long now;

        Direct(long seed, int mtu) {
            client = new Stack("client", seed * 31 + "client".hashCode());
            server = new Stack("server", seed * 31 + "server".hashCode());
            client.addInterface(CLIENT, 15, (p, len, t) -> enqueue(server, p, len), mtu);
            server.addInterface(SERVER, 15, (p, len, t) -> enqueue(client, p, len), mtu);
        }

        private void enqueue(Stack to, byte[] p, int len) {
            if (tail - head == packets.length) grow();
            int i = tail++ & (packets.length - 1);
            packets[i] = p;
            lengths[i] = len;
            targets[i] = to;
        }

        private void grow() {
            int n = packets.length;
            byte[][] p = new byte[n * 2][];
            int[] l = new int[n * 2];
            Stack[] t = new Stack[n * 2];
            for (int k = 0; k < n; k++) {
                int i = (head + k) & (n - 1);
                p[k] = packets[i];
                l[k] = lengths[i];
                t[k] = targets[i];
            }
            packets = p;
            lengths = l;
            targets = t;
            tail = n;
            head = 0;
        }

        @Override Stack client() { return client; }
        @Override Stack server() { return server; }
        @Override long now() { return now; }

        @Override
        boolean runUntil(BooleanSupplier condition, long limit) {
            while (true) {
                if (condition.getAsBoolean()) return true;
                if (head != tail) {
                    int i = head++ & (packets.length - 1);
                    byte[] p = packets[i];
                    packets[i] = null;
                    targets[i].receive(p, 0, lengths[i], now);
                    continue;
                }
                long d = Math.min(client.nextDeadline(), server.nextDeadline());
                if (d > limit) {
                    if (limit != Long.MAX_VALUE && now < limit) now = limit;
                    return condition.getAsBoolean();
                }
                if (d > now) now = d;
                if (client.nextDeadline() <= now) client.advance(now);
                if (server.nextDeadline() <= now) server.advance(now);
            }
        }

        @Override
        void runTo(long t) {
            runUntil(() -> false, t);
        }
    }
}
