package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlCommandTest {

    static void assertOneCleanErrorLine(Run r) {
        assertEquals(1, r.errLines().size(), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void showsOneSettingAsLinuxDoes() {
        Run r = Run.of("sysctl", "net.ipv4.tcp_syncookies");
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of("net.ipv4.tcp_syncookies = 1"), r.outLines());
        assertEquals("", r.err());
    }

    @Test
    void acceptsSlashes() {
        Run r = Run.of("sysctl", "net/ipv4/tcp_syn_retries");
        assertEquals(List.of("net.ipv4.tcp_syn_retries = 6"), r.outLines(), r::toString);
    }

    @Test
    void allListsEverySettingSorted() {
        Run r = Run.of("sysctl", "-a");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.outLines().contains("net.ipv4.tcp_rmem = 4096\t131072\t33554432"), r::toString);
        assertTrue(r.outLines().contains("net.core.somaxconn = 4096"), r::toString);
        assertEquals(r.outLines().stream().sorted().toList(), r.outLines());
    }

    @Test
    void unknownNameIsOneLineAndExitOne() {
        Run r = Run.of("sysctl", "net.ipv4.tcp_foo");
        assertEquals(1, r.status(), r::toString);
        assertEquals("threeway sysctl: cannot stat /proc/sys/net/ipv4/tcp_foo: No such file or directory", r.err().strip(),
                "sysctl(8)'s words");
        assertOneCleanErrorLine(r);
    }

    @Test
    void anUnknownCongestionControlIsRefusedAsLinuxRefusesIt() {
        for (String name : List.of("bbr", "foo")) {
            Run r = Run.of("sysctl", "net.ipv4.tcp_congestion_control=" + name);
            assertEquals(1, r.status(), r::toString);
            assertTrue(r.err().contains("no congestion control named '" + name + "'"), r::toString);
            assertTrue(r.err().contains("tcp_available_congestion_control: reno cubic"), r::toString);
            assertOneCleanErrorLine(r);
        }
        Run reno = Run.of("sysctl", "-w", "net.ipv4.tcp_congestion_control=reno");
        assertEquals(0, reno.status(), reno::toString);
        assertEquals(List.of("net.ipv4.tcp_congestion_control = reno"), reno.outLines());
        // and the lab refuses it before a run, where it used to run with reno
        Run lab = Run.of("lab", "handshake", "--sysctl", "net.ipv4.tcp_congestion_control=bbr");
        assertEquals(2, lab.status(), lab::toString);
        assertTrue(lab.err().contains("no congestion control named 'bbr'"), lab::toString);
    }

    @Test
    void writeFlagTakesAssignmentsOnly() {
        Run ok = Run.of("sysctl", "-w", "net.ipv4.tcp_syn_retries=2", "net.ipv4.tcp_sack=0");
        assertEquals(0, ok.status(), ok::toString);
        assertEquals(List.of("net.ipv4.tcp_syn_retries = 2", "net.ipv4.tcp_sack = 0"), ok.outLines());
        Run bad = Run.of("sysctl", "-w", "net.ipv4.tcp_syn_retries");
        assertEquals(1, bad.status(), bad::toString);
        assertTrue(bad.err().contains("must be of the form name=value"), bad::toString);
    }

    @Test
    void aPrefixListsEverySettingUnderIt() {
        Run r = Run.of("sysctl", "net.core");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.outLines().contains("net.core.somaxconn = 4096"), r::toString);
        assertTrue(r.outLines().stream().allMatch(l -> l.startsWith("net.core.")), r::toString);
        Run ipv4 = Run.of("sysctl", "net/ipv4");
        assertTrue(ipv4.outLines().contains("net.ipv4.tcp_syncookies = 1"), ipv4::toString);
        assertEquals(ipv4.outLines().stream().sorted().toList(), ipv4.outLines());
        Run partial = Run.of("sysctl", "net.ipv4.tcp_syn");
        assertEquals(1, partial.status(), "a prefix is whole name components: " + partial);
    }

    @Test
    void validNamesStillPrintNextToAnUnknownOne() {
        Run r = Run.of("sysctl", "net.ipv4.tcp_foo", "net.ipv4.tcp_sack");
        assertEquals(1, r.status(), r::toString);
        assertEquals(List.of("net.ipv4.tcp_sack = 1"), r.outLines());
        assertOneCleanErrorLine(r);
    }

    @Test
    void setsAndShows() {
        Run r = Run.of("sysctl", "net.ipv4.tcp_syn_retries=2", "net.ipv4.tcp_wmem=4096 65536 1048576");
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of("net.ipv4.tcp_syn_retries = 2", "net.ipv4.tcp_wmem = 4096\t65536\t1048576"), r.outLines());
    }

    @Test
    void badValueIsOneLine() {
        Run r = Run.of("sysctl", "net.ipv4.tcp_syncookies=7");
        assertNotEquals(0, r.status(), r::toString);
        assertTrue(r.err().contains("out of range"), r::toString);
        assertOneCleanErrorLine(r);
    }

    @Test
    void valuesOnly() {
        Run r = Run.of("sysctl", "-n", "net.ipv4.tcp_fin_timeout");
        assertEquals(List.of("60"), r.outLines(), r::toString);
    }

    @Test
    void noArgumentsIsAUsageError() {
        Run r = Run.of("sysctl");
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("--help"), r::toString);
    }

    @Test
    void loadsASettingsFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tcp.conf");
        Files.writeString(f, """
                # keepalive tuned
                net.ipv4.tcp_keepalive_time = 30
                ; another comment

                net.ipv4.tcp_keepalive_intvl=10
                """);
        Run r = Run.of("sysctl", "--load", f.toString());
        assertEquals(0, r.status(), r::toString);
        assertEquals(List.of("net.ipv4.tcp_keepalive_time = 30", "net.ipv4.tcp_keepalive_intvl = 10"), r.outLines());

        Run all = Run.of("sysctl", "-p", f.toString(), "-a");
        assertTrue(all.outLines().contains("net.ipv4.tcp_keepalive_time = 30"), all::toString);
        assertTrue(all.outLines().contains("net.ipv4.tcp_keepalive_probes = 9"), all::toString);
    }

    @Test
    void badSettingsFileLineNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "net.ipv4.tcp_sack = 1\nnet.ipv4.tcp_nope = 3\n");
        Run r = Run.of("sysctl", "--load", f.toString());
        assertEquals(1, r.status(), r::toString);
        assertEquals(List.of("net.ipv4.tcp_sack = 1"), r.outLines());
        assertEquals("threeway sysctl: " + f + ":2: unknown setting 'net.ipv4.tcp_nope'", r.err().strip());
    }

    @Test
    void missingSettingsFileIsOneLine(@TempDir Path dir) {
        Run r = Run.of("sysctl", "--load", dir.resolve("absent.conf").toString());
        assertEquals(1, r.status(), r::toString);
        assertTrue(r.err().contains("no such file"), r::toString);
        assertOneCleanErrorLine(r);
    }
}
