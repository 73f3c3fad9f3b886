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
        if (o.summary()) return List.of(summary(host));
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
            if (o.info() && e.info() != null && e.state() != TcpState.TIME_WAIT) out.add("\t" + info(e.info()));
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

    /** {@code TCP: 1542 (estab 340, closed 200, orphaned 0, timewait 982)}, counted from the table. */
    public static String summary(HostSnapshot host) {
        int total = host.sockets().size();
        int estab = 0;
        int closed = 0;
        int orphaned = 0;
        int timewait = 0;
        for (SocketEntry e : host.sockets()) {
            if (e.state().countsAsEstablished()) estab++;
            if (e.state() == TcpState.CLOSED) closed++;
            if (e.state() == TcpState.TIME_WAIT) timewait++;
            else if (e.orphaned()) orphaned++;
        }
        return "TCP: " + total + " (estab " + estab + ", closed " + closed + ", orphaned " + orphaned
                + ", timewait " + timewait + ")";
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

    /** The {@code -i} fields that mean something for this connection, in ss's order. */
    static String info(TcpInfo i) {
        List<String> f = new ArrayList<>();
        if (i.timestamps()) f.add("ts");
        if (i.sack()) f.add("sack");
        if (i.ecn()) f.add("ecn");
        f.add(i.congestionControl());
        if (i.windowScaling()) f.add("wscale:" + i.sndWscale() + "," + i.rcvWscale());
        if (i.rto() > 0) f.add("rto:" + ms(i.rto()));
        if (i.backoff() > 0) f.add("backoff:" + i.backoff());
        if (i.srtt() > 0) f.add("rtt:" + ms(i.srtt()) + "/" + ms(i.rttvar()));
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
            f.add("send " + bps((double) i.cwnd() * i.mss() * 8 * 1e9 / i.srtt()));
        }
        if (i.lastSend() >= 0) f.add("lastsnd:" + i.lastSend() / 1_000_000L);
        if (i.lastReceive() >= 0) f.add("lastrcv:" + i.lastReceive() / 1_000_000L);
        if (i.lastAck() >= 0) f.add("lastack:" + i.lastAck() / 1_000_000L);
        if (i.unacked() > 0) f.add("unacked:" + i.unacked());
        if (i.retransmits() > 0 || i.totalRetrans() > 0) f.add("retrans:" + i.retransmits() + "/" + i.totalRetrans());
        if (i.rcvSpace() > 0) f.add("rcv_space:" + i.rcvSpace());
        if (i.notSent() > 0) f.add("notsent:" + i.notSent());
        if (i.minRtt() > 0 && i.minRtt() != Long.MAX_VALUE) f.add("minrtt:" + ms(i.minRtt()));
        return String.join(" ", f);
    }

    /** Milliseconds as C's %g prints them (six significant digits, no trailing zeros): 204, 0.031, 100.5. */
    static String ms(long nanos) {
        BigDecimal v = BigDecimal.valueOf(nanos).movePointLeft(6).round(new MathContext(6)).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }

    /** A rate as ss's sprint_bps: {@code 1.2Mbps}, {@code 84.6Kbps}, {@code 900bps}. */
    static String bps(double bps) {
        if (bps > 1e9) return String.format(Locale.ROOT, "%.1fGbps", bps / 1e9);
        if (bps > 1e6) return String.format(Locale.ROOT, "%.1fMbps", bps / 1e6);
        if (bps > 1e3) return String.format(Locale.ROOT, "%.1fKbps", bps / 1e3);
        return String.format(Locale.ROOT, "%.0fbps", bps);
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
