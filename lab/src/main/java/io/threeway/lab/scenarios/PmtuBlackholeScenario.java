package io.threeway.lab.scenarios;

import static io.threeway.lab.scenarios.Addresses.*;

import io.threeway.host.Stack;
import io.threeway.lab.Findings;
import io.threeway.lab.OptionException;
import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.ScenarioParameter;
import io.threeway.lab.Testbed;
import io.threeway.settings.Sysctl;
import io.threeway.sim.Link;
import io.threeway.sim.Packet;
import io.threeway.sim.Rule;
import io.threeway.sim.Verdict;
import io.threeway.stats.Counter;
import io.threeway.tcp.ConnectionOptions;
import io.threeway.wire.Bytes;
import io.threeway.wire.IpAddress;
import io.threeway.wire.Ipv4Header;
import io.threeway.wire.Ipv6Header;
import io.threeway.wire.PacketBuilder;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A path MTU black hole (RFC 2923 §2.1): a hop on the path carries smaller packets than the hosts' links (a tunnel,
 * a VPN) and drops larger ones. If it says so with ICMP "fragmentation needed" (RFC 1191; ICMPv6 "packet too big",
 * RFC 8201), the sender lowers its MSS at once (Linux's tcp_v4_mtu_reduced) and resends; if a firewall eats that
 * ICMP, the handshake's small packets pass, every full-sized segment vanishes, and the connection stalls in
 * retransmission timeouts. Linux does the same with net.ipv4.tcp_mtu_probing=0, its default (Threeway has no
 * RFC 4821 probing yet). The usual cure, clamping the MSS to the path (iptables' TCPMSS, or TCP_MAXSEG), is the
 * third run.
 */
public final class PmtuBlackholeScenario implements Scenario {
    static final ScenarioParameter PATH_MTU = ScenarioParameter.integer("path-mtu", 1400, 576, 65_535,
            "The narrow hop's MTU in bytes: larger packets are dropped there.");
    static final ScenarioParameter SIZE = ScenarioParameter.integer("size", 200_000, 1, Integer.MAX_VALUE,
            "Bytes the client sends.");
    static final ScenarioParameter LIMIT = ScenarioParameter.duration("time-limit", "60s", "1s", null,
            "How long each transfer may take before the run stops it.");
    /** The narrow hop's address, on the path between the hosts: the source of its ICMP errors. */
    static final String ROUTER = "198.18.0.254";

    @Override public boolean supportsIpv6() { return true; }

    /** The common options this scenario refuses, each with its reason (an option is never silently ignored). */
    @Override
    public Map<String, String> refusedOptions() {
        return Map.of("duplicate", "TCP discards a duplicated segment (and ACKs it again), and a duplicated ICMP error "
                + "lowers the MSS no further: nothing it measures changes");
    }

    @Override public String name() { return "pmtu-blackhole"; }

    @Override public String summary() { return "A hop that drops large packets: with ICMP the MSS falls, without it the transfer stalls; then MSS clamping"; }

    @Override
    public List<String> help() {
        return List.of("Look for: with ICMP, one lost flight and the MSS at the path's size; without it, the same "
                        + "segment resent with doubling timeouts and nothing delivered past the handshake; clamped, no "
                        + "loss at all. Then try: --path-mtu 1280, --mtu 9000 (a jumbo LAN behind a normal path), -6.",
                "Settings that matter: net.ipv4.tcp_retries2 (when the stalled connection gives up; Threeway has no "
                        + "tcp_mtu_probing: it behaves as Linux's default 0, no RFC 4821 probing), "
                        + "net.ipv4.tcp_timestamps (12 bytes of each segment), TCP_MAXSEG. The path is 100 ms "
                        + "RTT; the narrow hop sits on the client's side. The pcap holds the run with ICMP.");
    }

    @Override public List<ScenarioParameter> parameters() { return List.of(PATH_MTU, SIZE, LIMIT); }

    /** One run's figures. */
    record Outcome(BulkFlows.Flow flow, long dropped, long icmpSent, long timeouts, long retransSegs) {}

    @Override
    public int run(ScenarioOptions options, PrintStream out) {
        int hop = options.intParam(PATH_MTU, 576);
        int link = options.link().mtu();
        if (hop >= link) throw new OptionException(PATH_MTU.name(), hop + " is not below the links' MTU " + link + ": the hop would drop nothing");
        if (options.ipv6() && hop < 1280) throw new OptionException(PATH_MTU.name(), hop + " is under IPv6's minimum link MTU of 1280 bytes");
        Outcome icmp = transfer(options, "icmp", true, false);
        Outcome hole = transfer(options, "blackhole", false, false);
        Outcome clamped = transfer(options, "clamped", false, true);
        Findings f = new Findings(name());
        f.say("A client sends " + options.param(SIZE) + " bytes over links of MTU " + link + " through a hop of MTU "
                + hop + " (" + options.rtt().toMillis() + " ms RTT). The handshake's packets are small and pass.");
        report(f.group("icmp"), icmp);
        report(f.group("blackhole"), hole);
        report(f.group("clamped"), clamped);
        f.conclude(String.format(Locale.ROOT, "With ICMP the MSS fell from %d to %d and the transfer took %s; without "
                        + "it %s; with the MSS clamped it took %s with %d packets dropped.", hole.flow.mssEnd(), icmp.flow.mssEnd(),
                took(icmp), hole.flow.completedAt() < 0 ? "it had delivered " + hole.flow.delivered() + " bytes when the run stopped it, after "
                        + hole.timeouts + " timeouts" : "it took " + took(hole), took(clamped), clamped.dropped));
        f.print(options, out);
        return 0;
    }

    private static void report(Findings.Group g, Outcome o) {
        g.seconds("transfer complete at", o.flow.completedAt()).put("bytes delivered", o.flow.delivered(), "bytes")
                .put("packets dropped by the narrow hop", o.dropped).put("ICMP errors the hop sent", o.icmpSent)
                .put("sender's MSS at the end", o.flow.mssEnd(), "bytes").put("segments retransmitted", o.retransSegs)
                .put("retransmission timeouts (TCPTimeouts)", o.timeouts);
    }

    private static String took(Outcome o) {
        return o.flow.completedAt() < 0 ? "longer than --time-limit" : String.format(Locale.ROOT, "%.3f s", o.flow.completedAt() / 1e9);
    }

    static Outcome transfer(ScenarioOptions options, String variant, boolean sendIcmp, boolean clamp) {
        int hop = options.intParam(PATH_MTU, 576);
        try (Testbed tb = new Testbed(options, variant, sendIcmp)) {
            Stack client = tb.host("client");
            Stack server = tb.host("server");
            Link link = tb.link(client, CLIENT, server, SERVER, tb.userPath());
            long[] counts = {0, 0};
            link.aToB().addRule(narrowHop(tb, client, hop, sendIcmp, counts));
            tb.trace("client");
            long limit = options.nanosParam(LIMIT);
            tb.start(limit);
            ConnectionOptions o = new ConnectionOptions();
            // TCP_MAXSEG at the path's MTU less the IP and TCP headers, as iptables' TCPMSS --clamp-mss-to-pmtu writes it
            if (clamp) o.maxSeg = hop - (tb.options().ipv6() ? 60 : 40);
            String cc = client.sysctls().getString(Sysctl.TCP_CONGESTION_CONTROL);
            BulkFlows.Flow flow = BulkFlows.run(tb, client, server, List.of(cc), options.longParam(SIZE), 0, limit, o).getFirst();
            return new Outcome(flow, counts[0], counts[1], client.counters().get(Counter.TCP_TIMEOUTS),
                    client.counters().get(Counter.RETRANS_SEGS));
        }
    }

    /**
     * The hop: drops a packet longer than {@code mtu} and, if {@code icmp}, tells {@code sender} with ICMP
     * "fragmentation needed" (type 3 code 4, the next-hop MTU in the second half of the rest) or ICMPv6 "packet
     * too big" (type 2, the MTU in the rest), quoting the dropped packet's start, half a millisecond later.
     * {@code counts}: packets dropped, ICMP errors sent.
     */
    static Rule narrowHop(Testbed tb, Stack sender, int mtu, boolean icmp, long[] counts) {
        return (Packet p, long now) -> {
            if (p.length() <= mtu) return Verdict.PASS;
            counts[0]++;
            if (icmp) {
                byte[] dropped = p.copy();
                boolean v6 = p.ipVersion() == 6;
                int quote = Math.min(dropped.length, v6 ? Ipv6Header.LENGTH + 8 : Ipv4Header.LENGTH + 8);
                byte[] m = new byte[8 + quote];
                m[0] = (byte) (v6 ? 2 : 3);
                m[1] = (byte) (v6 ? 0 : 4);
                Bytes.putInt(m, 4, mtu);
                System.arraycopy(dropped, 0, m, 8, quote);
                IpAddress from = tb.ip(ROUTER);
                IpAddress to = IpAddress.read(dropped, v6 ? 8 : 12, v6);
                byte[] error = PacketBuilder.buildIcmp(from, to, m, 0, m.length, (int) counts[1]);
                counts[1]++;
                tb.sim().scheduleIn(500_000, () -> sender.receive(error, 0, error.length, tb.now()));
            }
            return Verdict.DROP;
        };
    }
}
