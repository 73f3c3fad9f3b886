package io.threeway.lab.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.lab.Scenario;
import io.threeway.lab.ScenarioOptions;
import io.threeway.lab.Scenarios;
import io.threeway.sim.PacketFate;
import io.threeway.tcp.TcpState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run recorder: it changes nothing in a run, and it records what the run did. */
class RunRecorderTest {

    private static String run(String scenario, ScenarioOptions o) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Scenario s = Scenarios.find(scenario).orElseThrow();
        int exit = s.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return exit + "\n" + buf.toString(StandardCharsets.UTF_8);
    }

    /** 5% loss, so that the runs have retransmissions and drops to record. */
    private static ScenarioOptions options(long seed) {
        return ScenarioOptions.defaults().withRtt(Duration.ofMillis(100)).withLoss(0.05).withSeed(seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"handshake", "refused-vs-timeout", "nagle-delayed-ack", "zero-window", "half-open"})
    void scenariosPrintTheSameWithAndWithoutARecorder(String scenario) throws Exception {
        ScenarioOptions o = options(5);
        String plain = run(scenario, o);
        RunRecorder rec = new RunRecorder(RecordLimits.WEB, true);
        String recorded = run(scenario, o.withRecorder(rec));
        assertEquals(plain, recorded, scenario + "'s output with a recorder");
        assertTrue(rec.recordings().stream().mapToInt(r -> r.packets().size()).sum() > 0, "packets recorded");
    }

    @Test
    void theHandshakeIsRecordedWithFatesOrderAndSeries() throws Exception {
        RunRecorder rec = new RunRecorder(RecordLimits.WEB, true);
        run("handshake", ScenarioOptions.defaults().withRecorder(rec));
        Recording r = rec.recordings().get(0);
        List<RecordedPacket> p = r.packets();
        assertEquals("client", p.get(0).from());
        assertEquals("server", p.get(0).to());
        assertEquals(0, p.get(0).sent());
        assertEquals(50_000_000, p.get(0).arrival(), "half the 100 ms RTT");
        assertTrue(p.get(0).line().contains("Flags [S], seq"), p.get(0).line());
        assertEquals(PacketFate.DELIVERED, p.get(0).fate());
        // Every packet is sent before it arrives, and the arrival follows the send in the timeline.
        List<RecordedEvent> ev = r.events();
        for (int i = 1; i < ev.size(); i++) assertTrue(ev.get(i).time() >= ev.get(i - 1).time(), "timeline in order");
        long arrivals = ev.stream().filter(e -> e.kind() == RecordedEvent.Kind.ARRIVE).count();
        assertEquals(p.size(), arrivals, "every delivered packet arrives once");
        assertEquals(TcpState.SYN_SENT, r.transitions().get(0).to());
        // The client's SRTT after the handshake is the RTT.
        int client = r.endpoints().stream().filter(e -> e.host().equals("client")).findFirst().orElseThrow().id();
        long srtt = r.series().stream().filter(s -> s.endpoint() == client && s.srtt() > 0).findFirst().orElseThrow().srtt();
        assertEquals(100_000_000, srtt);
        assertTrue(!r.snapshots().isEmpty(), "the tools' snapshots");
    }

    @Test
    void lossesCarryTheirCause() throws Exception {
        RunRecorder rec = new RunRecorder(RecordLimits.WEB, true);
        run("handshake", ScenarioOptions.defaults().withLoss(0.3).withSeed(4).withRecorder(rec));
        List<RecordedPacket> lost = rec.recordings().get(0).packets().stream().filter(x -> x.fate() == PacketFate.LOST).toList();
        assertTrue(!lost.isEmpty(), "30% loss loses packets");
        for (RecordedPacket x : lost) assertEquals(-1, x.arrival());
    }

    @Test
    void aRunPastItsLimitStopsWithAClearMessage() {
        RunRecorder rec = new RunRecorder(new RecordLimits(5, 1 << 20, 1000, Long.MAX_VALUE), true);
        var e = assertThrows(RecordingTooLargeException.class, () -> run("handshake",
                ScenarioOptions.defaults().withRecorder(rec)));
        assertTrue(e.getMessage().contains("more than 5 packets"), e.getMessage());
    }

    @Test
    void twoRttsMoveTheSeriesSrtt() throws Exception {
        long[] srtt = new long[2];
        int[] rtts = {40, 250};
        for (int i = 0; i < 2; i++) {
            RunRecorder rec = new RunRecorder(RecordLimits.SERIES, false);
            run("handshake", ScenarioOptions.defaults().withRtt(Duration.ofMillis(rtts[i])).withRecorder(rec));
            srtt[i] = rec.recordings().get(0).series().stream().mapToLong(SeriesPoint::srtt).max().orElse(0);
        }
        assertEquals(40_000_000, srtt[0]);
        assertEquals(250_000_000, srtt[1]);
    }
}
