package io.threeway.sim;

import io.threeway.host.PacketSink;
import io.threeway.wire.IpAddress;
import io.threeway.wire.PacketBuilder;
import io.threeway.wire.TcpFlags;
import io.threeway.wire.TcpSegment;
import java.util.SplittableRandom;

/**
 * The attacker of RFC 4987 §2 as a traffic source: SYNs to one port, at a steady rate, each from a random
 * spoofed address in 198.18.128.0/17 and a random port, put straight onto a link direction. Nobody answers
 * the SYN-ACKs, so a listener without SYN cookies fills its SYN queue with half-open entries.
 */
public final class SynFlood {
    /** The spoofed sources: 198.18.128.0/17 (2001:db8:80::/41 over IPv6), inside the project's test range and apart from its hosts. */
    private static final int SPOOF_BASE = 0xC6128000;
    private static final int SPOOF_SIZE = 0x8000;
    /** The first 64 bits of the spoofed sources over IPv6: 2001:db8::/32, the third group filled in per source. */
    private static final long SPOOF_V6_HI = 0x2001_0db8_0000_0000L;

    private final Simulator sim;
    private final PacketSink into;
    private final IpAddress target;
    private final int port;
    private final long interval;
    private final long until;
    private final SplittableRandom random;
    private final TcpSegment syn = new TcpSegment();
    private long sent;

    private SynFlood(Simulator sim, PacketSink into, IpAddress target, int port, long interval, long until, SplittableRandom random) {
        this.sim = sim;
        this.into = into;
        this.target = target;
        this.port = port;
        this.interval = interval;
        this.until = until;
        this.random = random;
    }

    /**
     * Starts a flood at {@code ratePerSecond} SYNs to {@code target}:{@code port} through {@code into}, from now
     * until virtual time {@code until}, drawing its randomness from {@code random}.
     */
    public static SynFlood start(Simulator sim, PacketSink into, IpAddress target, int port, long ratePerSecond,
                                 long until, SplittableRandom random) {
        if (ratePerSecond <= 0) throw new IllegalArgumentException("flood rate must be positive, got " + ratePerSecond);
        SynFlood f = new SynFlood(sim, into, target, port, Math.max(1, 1_000_000_000L / ratePerSecond), until, random);
        sim.schedule(sim.now(), f::next);
        return f;
    }

    /** SYNs sent so far. */
    public long sent() {
        return sent;
    }

    private void next() {
        syn.clear();
        syn.srcPort = 1024 + random.nextInt(60000);
        syn.dstPort = port;
        syn.seq = random.nextInt();
        syn.flags = TcpFlags.SYN;
        syn.window = 65535;
        syn.options.mss = 1460;
        int r = random.nextInt(SPOOF_SIZE);
        // Over IPv6 the same draw as the lab maps it: 198.18.C.D is 2001:db8:C::D (C from 128 up).
        IpAddress src = target.v6() ? IpAddress.v6(SPOOF_V6_HI | (long) ((SPOOF_BASE | r) >>> 8 & 0xff) << 16, r & 0xff)
                : IpAddress.v4(SPOOF_BASE | r);
        byte[] p = PacketBuilder.buildTcp(src, target, syn, 0);
        into.transmit(p, p.length, sim.now());
        sent++;
        if (sim.now() + interval < until) sim.scheduleIn(interval, this::next);
    }
}
