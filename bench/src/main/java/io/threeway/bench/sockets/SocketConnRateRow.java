package io.threeway.bench.sockets;

import io.threeway.bench.BenchResult;
import io.threeway.bench.BenchRow;
import io.threeway.bench.BenchSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code conn-rate}, socket part: Threeway's blocking sockets in real time against {@code java.net} on the
 * kernel's loopback, the same workload code on both ({@link Workloads#connectionRate}), with one client and
 * with {@value #CONCURRENT} concurrent clients.
 */
public final class SocketConnRateRow implements BenchRow {
    /** The concurrent variant's client threads. */
    static final int CONCURRENT = 64;

    @Override public String name() { return "conn-rate-sockets"; }

    @Override
    public String description() {
        return "blocking sockets (in-process real time) against java.net on the kernel's loopback, 1 and 64 clients";
    }

    @Override
    public List<BenchResult> run(BenchSettings s) throws Exception {
        List<BenchResult> out = new ArrayList<>();
        for (int clients : new int[] {1, CONCURRENT}) {
            double threeway;
            String threewayName;
            try (LibrarySide t = new LibrarySide(1500)) {
                threewayName = t.name();
                threeway = Workloads.connectionRate(t, clients, s);
            }
            double inline;
            try (ThreewaySide t = new ThreewaySide(1500, true)) {
                inline = Workloads.connectionRate(t, clients, s);
            }
            KernelSide k = new KernelSide();
            double kernel = Workloads.connectionRate(k, clients, s);
            String work = clients + (clients == 1 ? " client thread loops" : " client threads loop")
                    + " connect, read to EOF, close; one acceptor thread accepts and closes at once";
            out.add(new BenchResult("conn-rate", clients == 1 ? "sockets-sequential" : "sockets-" + clients,
                    threeway, kernel, k.name(), "conn/s", true, 3.0,
                    threewayName + ": " + work, "java.net on 127.0.0.1: " + work, null,
                    Map.of("clients", clients, "seconds", s.measureSeconds(), "threeway_inline_delivery", inline)));
        }
        return out;
    }
}
