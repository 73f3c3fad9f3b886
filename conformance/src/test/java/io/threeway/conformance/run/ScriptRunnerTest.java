package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.conformance.script.ScriptParser;
import io.threeway.settings.Sysctls;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScriptRunnerTest {

    private static ScriptResult run(String name) {
        try {
            Path p = Path.of(ScriptRunnerTest.class.getResource("/scripts/" + name).toURI());
            return SuiteRunner.run(p, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertPasses(String name) {
        ScriptResult r = run(name);
        assertEquals(ScriptResult.Status.PASS, r.status(), () -> name + ": " + r.describe());
    }

    private static ScriptResult assertFails(String name, String reason) {
        ScriptResult r = run(name);
        assertEquals(ScriptResult.Status.FAIL, r.status(), () -> name + " should fail: " + r.describe());
        assertTrue(r.reason().contains(reason), r::describe);
        return r;
    }

    @Test
    void anActiveOpenWithDataAndCloseMatchesLinux() {
        assertPasses("active-open-pass.pkt");
    }

    @Test
    void aPassiveOpenWithABlockingAcceptAndAReset() {
        assertPasses("passive-open-pass.pkt");
    }

    @Test
    void aFreeBsdScriptGetsTheFreeBsdProfile() {
        ScriptResult r = run("freebsd-handshake-pass.pkt");
        assertEquals(ScriptResult.Status.PASS, r.status(), r::describe);
        assertEquals("freebsd", r.profile());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("sockstat") && n.contains("never executed")), r.notes()::toString);
    }

    @Test
    void sendtoWithMsgFastOpenConnectsAndTheCookieCarriesTheNextSynsData() {
        assertPasses("linux-msg-fastopen-pass.pkt");
    }

    @Test
    void msgFastOpenWithoutTheClientBitFailsWithEopnotsupp() {
        ScriptResult r = assertFails("linux-msg-fastopen-disabled-fail.pkt", "sendto() returned -1 EOPNOTSUPP instead of -1 EINPROGRESS");
        assertTrue(r.actual().contains("EOPNOTSUPP"), r::describe);
    }

    @Test
    void freeBsdTcpFastOpenOnAClientSocketMakesSendtoAFastOpenConnect() {
        ScriptResult r = run("freebsd-tcp-fastopen-pass.pkt");
        assertEquals(ScriptResult.Status.PASS, r.status(), r::describe);
        assertEquals("freebsd", r.profile());
    }

    @Test
    void withoutTcpFastOpenTheFreeBsdSynCarriesNoData() {
        ScriptResult r = assertFails("freebsd-tcp-fastopen-missing-fail.pkt", "length 0 instead of 100");
        assertTrue(r.actual().startsWith("> S "), r::describe);
    }

    @Test
    void aWrongFlagIsSeen() {
        ScriptResult r = assertFails("wrong-flag-fail.pkt", "flags S. instead of R.");
        assertTrue(r.expected().contains("> R. 0:0(0) ack 1"), r::describe);
        assertTrue(r.actual().startsWith("> S. 0:0(0) ack 1"), r::describe);
    }

    @Test
    void aLatePacketIsSeen() {
        // packetdrill's tolerance: the larger of --tolerance_usecs and 12.5% of the time since the previous event.
        ScriptResult r = assertFails("late-packet-fail.pkt", "the stack sent nothing by 0.562500");
        assertEquals(562_500, r.timeUs());
    }

    @Test
    void anUnexpectedResetIsSeen() {
        ScriptResult r = assertFails("extra-rst-fail.pkt", "flags R. instead of F.");
        assertTrue(r.actual().startsWith("> R. 1:1(0) ack 11"), r::describe);
    }

    @Test
    void aWrongReturnValueIsSeen() {
        ScriptResult r = ScriptRunner.run(ScriptParser.parse("inline.pkt", """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 connect(3, ..., ...) = -1 ECONNREFUSED
                """), Profiles.LINUX);
        // A blocking connect() waits for the SYN-ACK; here the SYN goes unanswered and the script ends.
        assertEquals(ScriptResult.Status.FAIL, r.status(), r::describe);
    }

    @Test
    void shellCommandsAreNeverRunButSysctlsAreMapped() {
        io.threeway.host.Stack stack = new io.threeway.host.Stack("t", new Sysctls(), 1);
        Sysctls s = stack.sysctls();
        assertTrue(SysctlMapper.apply("sysctl -w net.ipv4.tcp_sack=0", stack).applied());
        assertEquals(0, s.get(io.threeway.settings.Sysctl.TCP_SACK));
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.rfc1323=0", stack).applied());
        assertEquals(0, s.get(io.threeway.settings.Sysctl.TCP_TIMESTAMPS));
        assertEquals(0, s.get(io.threeway.settings.Sysctl.TCP_WINDOW_SCALING));
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.recvspace=65536", stack).applied());
        assertEquals(65536, s.get(io.threeway.settings.Sysctl.TCP_RMEM, 1));
        SysctlMapper.Mapping m = SysctlMapper.apply("rm -rf /tmp/x", stack);
        assertTrue(!m.applied() && m.note().contains("never executed"), m::toString);
        // RFC 5961's RST check has no Linux sysctl: insecure_rst turns it off in the engine profile.
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.insecure_rst=1", stack).applied());
        assertTrue(!stack.engineProfile().challengeRst());
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.insecure_rst=0", stack).applied());
        assertTrue(stack.engineProfile().challengeRst());
        assertTrue(!SysctlMapper.apply("sysctl -w net.inet.tcp.no_such_thing=1", stack).applied());
        // Fast Open: FreeBSD's switches are tcp_fastopen's client and server bits; path_disable_time is a profile knob.
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.fastopen.server_enable=1", stack).applied());
        assertEquals(3, s.get(io.threeway.settings.Sysctl.TCP_FASTOPEN));
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.fastopen.client_enable=0", stack).applied());
        assertEquals(2, s.get(io.threeway.settings.Sysctl.TCP_FASTOPEN));
        assertTrue(SysctlMapper.apply("sysctl -w net.inet.tcp.fastopen.path_disable_time=60", stack).applied());
        assertEquals(60_000_000_000L, stack.engineProfile().fastOpenPathDisableNanos());
        assertTrue(!SysctlMapper.apply("sysctl -w net.inet.tcp.fastopen.psk_enable=1", stack).applied());
    }
}
