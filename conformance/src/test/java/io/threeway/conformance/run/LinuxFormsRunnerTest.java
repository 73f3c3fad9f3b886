package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.threeway.conformance.script.ScriptParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner with the forms Linux's own packetdrill tests use; each script is written here, never copied. */
class LinuxFormsRunnerTest {
    /** A passive open the tests build on: the stack listens, the script connects with MSS 1000. */
    private static final String ACCEPT = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
            +0 bind(3, ..., ...) = 0
            +0 listen(3, 1) = 0
            +0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
            +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 10>
            +.1 < . 1:1(0) ack 1 win 257
            +0 accept(3, ..., ...) = 4
            """;

    private static ScriptResult run(String source) {
        return ScriptRunner.run(ScriptParser.parse("inline.pkt", source), Profiles.LINUX);
    }

    private static void assertPasses(ScriptResult r) {
        assertEquals(ScriptResult.Status.PASS, r.status(), r::describe);
    }

    private static void assertFails(ScriptResult r, String reason) {
        assertEquals(ScriptResult.Status.FAIL, r.status(), r::describe);
        assertTrue(r.reason().contains(reason), r::describe);
    }

    @Test
    void theInitCommandSourcesAScriptBesideTheTestAndSetsSysctlsNamedEveryWay(@TempDir Path dir) throws IOException {
        Path common = Files.createDirectories(dir.resolve("common"));
        Files.writeString(common.resolve("defaults.sh"), """
                #!/bin/bash
                ip tcp_metrics flush all > /dev/null 2>&1
                sysctl -q net.ipv4.tcp_rmem="4096 540000 $((15*1024*1024))"
                sysctl -q net.ipv4.tcp_fastopen=0x70403   # client, server, and every listener
                sysctl -q net.ipv4.tcp_thin_linear_timeouts=1
                tc qdisc add dev tun0 root pfifo
                """);
        Path sub = Files.createDirectories(dir.resolve("tcp").resolve("sub"));
        Files.createDirectories(dir.resolve("tcp").resolve("common"));
        // git checks a symbolic link out as a file holding its target where links are not made
        Files.writeString(dir.resolve("tcp").resolve("common").resolve("defaults.sh"), "../../common/defaults.sh");
        Path script = sub.resolve("t.pkt");
        Files.writeString(script, """
                `../common/defaults.sh
                 ../common/set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0 \\
                                          /proc/sys/net/ipv4/tcp_sack=0`
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0 > S 0:0(0) <mss 1460,nop,wscale 8>
                +0 `echo 1 > /proc/sys/net/ipv4/tcp_sack`
                `/tmp/sysctl_restore_${PPID}.sh`
                """);
        ScriptResult r = SuiteRunner.run(script, null);
        assertPasses(r); // window scale 8 from tcp_rmem[2] = 15 MiB; no timestamps, no SACK
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("net.ipv4.tcp_thin_linear_timeouts=1: not applied")), r.notes()::toString);
        assertTrue(r.notes().stream().noneMatch(n -> n.contains("tcp_fastopen") || n.contains("sysctl_restore") || n.contains("pfifo")),
                r.notes()::toString);
    }

    @Test
    void aCodeBlockAssertionThatMustFailIsSeenToFail() {
        ScriptResult ok = run(ACCEPT + "+0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n");
        assertPasses(ok);
        ScriptResult r = run(ACCEPT + """
                +0 %{
                assert tcpi_state == TCP_ESTABLISHED, tcpi_state
                assert tcpi_snd_cwnd == 11, 'cwnd=%d' % tcpi_snd_cwnd
                }%
                """);
        assertFails(r, "AssertionError: cwnd=10");
        assertTrue(r.reason().startsWith("inline.pkt:11:"), r.reason()); // the failing line of the block
        assertTrue(r.actual().contains("tcpi_snd_cwnd = 10"), r::describe);
        ScriptResult notKept = run(ACCEPT + "+0 %{ assert tcpi_sndbuf_limited == 1 }%\n");
        assertFails(notKept, "tcpi_sndbuf_limited is not kept");
        assertPasses(run(ACCEPT + "+0 %{ assert tcpi_delivered == 1, tcpi_delivered }%\n")); // the SYN-ACK, delivered
        assertFails(run(ACCEPT + "+0 %{ assert tcpi_delivered == 2, tcpi_delivered }%\n"), "AssertionError: 1");
        ScriptResult beyond = run(ACCEPT + "+0 %{ import os }%\n");
        assertPasses(beyond);
        assertTrue(beyond.notes().stream().anyMatch(n -> n.contains("not run")), beyond.notes()::toString);
    }

    @Test
    void consecutiveSegmentsMatchOneExpectedSuperSegmentUnlessStrict() {
        String script = ACCEPT + """
                +0 write(4, ..., 3000) = 3000
                +0 > P. 1:3001(3000) ack 1
                """;
        assertPasses(run(script)); // the stack sent three segments of 1000; packetdrill aggregates them
        assertFails(run("--strict_segments\n" + script), "length 1000 instead of 3000");
    }

    @Test
    void fdsAreTheScriptsAndMinusOneMayLeaveErrnoOpen() {
        assertPasses(run("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 7
                +0 fcntl(7, F_GETFL) = 0x2 (flags O_RDWR)
                +0 write(7, NULL, 10) = -1
                +0 write(7, NULL, 10) = -1 EFAULT (Bad address)
                +0 close(7) = 0
                +0 close(7) = -1 EBADF (Bad file descriptor)
                """));
    }

    @Test
    void laterSegmentsOfTheScriptAreRelativeToItsIsn() {
        assertPasses(run("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 bind(3, ..., ...) = 0
                +0 listen(3, 1) = 0
                +0 < S 999000:999000(0) win 32792 <mss 1000>
                +0 > S. 1234:1234(0) ack 999001 <mss 1460>
                +.1 < . 1:1(0) ack 1 win 257
                +0 accept(3, ..., ...) = 4
                +0 < P. 1:101(100) ack 1 win 257
                +0 > . 1:1(0) ack 101
                +0 read(4, ..., 1000) = 100
                """));
    }

    @Test
    void edgeTriggeredEpollReportsOnlyNewData() {
        assertPasses(run(ACCEPT + """
                +0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0 epoll_create(1) = 5
                +0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLOUT|EPOLLET, fd=4}) = 0
                +0 epoll_wait(5, {events=EPOLLOUT, fd=4}, 1, 0) = 1
                +0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0
                +0 < P. 1:1001(1000) ack 1 win 257
                +0 epoll_wait(5, {events=EPOLLIN|EPOLLOUT, fd=4}, 1, 0) = 1
                +0 read(4, ..., 500) = 500
                +0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0
                +0 poll([{fd=4, events=POLLIN, revents=POLLIN}], 1, 0) = 1
                """));
    }

    @Test
    void recvmsgReportsTcpInqAndSendmsgSumsItsIovecs() {
        assertPasses(run(ACCEPT + """
                +0 setsockopt(4, SOL_TCP, TCP_INQ, [1], 4) = 0
                +0 < P. 1:3001(3000) ack 1 win 257
                +0 > . 1:1(0) ack 3001
                +0 recvmsg(4, {msg_name(...)=...,
                               msg_iov(2)=[{..., 500}, {..., 500}],
                               msg_flags=0,
                               msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=2000}]}, 0) = 1000
                +0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0
                +0 sendmsg(4, {msg_name(...)=..., msg_iov(3)=[{..., 10}, {..., 0}, {..., 30}], msg_flags=0}, 0) = 40
                +0 > P. 1:41(40) ack 3001
                """));
    }

    @Test
    void sendfileSendsAFileTheInitCommandMade(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("t.pkt");
        Files.writeString(script, "`/bin/rm -f /tmp/f\n/bin/dd bs=1 count=7 if=/dev/zero of=/tmp/f status=none`\n" + ACCEPT + """
                +0 open("/tmp/f", O_RDONLY) = 5
                +0 sendfile(4, 5, [0], 7) = 7
                +0 > P. 1:8(7) ack 1
                +0 open("/tmp/missing", O_RDONLY) = -1 ENOENT (No such file or directory)
                """);
        assertPasses(SuiteRunner.run(script, null));
    }

    @Test
    void anIcmpFragmentationNeededLowersTheSegmentSize() {
        assertPasses(run(ACCEPT + """
                +0 write(4, ..., 1000) = 1000
                +0 > P. 1:1001(1000) ack 1
                +.01 < icmp unreachable frag_needed mtu 576 [1:1001(1000)]
                +0 > . 1:537(536) ack 1
                """));
    }

    @Test
    void packetsAfterTheLastLineAreNotedNotFailedAsPacketdrillNeverReadsThem() {
        ScriptResult r = run(ACCEPT + "+0 write(4, ..., 10) = 10\n");
        assertPasses(r);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("after the last line the stack sent > P. 1:11(10)")), r.notes()::toString);
    }
}
