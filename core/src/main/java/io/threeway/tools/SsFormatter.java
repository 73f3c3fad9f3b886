package io.threeway.tools;

import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints a socket table the way iproute2's {@code ss -t} does:
 * <pre>
 * State      Recv-Q Send-Q  Local Address:Port   Peer Address:Port
 * LISTEN     0      128           0.0.0.0:8080        0.0.0.0:*
 * ESTAB      0      0            10.0.1.5:52431      10.0.2.10:5432
 * </pre>
 * Columns as ss lays them out: the state padded to 11, the queues to 7, each address right-aligned and each
 * port left-aligned around its colon, the widths growing with the longest entry. The State column is left out
 * when the filter names exactly one state, as ss does. {@code -o} appends
 * {@code timer:(on|persist|keepalive|timewait,TIME,COUNT)} with ss's time format ({@code 1min}, {@code 59sec},
 * {@code 1.500ms}); {@code -i} adds a tab-indented line of the fields that mean something for the connection,
 * in ss's order; {@code -s} prints {@code TCP: N (estab N, closed N, orphaned N, timewait N)}.
 *
 * <p>Which sockets: ss's default is connected sockets without LISTEN, SYN-RECV and TIME-WAIT; {@code -l}
 * listeners only; {@code -a} every socket; {@code state ...} exactly the states named.
 */
public final class SsFormatter {
    private SsFormatter() {}

    /** Services ss names without {@code -n} (from /etc/services), for the ports experiments use. */
    private static final Map<Integer, String> SERVICES = Map.of(22, "ssh", 25, "smtp", 53, "domain", 80, "http",
            443, "https", 3306, "mysql", 5432, "postgresql", 6379, "redis", 8080, "http-alt");

    private static final Set<TcpState> DEFAULT_STATES = EnumSet.complementOf(
            EnumSet.of(TcpState.LISTEN, TcpState.CLOSED, TcpState.TIME_WAIT, TcpState.SYN_RECEIVED));

    /** The lines ss prints for {@code host} with these options and filter (each without a line break). */
    public static List<String> format(HostSnapshot host, SsOptions o, SsFilter filter) {
        if (o.summary()) return summary(host);
        Set<TcpState> defaults = o.all() ? EnumSet.allOf(TcpState.class)
                : o.listening() ? EnumSet.of(TcpState.LISTEN) : DEFAULT_STATES;
        List<SocketEntry> rows = new ArrayList<>();
        for (SocketEntry e : host.sockets()) {
            if (o.ipv4() && e.localAddress().v6() || o.ipv6() && !e.localAddress().v6()) continue;
            if (filter.matches(e, defaults)) rows.add(e);
        }
        boolean showState = filter.states() == null || filter.states().size() != 1;
        int localW = "Local Address".length();
        int localPortW = "Port".length();
        int peerW = "Peer Address".length() + 1;
        int recvW = 6;
        int sendW = 6;
        for (SocketEntry e : rows) {
            localW = Math.max(localW, address(e.localAddress()).length());
            localPortW = Math.max(localPortW, port(e.localPort(), o.numeric()).length());
            peerW = Math.max(peerW, address(e.peerAddress()).length());
            recvW = Math.max(recvW, Integer.toString(e.recvQ()).length());
            sendW = Math.max(sendW, Integer.toString(e.sendQ()).length());
        }
        List<String> out = new ArrayList<>(rows.size() * 2 + 1);
        out.add(line(showState, "State", "Recv-Q", "Send-Q", "Local Address", "Port", "Peer Address", "Port",
                recvW, sendW, localW, localPortW, peerW, null));
        for (SocketEntry e : rows) {
            String timer = o.timers() && e.timer() != null
                    ? "timer:(" + e.timer() + "," + timerTime(e.timerLeft()) + "," + e.timerCount() + ")" : null;
            out.add(line(showState, e.state().ssName(), Integer.toString(e.recvQ()), Integer.toString(e.sendQ()),
                    address(e.localAddress()), port(e.localPort(), o.numeric()), address(e.peerAddress()),
                    e.state() == TcpState.LISTEN ? "*" : port(e.peerPort(), o.numeric()),
                    recvW, sendW, localW, localPortW, peerW, timer));
            if (o.info() && e.info() != null && e.state() != TcpState.TIME_WAIT) out.add("\t " + info(e.info(), o.numeric()));
        }
        return out;
    }

    private static String line(boolean showState, String state, String recv, String send, String local,
                               String localPort, String peer, String peerPort, int recvW, int sendW, int localW,
                               int localPortW, int peerW, String timer) {
        StringBuilder b = new StringBuilder(96);
        if (showState) pad(b, state, 11);
        pad(b, recv, recvW + 1);
        pad(b, send, sendW + 1);
        b.append(' ');
        padLeft(b, local, localW).append(':');
        pad(b, localPort, localPortW).append(' ');
        padLeft(b, peer, peerW).append(':');
        b.append(peerPort);
        if (timer != null) {
            for (int i = peerPort.length(); i < localPortW; i++) b.append(' ');
            b.append(' ').append(timer);
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') end--;
        b.setLength(end);
        return b.toString();
    }

    /**
     * {@code ss -s} as iproute2's print_summary lays it out, from the figures Linux's /proc/net/sockstat gives:
     * {@code alloc} (full TCP sockets: not TIME-WAIT, not SYN-RECV request socks), {@code inuse} (those hashed: not
     * CLOSED), {@code tw}, {@code orphan}, and CurrEstab. As ss computes them, the TCP line's total is alloc + tw and
     * its "closed" is alloc - (inuse - tw), so TIME-WAIT sockets count as closed too; the transport table's TCP row
     * is the hashed sockets by family. Threeway has only TCP sockets: Total is the full sockets with an owner.
     */
    public static List<String> summary(HostSnapshot host) {
        int alloc = 0, inuse4 = 0, inuse6 = 0, tw = 0, orphaned = 0, estab = 0;
        for (SocketEntry e : host.sockets()) {
            if (e.state().countsAsEstablished()) estab++;
            if (e.state() == TcpState.TIME_WAIT) {
                tw++;
                continue;
            }
            if (e.state() == TcpState.SYN_RECEIVED) continue;
            alloc++;
            if (e.orphaned()) orphaned++;
            if (e.state() == TcpState.CLOSED) continue;
            if (e.localAddress().v6()) inuse6++;
            else inuse4++;
        }
        int inuse = inuse4 + inuse6;
        List<String> out = new ArrayList<>();
        out.add("Total: " + (alloc - orphaned));
        out.add("TCP:   " + (alloc + tw) + " (estab " + estab + ", closed " + (alloc - (inuse - tw)) + ", orphaned "
                + orphaned + ", timewait " + tw + ")");
        out.add("");
        out.add("Transport Total     IP        IPv6");
        out.add(row("RAW", 0, 0));
        out.add(row("UDP", 0, 0));
        out.add(row("TCP", inuse4, inuse6));
        out.add(row("INET", inuse4, inuse6));
        out.add(row("FRAG", 0, 0));
        out.add("");
        return out;
    }

    /** A row of ss -s's transport table: {@code printf("TCP\t  %-9d %-9d %-9d\n", ...)}. */
    private static String row(String name, int v4, int v6) {
        return String.format(Locale.ROOT, "%s\t  %-9d %-9d %-9d", name, v4 + v6, v4, v6);
    }

    /** An address as ss prints it: {@code 10.0.1.5}, {@code [2001:db8::1]}, {@code 0.0.0.0}, {@code [::]}. */
    static String address(IpAddress a) {
        return a.v6() ? "[" + a + "]" : a.toString();
    }

    private static String port(int port, boolean numeric) {
        if (!numeric) {
            String name = SERVICES.get(port);
            if (name != null) return name;
        }
        return Integer.toString(port);
    }

    /**
     * ss's timer format (print_ms_timer): minutes as {@code Nmin} (alone from 10 minutes on), then seconds
     * as {@code Nsec}, or below ten seconds {@code N.} followed by milliseconds as {@code NNNms}: {@code 1min},
     * {@code 2min30sec}, {@code 59sec}, {@code 1.500ms}, {@code 200ms}.
     */
    public static String timerTime(long nanos) {
        long ms = Math.max(0, nanos / 1_000_000L);
        long secs = ms / 1000;
        long msecs = ms % 1000;
        long minutes = secs / 60;
        secs %= 60;
        StringBuilder b = new StringBuilder();
        if (minutes > 0) {
            msecs = 0;                                   // print_ms_timer: no milliseconds beside minutes,
            b.append(minutes).append("min");
            if (minutes > 9) secs = 0;                   // and no seconds from ten minutes on
        }
        if (secs > 0) {
            if (secs > 9) msecs = 0;                     // nor beside ten seconds or more
            b.append(secs).append(msecs > 0 ? "." : "sec");
        }
        if (msecs > 0) b.append(String.format(Locale.ROOT, "%03dms", msecs));
        if (b.isEmpty()) b.append("0ms");
        return b.toString();
    }

    /**
     * The {@code -i} fields that mean something for this connection, in ss's order, each as ss prints it; with
     * {@code numeric} (ss -n) rates are raw bits a second.
     */
    static String info(TcpInfo i, boolean numeric) {
        List<String> f = new ArrayList<>();
        if (i.timestamps()) f.add("ts");
        if (i.sack()) f.add("sack");
        if (i.ecn()) f.add("ecn");
        if (i.ecnSeen()) f.add("ecnseen"); // TCPI_OPT_ECN_SEEN: an ECT or CE data segment arrived
        f.add(i.congestionControl());
        if (i.windowScaling()) f.add("wscale:" + i.sndWscale() + "," + i.rcvWscale());
        if (i.rto() > 0) f.add("rto:" + rtoMs(i.rto()));
        if (i.backoff() > 0) f.add("backoff:" + i.backoff());
        if (i.srtt() > 0) f.add("rtt:" + ms(micros(i.srtt())) + "/" + ms(micros(i.rttvar())));
        if (i.mss() > 0) f.add("mss:" + i.mss());
        if (i.rcvMss() > 0) f.add("rcvmss:" + i.rcvMss());
        if (i.advMss() > 0) f.add("advmss:" + i.advMss());
        if (i.cwnd() > 0) f.add("cwnd:" + i.cwnd());
        if (i.ssthresh() > 0 && i.ssthresh() < 0xFFFF) f.add("ssthresh:" + i.ssthresh());
        if (i.bytesSent() > 0) f.add("bytes_sent:" + i.bytesSent());
        if (i.bytesRetrans() > 0) f.add("bytes_retrans:" + i.bytesRetrans());
        if (i.bytesAcked() > 0) f.add("bytes_acked:" + i.bytesAcked());
        if (i.bytesReceived() > 0) f.add("bytes_received:" + i.bytesReceived());
        if (i.segsOut() > 0) f.add("segs_out:" + i.segsOut());
        if (i.segsIn() > 0) f.add("segs_in:" + i.segsIn());
        if (i.dataSegsOut() > 0) f.add("data_segs_out:" + i.dataSegsOut());
        if (i.dataSegsIn() > 0) f.add("data_segs_in:" + i.dataSegsIn());
        if (i.srtt() > 0 && i.cwnd() > 0 && i.mss() > 0) {
            // tcp_show_info: cwnd * mss * 8 / (tcpi_rtt in microseconds), bits a second
            f.add("send " + bps((double) i.cwnd() * i.mss() * 8 * 1e6 / (micros(i.srtt()) / 1000), numeric) + "bps");
        }
        if (i.lastSend() >= 0) f.add("lastsnd:" + i.lastSend() / 1_000_000L);
        if (i.lastReceive() >= 0) f.add("lastrcv:" + i.lastReceive() / 1_000_000L);
        if (i.lastAck() >= 0) f.add("lastack:" + i.lastAck() / 1_000_000L);
        if (i.unacked() > 0) f.add("unacked:" + i.unacked());
        if (i.retransmits() > 0 || i.totalRetrans() > 0) f.add("retrans:" + i.retransmits() + "/" + i.totalRetrans());
        if (i.rcvSpace() > 0) f.add("rcv_space:" + i.rcvSpace());
        if (i.notSent() > 0) f.add("notsent:" + i.notSent());
        if (i.minRtt() > 0 && i.minRtt() != Long.MAX_VALUE) f.add("minrtt:" + ms(micros(i.minRtt())));
        return String.join(" ", f);
    }

    /** Milliseconds as C's %g prints them (six significant digits, no trailing zeros): 204, 0.031, 100.5. */
    static String ms(long nanos) {
        BigDecimal v = BigDecimal.valueOf(nanos).movePointLeft(6).round(new MathContext(6)).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }

    /** A time in nanoseconds cut to whole microseconds, as tcp_info carries RTTs (tcpi_rtt, tcpi_rttvar, tcpi_min_rtt). */
    static long micros(long nanos) {
        return nanos / 1000 * 1000;
    }

    /**
     * The RTO as tcp_info carries it: Linux keeps it in jiffies (usecs_to_jiffies rounds up; HZ 1000 here, the
     * engine's 1 ms timer tick), so ss prints whole milliseconds: {@code rto:201}.
     */
    static String rtoMs(long nanos) {
        return Long.toString((nanos + 999_999) / 1_000_000);
    }

    /**
     * A rate as ss's sprint_bw prints it (iproute2 6.1): raw with {@code -n} ({@code 119156363636}), else three
     * significant digits and a unit ({@code 113G}, {@code 8.56G}, {@code 84.6K}, {@code 900}); the caller adds
     * {@code bps}.
     */
    static String bps(double bps, boolean numeric) {
        if (numeric) return String.format(Locale.ROOT, "%.0f", bps);
        if (bps >= 1e12) return g3(bps / 1e12) + "T";
        if (bps >= 1e9) return g3(bps / 1e9) + "G";
        if (bps >= 1e6) return g3(bps / 1e6) + "M";
        if (bps >= 1e3) return g3(bps / 1e3) + "K";
        return g3(bps);
    }

    /** C's {@code %.3g} for values from 1 to 1000 (no exponent): three significant digits, no trailing zeros. */
    static String g3(double v) {
        BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static StringBuilder pad(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) b.append(' ');
        return b;
    }

    private static StringBuilder padLeft(StringBuilder b, String s, int width) {
        for (int i = s.length(); i < width; i++) b.append(' ');
        return b.append(s);
    }
}
