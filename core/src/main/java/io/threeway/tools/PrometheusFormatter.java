package io.threeway.tools;

import io.threeway.stats.Counter;
import io.threeway.tcp.TcpState;
import java.util.EnumMap;
import java.util.Map;

/**
 * A host's counters and socket states in Prometheus' text exposition format (version 0.0.4), under the names
 * node_exporter gives the same figures, so dashboards and alerts written for Linux hosts work unchanged:
 * <pre>
 * # HELP node_netstat_TcpExt_ListenOverflows Statistic TcpExtListenOverflows.
 * # TYPE node_netstat_TcpExt_ListenOverflows untyped
 * node_netstat_TcpExt_ListenOverflows 12
 * </pre>
 * Every counter is {@code node_netstat_GROUP_NAME}, untyped (node_exporter's netstat collector); socket
 * counts per state are the gauge {@code node_tcp_connection_states{state="established"}} of its tcpstat
 * collector, with its state names.
 */
public final class PrometheusFormatter {
    private PrometheusFormatter() {}

    /** The content type a scrape should be answered with. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** node_exporter's tcpstat names for the states, in its order. */
    private static final Map<TcpState, String> STATE_LABELS = new EnumMap<>(TcpState.class);

    static {
        STATE_LABELS.put(TcpState.ESTABLISHED, "established");
        STATE_LABELS.put(TcpState.SYN_SENT, "syn_sent");
        STATE_LABELS.put(TcpState.SYN_RECEIVED, "syn_recv");
        STATE_LABELS.put(TcpState.FIN_WAIT_1, "fin_wait1");
        STATE_LABELS.put(TcpState.FIN_WAIT_2, "fin_wait2");
        STATE_LABELS.put(TcpState.TIME_WAIT, "time_wait");
        STATE_LABELS.put(TcpState.CLOSED, "close");
        STATE_LABELS.put(TcpState.CLOSE_WAIT, "close_wait");
        STATE_LABELS.put(TcpState.LAST_ACK, "last_ack");
        STATE_LABELS.put(TcpState.LISTEN, "listen");
        STATE_LABELS.put(TcpState.CLOSING, "closing");
    }

    /** The whole exposition for {@code host}, ending with a line break. */
    public static String format(HostSnapshot host) {
        StringBuilder b = new StringBuilder(8192);
        for (Counter c : Counter.values()) {
            String name = "node_netstat_" + c.group().label() + "_" + c.linuxName();
            b.append("# HELP ").append(name).append(" Statistic ").append(c.nstatName()).append(".\n");
            b.append("# TYPE ").append(name).append(" untyped\n");
            b.append(name).append(' ').append(host.counters().get(c)).append('\n');
        }
        Map<TcpState, Integer> counts = new EnumMap<>(TcpState.class);
        for (SocketEntry e : host.sockets()) counts.merge(e.state(), 1, Integer::sum);
        b.append("# HELP node_tcp_connection_states Number of connection states.\n");
        b.append("# TYPE node_tcp_connection_states gauge\n");
        for (Map.Entry<TcpState, String> s : STATE_LABELS.entrySet()) {
            b.append("node_tcp_connection_states{state=\"").append(s.getValue()).append("\"} ")
                    .append(counts.getOrDefault(s.getKey(), 0)).append('\n');
        }
        return b.toString();
    }
}
