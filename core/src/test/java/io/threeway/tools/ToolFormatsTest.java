package io.threeway.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.settings.Sysctls;
import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import io.threeway.tcp.TcpState;
import io.threeway.wire.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ss, nstat and Prometheus output against ../shared/reference/formats.md and the formats' own rules. */
class ToolFormatsTest {
    static SocketEntry row(TcpState st, int rq, int sq, String la, int lp, String pa, int pp, String timer, long left) {
        return new SocketEntry(st, rq, sq, IpAddress.parse(la), lp, IpAddress.parse(pa), pp, timer, left, 0, false, null);
    }

    static HostSnapshot sample() {
        Counters c = new Counters();
        c.add(Counter.LISTEN_OVERFLOWS, 12);
        c.add(Counter.CURR_ESTAB, 1);
        return new HostSnapshot("h", 0, List.of(
                row(TcpState.LISTEN, 0, 128, "0.0.0.0", 8080, "0.0.0.0", 0, null, 0),
                row(TcpState.ESTABLISHED, 0, 0, "10.0.1.5", 52431, "10.0.2.10", 5432, "keepalive", 7_140_000_000_000L),
                row(TcpState.TIME_WAIT, 0, 0, "10.0.1.5", 52432, "10.0.2.10", 5432, "timewait", 59_500_000_000L)),
                c, new Sysctls());
    }

    @Test
    void ssTanAsFormatsMd() {
        List<String> lines = SsFormatter.format(sample(), SsOptions.tan(), SsFilter.NONE);
        assertEquals("State      Recv-Q Send-Q  Local Address:Port   Peer Address:Port", lines.get(0));
        assertEquals("LISTEN     0      128           0.0.0.0:8080        0.0.0.0:*", lines.get(1));
        assertEquals("ESTAB      0      0            10.0.1.5:52431     10.0.2.10:5432", lines.get(2));
        assertTrue(lines.get(3).startsWith("TIME-WAIT  0      0            10.0.1.5:52432"));
        for (String l : lines) assertEquals(39, l.indexOf(':'), "local colons align: " + l);
    }

    @Test
    void ssDefaultsFiltersAndTimers() {
        var o = new SsOptions(false, false, true, false, true, false, false, false);
        List<String> lines = SsFormatter.format(sample(), o, SsFilter.NONE);
        assertEquals(2, lines.size(), "ss without -a leaves out LISTEN and TIME-WAIT: " + lines);
        assertTrue(lines.get(1).endsWith(" timer:(keepalive,119min,0)"), lines.get(1));
        List<String> tw = SsFormatter.format(sample(), o, SsFilter.parse(List.of("state", "time-wait")));
        assertEquals("Recv-Q Send-Q  Local Address:Port   Peer Address:Port", tw.get(0), "one state: no State column");
        assertTrue(tw.get(1).endsWith("timer:(timewait,59sec,0)"), tw.get(1));
        assertEquals(3, SsFormatter.format(sample(), SsOptions.tan(), SsFilter.parse(List.of("dst", "10.0.2.0/24"))).size());
        assertEquals(1, SsFormatter.format(sample(), SsOptions.tan(), SsFilter.parse(List.of("dst", "10.0.3.1"))).size());
        // As iproute2's print_summary: closed = alloc - (inuse - tw), so the TIME-WAIT socket counts as closed too.
        assertEquals(List.of("Total: 2", "TCP:   3 (estab 1, closed 1, orphaned 0, timewait 1)", "",
                        "Transport Total     IP        IPv6", "RAW\t  0         0         0        ",
                        "UDP\t  0         0         0        ", "TCP\t  2         2         0        ",
                        "INET\t  2         2         0        ", "FRAG\t  0         0         0        ", ""),
                SsFormatter.format(sample(), new SsOptions(false, false, true, false, false, true, false, false), SsFilter.NONE));
        assertThrows(IllegalArgumentException.class, () -> SsFilter.parse(List.of("state", "bogus")));
    }

    @Test
    void ssTimerTimes() {
        assertEquals("1min", SsFormatter.timerTime(60_000_000_000L));
        assertEquals("2min30sec", SsFormatter.timerTime(150_000_000_000L));
        assertEquals("59sec", SsFormatter.timerTime(59_000_000_000L));
        assertEquals("1.500ms", SsFormatter.timerTime(1_500_000_000L));
        // print_ms_timer's rules: no milliseconds beside ten seconds or more, or beside minutes.
        assertEquals("59sec", SsFormatter.timerTime(59_500_000_000L));
        assertEquals("9.500ms", SsFormatter.timerTime(9_500_000_000L));
        assertEquals("1min30sec", SsFormatter.timerTime(90_250_000_000L));
        assertEquals("200ms", SsFormatter.timerTime(200_000_000L));
        assertEquals("12min", SsFormatter.timerTime(754_000_000_000L));
        assertEquals("204", SsFormatter.ms(204_000_000L));
        assertEquals("0.031", SsFormatter.ms(31_000L));
    }

    @Test
    void nstatLines() {
        Counters before = new Counters();
        before.add(Counter.LISTEN_OVERFLOWS, 2);
        List<String> abs = NstatFormatter.format(sample().counters(), null, 0, false, false);
        assertEquals("#kernel", abs.get(0));
        assertTrue(abs.contains("TcpExtListenOverflows           12                 0.0"), abs.toString());
        List<String> inc = NstatFormatter.format(sample().counters(), before, 2, false, false);
        assertTrue(inc.contains("TcpExtListenOverflows           10                 5.0"), inc.toString());
        assertTrue(NstatFormatter.format(sample().counters(), null, 0, false, true).size() > Counter.values().length / 2,
                "-z shows the zeros");
        assertTrue(NetstatFormatter.format(sample().counters()).contains("    12 times the listen queue of a socket overflowed"));
        // nstat.c's useless_numbers: TcpCurrEstab is never printed, not even with -a -z
        assertTrue(NstatFormatter.format(sample().counters(), null, 0, true, true).stream()
                .noneMatch(l -> l.startsWith("TcpCurrEstab")), "nstat hides TcpCurrEstab");
    }

    @Test
    void prometheusParsesAndUsesNodeExporterNames() {
        String text = PrometheusFormatter.format(sample());
        Map<String, PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(text);
        assertEquals(12.0, samples.get("node_netstat_TcpExt_ListenOverflows").value());
        assertEquals("untyped", samples.get("node_netstat_TcpExt_ListenOverflows").type());
        assertEquals(1.0, samples.get("node_netstat_Tcp_CurrEstab").value());
        assertEquals(1.0, samples.get("node_tcp_connection_states{state=\"time_wait\"}").value());
        assertEquals("gauge", samples.get("node_tcp_connection_states{state=\"listen\"}").type());
    }
}
