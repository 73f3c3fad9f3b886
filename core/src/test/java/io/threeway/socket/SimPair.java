package io.threeway.socket;

import io.threeway.host.Stack;
import io.threeway.sim.LinkConfig;
import io.threeway.sim.Network;
import io.threeway.sim.Simulator;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Two stacks joined by a 50 ms link (100 ms RTT), each with its socket API on the simulator's scheduler. */
final class SimPair implements AutoCloseable {
    static final String CLIENT_IP = "198.18.0.1";
    static final String SERVER_IP = "198.18.0.2";
    static final long RTT = 100_000_000L;

    final Network net;
    final Simulator sim;
    final Stack clientStack;
    final Stack serverStack;
    final ThreewaySockets client;
    final ThreewaySockets server;

    SimPair(long seed) {
        this(seed, CLIENT_IP, SERVER_IP);
    }

    SimPair(long seed, String clientIp, String serverIp) {
        net = new Network(seed);
        sim = net.sim();
        clientStack = net.host("client");
        serverStack = net.host("server");
        net.link(clientStack, clientIp, serverStack, serverIp, LinkConfig.builder().delay(Duration.ofMillis(50)).build());
        client = ThreewaySockets.on(clientStack, sim.scheduler());
        server = ThreewaySockets.on(serverStack, sim.scheduler());
    }

    static InetSocketAddress server(int port) {
        return new InetSocketAddress(io.threeway.wire.IpAddress.parse(SERVER_IP).toInetAddress(), port);
    }

    /** Runs the simulation until every application thread has finished (or 1000 s of virtual time pass). */
    void runToCompletion() {
        sim.runUntil(() -> sim.scheduler().liveThreads() == 0, 1_000_000_000_000L);
        if (sim.scheduler().liveThreads() != 0) {
            throw new AssertionError("threads still live at " + sim.now() + " ns:\n" + sim.scheduler().describeThreads());
        }
    }

    @Override
    public void close() {
        net.close();
    }
}
