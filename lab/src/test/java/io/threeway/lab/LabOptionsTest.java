package io.threeway.lab;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.lab.OptionException.OptionsException;
import io.threeway.settings.Sysctl;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue of the lab's options: fields, defaults, and the checks both the CLI and the web lab rely on. */
class LabOptionsTest {
    private static final Scenario HANDSHAKE = Scenarios.find("handshake").orElseThrow();
    private static final Scenario TIME_WAIT = Scenarios.find("time-wait-exhaustion").orElseThrow();

    private static OptionsException refused(Scenario s, String... assignments) {
        return assertThrows(OptionsException.class, () -> LabOptions.build(s, List.of(assignments)));
    }

    @Test
    void buildsEveryCommonOptionFromNameValueStrings() {
        ScenarioOptions o = LabOptions.build(HANDSHAKE, List.of("rtt=20ms", "loss=5%", "jitter=2ms", "reorder=0.01",
                "duplicate=1%", "bandwidth=10mbit", "queue=50", "mtu=1400", "seed=7", "json",
                "sysctl=net.ipv4.tcp_syn_retries=2", "sysctl=net.ipv4.tcp_syncookies=0"));
        LinkOptions l = o.link();
        assertEquals(Duration.ofMillis(20), l.rtt());
        assertEquals(0.05, l.loss(), 1e-12);
        assertEquals(Duration.ofMillis(2), l.jitter());
        assertEquals(0.01, l.reorder(), 1e-12);
        assertEquals(0.01, l.duplicate(), 1e-12);
        assertEquals(10_000_000, l.bandwidth());
        assertEquals(50, l.queue());
        assertEquals(1400, l.mtu());
        assertEquals(7, o.seed());
        assertTrue(o.json());
        assertEquals(2, o.sysctls().get(Sysctl.TCP_SYN_RETRIES));
        assertEquals(0, o.sysctls().get(Sysctl.TCP_SYNCOOKIES));
        var c = l.config();
        assertEquals(10_000_000, c.delay());
        assertEquals(50, c.queuePackets());
        assertEquals(1400, c.mtu());
    }

    @Test
    void defaultsAreTheLabsUnlessTheScenarioSetsItsOwn() {
        ScenarioOptions hs = LabOptions.build(HANDSHAKE, Map.of());
        assertEquals(Duration.ofMillis(100), hs.rtt());
        assertEquals(LinkOptions.DEFAULT, hs.link());
        ScenarioOptions tw = LabOptions.build(TIME_WAIT, Map.of());
        assertEquals(Duration.ofNanos(500_000), tw.rtt(), "time-wait-exhaustion's own default");
        assertEquals("500us", LabOptions.field(TIME_WAIT, "rtt").defaultValue(), "help shows the real default");
        assertEquals("100ms", LabOptions.field(HANDSHAKE, "rtt").defaultValue());
    }

    @Test
    void eachBadValueIsReportedWithItsField() {
        OptionsException e = refused(HANDSHAKE, "rtt=abc", "loss=2", "seed=x", "sysctl=net.ipv4.nope=1", "mtu=40");
        assertEquals(List.of("rtt", "loss", "mtu", "seed", "sysctl"), e.errors().stream().map(OptionException::field).toList());
        assertEquals("'abc' is not a duration: write a number and a unit (ns, us, ms, s, m, h), e.g. 100ms, 1.5s or 250us",
                e.errors().get(0).reason());
        assertEquals("'x' is not a whole number", e.errors().get(3).reason());
        assertEquals("unknown setting 'net.ipv4.nope'", e.errors().get(4).reason());
        assertEquals("'40' is too small: at least 68", e.errors().get(2).reason());
        assertTrue(e.getMessage().startsWith("--rtt: "), e.getMessage());
    }

    @Test
    void fieldsAreCheckedAgainstEachOther() {
        assertEquals("6ms is more than the one-way delay 5ms (half of --rtt 10ms)",
                refused(HANDSHAKE, "rtt=10ms", "jitter=6ms").errors().getFirst().reason());
        assertEquals("queue", refused(HANDSHAKE, "queue=10").errors().getFirst().field(), "no bandwidth, no queue");
        assertEquals("given more than once", refused(HANDSHAKE, "rtt=1ms", "rtt=2ms").errors().getFirst().reason());
        assertEquals("scenario 'handshake' has no such option", refused(HANDSHAKE, "rate=5").errors().getFirst().reason());
        Scenario v4only = new Scenario() { // every scenario of the lab runs over IPv6; one of the user's might not
            @Override public String name() { return "v4-only"; }

            @Override public String summary() { return "a scenario without -6"; }

            @Override public int run(ScenarioOptions options, PrintStream out) { return 0; }
        };
        assertTrue(refused(v4only, "ipv6").errors().getFirst().reason().contains("IPv4 only"));
    }

    @Test
    void scenarioParametersAreTypedAndChecked() {
        ScenarioOptions o = LabOptions.build(TIME_WAIT, List.of("rate=200", "duration=2s"));
        assertEquals(200, o.longParam(TimeWaitParams.RATE));
        OptionsException e = refused(TIME_WAIT, "rate=0", "duration=fast");
        assertEquals(List.of("rate", "duration"), e.errors().stream().map(OptionException::field).toList());
        assertEquals("'0' is too small: at least 1", e.errors().getFirst().reason());
    }

    @Test
    void pcapIntoAMissingDirectoryNamesTheDirectory(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope/x.pcap");
        assertEquals("cannot write " + missing + ": no directory " + dir.resolve("nope"),
                refused(HANDSHAKE, "pcap=" + missing).errors().getFirst().reason());
        Path file = Files.createFile(dir.resolve("plain"));
        assertTrue(refused(HANDSHAKE, "pcap=" + file.resolve("x.pcap")).errors().getFirst().reason()
                .endsWith(file + " is not a directory"));
        assertEquals(dir.resolve("ok.pcap"), LabOptions.build(HANDSHAKE, List.of("pcap=" + dir.resolve("ok.pcap"))).pcap());
    }

    @Test
    void aSettingsFileIsReadWithItsLineNumbers(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("s.conf"), "# comment\nnet.ipv4.tcp_syn_retries = 3\nnet.ipv4.bogus = 1\n");
        OptionException e = refused(HANDSHAKE, "sysctl-file=" + f).errors().getFirst();
        assertEquals("sysctl-file", e.field());
        assertEquals(f + ":3: unknown setting 'net.ipv4.bogus'", e.reason());
        Files.writeString(f, "net.ipv4.tcp_syn_retries = 3\n");
        ScenarioOptions o = LabOptions.build(HANDSHAKE, List.of("sysctl-file=" + f, "sysctl=net.ipv4.tcp_syn_retries=4"));
        assertEquals(4, o.sysctls().get(Sysctl.TCP_SYN_RETRIES), "--sysctl after the file");
    }

    @Test
    void everyScenarioListsTypedFieldsWithValidDefaults() {
        for (Scenario s : Scenarios.all()) {
            List<LabOption> fields = LabOptions.fields(s);
            assertEquals(LabOptions.COMMON.size() + s.parameters().size(), fields.size(), s.name());
            for (LabOption f : fields) {
                if (f.defaultValue() != null) assertDoesNotThrow(() -> f.parse(f.defaultValue()), s.name() + " " + f.name());
            }
            assertDoesNotThrow(() -> LabOptions.build(s, Map.of()), s.name());
        }
    }

    /** The time-wait-exhaustion parameter the test reads back. */
    private static final class TimeWaitParams {
        static final ScenarioParameter RATE = TIME_WAIT.parameters().stream().filter(p -> p.name().equals("rate"))
                .findFirst().orElseThrow();
    }
}
