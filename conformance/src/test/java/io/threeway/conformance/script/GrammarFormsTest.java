package io.threeway.conformance.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each form of packetdrill's grammar (parser.y) that Linux's own tests use, parsed. */
class GrammarFormsTest {

    private static Script parse(String source) {
        return ScriptParser.parse("t.pkt", source);
    }

    private static Event only(String source) {
        List<Event> events = parse(source).events();
        assertEquals(1, events.size(), events::toString);
        return events.get(0);
    }

    private static Event.Syscall call(String source) {
        return assertInstanceOf(Event.Syscall.class, only(source));
    }

    @Test
    void initAndCleanupCommandsSpanLines() {
        Script s = parse("""
                --tolerance_usecs=10000
                `../../common/defaults.sh
                 ../../common/set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0 \\
                          /proc/sys/net/ipv4/tcp_fastopen=0x70403`

                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +.03 `sysctl -q net.ipv4.tcp_fastopen=1`
                `/tmp/sysctl_restore_${PPID}.sh`
                """);
        assertEquals("10000", s.option("tolerance_usecs", "?"));
        assertTrue(s.init().text().startsWith("../../common/defaults.sh\n"), s.init().text());
        assertTrue(s.init().text().endsWith("tcp_fastopen=0x70403"), s.init().text());
        assertEquals(2, s.init().pos().line());
        assertEquals(2, s.events().size());
        assertEquals("sysctl -q net.ipv4.tcp_fastopen=1", ((Event.Shell) s.events().get(1)).command());
        assertEquals("/tmp/sysctl_restore_${PPID}.sh", s.cleanup().text());
    }

    @Test
    void quotedSysctlValuesStayWholeInsideCommands() {
        Event.Shell sh = (Event.Shell) only("0 `sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"`");
        assertEquals("sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"", sh.command());
    }

    @Test
    void hexValuesAndNegativeNumbers() {
        Event.Syscall f = call("+0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)");
        assertEquals(new Expr.Num(f.result().pos(), 2), f.result());
        assertEquals("flags O_RDWR", f.note());
        Event.Syscall g = call("+0 setsockopt(3, SOL_SOCKET, SO_MARK, [0x7fffffff], 4) = -1");
        assertEquals(0x7fffffffL, ((Expr.Num) ((Expr.Array) g.args().get(3)).elements().get(0)).value());
        assertNull(g.errno(), "no errno: any errno is accepted");
    }

    @Test
    void msghdrWithIovecsFlagsAndControlMessages() {
        Event.Syscall c = call("""
                +0 recvmsg(3, {msg_name(...)=...,
                               msg_iov(2)=[{..., 1000}, {..., 500}],
                               msg_flags=MSG_EOR,
                               msg_control=[{cmsg_level=SOL_TCP,
                                             cmsg_type=TCP_CM_INQ,
                                             cmsg_data=9000}]}, 0) = 1000
                """);
        Expr.Struct msg = (Expr.Struct) c.args().get(1);
        Expr.Assign iov = msg.member("msg_iov");
        assertEquals(new Expr.Num(iov.index().pos(), 2), iov.index());
        Expr.Array iovs = (Expr.Array) iov.value();
        assertEquals("{..., 1000}", Expr.text(iovs.elements().get(0)));
        assertEquals("MSG_EOR", Expr.text(msg.field("msg_flags")));
        Expr.Struct cmsg = (Expr.Struct) ((Expr.Array) msg.field("msg_control")).elements().get(0);
        assertEquals("9000", Expr.text(cmsg.field("cmsg_data")));
        assertEquals(1, c.pos().line());
    }

    @Test
    void pollLingerEpollSockaddrAndErrorQueueStructs() {
        assertEquals("[{fd=3, events=POLLIN | POLLOUT | POLLERR, revents=POLLOUT}]", Expr.text(call("""
                +0...0.010 poll([{fd=3,
                        events=POLLIN|POLLOUT|POLLERR,
                        revents=POLLOUT}], 1, 100) = 1
                """).args().get(0)));
        Expr.Struct linger = (Expr.Struct) call("+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0").args().get(3);
        assertEquals("0", Expr.text(linger.field("linger")));
        assertEquals("{events=EPOLLOUT | EPOLLIN | EPOLLET, fd=4}",
                Expr.text(call("+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLOUT|EPOLLIN|EPOLLET, fd=4}) = 0").args().get(3)));
        assertEquals("{events=0, ptr=0}", Expr.text(call("+0 epoll_wait(5, {events=0, ptr=0}, 1, 0) = 0").args().get(1)));
        Expr.Struct sa = (Expr.Struct) call("+0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0").args().get(1);
        assertEquals("htons(8080)", Expr.text(sa.field("sin_port")));
        Event.Syscall ee = call("""
                +0 recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=MSG_ERRQUEUE,
                   msg_control=[{cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,
                                 cmsg_data={ee_errno=ENOMSG, ee_origin=SO_EE_ORIGIN_ZEROCOPY, ee_type=0,
                                            ee_code=SO_EE_CODE_ZEROCOPY_COPIED, ee_info=0, ee_data=0}}]}, MSG_ERRQUEUE) = 0
                """);
        assertEquals("MSG_ERRQUEUE", Expr.text(ee.args().get(2)));
        assertEquals("{scm_sec=0, scm_nsec=0}", Expr.text(call("+0 foo({scm_sec=0, scm_nsec=0}) = 0").args().get(0)));
        assertEquals("\"abc\"...", Expr.text(call("+0 read(3, \"ab\" \"c\"..., 3) = 3").args().get(1)));
    }

    @Test
    void structsMustHaveTheirMembersInOrder() {
        ScriptException e = assertThrows(ScriptException.class, () -> parse("+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {linger=0, onoff=1}, 8) = 0"));
        assertTrue(e.getMessage().contains("{linger=0") || e.getMessage().contains("found"), e.getMessage());
        e = assertThrows(ScriptException.class, () -> parse("+0 poll([{fd=3}], 1, 0) = 0"));
        assertTrue(e.getMessage().contains("a pollfd is {fd=..., events=...[, revents=...]}"), e.getMessage());
        e = assertThrows(ScriptException.class, () -> parse("+0 sendmsg(3, {msg_name(...)=..., msg_flags=0}, 0) = 0"));
        assertTrue(e.getMessage().contains("a msghdr is"), e.getMessage());
    }

    @Test
    void everyFlagFormAndThePlainDash() {
        assertEquals("", tcp("+0 < - 1:1(0) win 100").flags());
        assertEquals(".", tcp("+0 < . 1:1(0) ack 1 win 100").flags());
        assertEquals("SEW", tcp("+0 > SEW 0:0(0) <...>").flags());
        assertEquals("FSRPEWAU.", tcp("+0 < FSRPEWAU. 1:1(0) ack 1 win 1").flags());
        assertEquals("S.4", tcp("+0 > S.4 0:0(0) ack 1 <...>").flags());
        assertEquals(".5", tcp("+0 < .5 1:1(0) ack 1 win 10").flags());
        ScriptException e = assertThrows(ScriptException.class, () -> parse("+0 > SE.4 0:0(0) <...>"));
        assertTrue(e.getMessage().contains("conflicting TCP flag '4'"), e.getMessage());
    }

    @Test
    void everyTcpOption() {
        TcpSpec t = tcp("+0 < S 0:0(0) win 1000 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7,FO 1234abcd,FOEXP,eol>");
        assertEquals(List.of(new TcpOption.Mss(1000), new TcpOption.SackPermitted(), new TcpOption.Timestamp(100, 0), new TcpOption.Nop(),
                new TcpOption.WindowScale(7)), t.options().subList(0, 5));
        assertArrayEquals(new byte[] {0x12, 0x34, (byte) 0xab, (byte) 0xcd}, ((TcpOption.FastOpen) t.options().get(5)).cookie());
        assertEquals(0, ((TcpOption.FastOpen) t.options().get(6)).cookie().length);
        TcpOption.FastOpen digits = (TcpOption.FastOpen) tcp("+0 < S. 0:0(0) ack 1 win 10 <FO 112233445566>").options().get(0);
        assertEquals(6, digits.cookie().length);
        TcpOption.Md5 md5 = (TcpOption.Md5) tcp("+0 < . 1:1(0) ack 1 win 514 <md5 000102030405060708090a0b0c0d0e0f,nop,nop>").options().get(0);
        assertEquals(15, md5.digest()[15]);
        TcpOption.AccEcn acc = (TcpOption.AccEcn) tcp("+0 < . 1:1(0) ack 1 win 5 <ECN e1b 1 ceb 0 e0b 3,nop>").options().get(0);
        assertEquals(List.of("e1b", "ceb", "e0b"), acc.order());
        TcpOption.Sack sack = (TcpOption.Sack) tcp("+0 < . 1:1(0) ack 1 win 5 <sack 1001:2001 3001:4001,nop,nop>").options().get(0);
        assertEquals(2, sack.blocks().size());
        assertThrows(ScriptException.class, () -> parse("+0 < . 1:1(0) ack 1 win 5 <md5 0001>"), "a signature has 16 bytes");
        assertThrows(ScriptException.class, () -> parse("+0 < . 1:1(0) ack 1 win 5 <...>"), "<...> only outbound");
    }

    @Test
    void ipFieldsPortsUdpIcmpAndTunnels() {
        Event.Packet ect = (Event.Packet) only("+0 > [ect0] P. 1:1001(1000) ack 1");
        assertEquals("ect0", ect.ip().ecn());
        assertEquals(2, ect.ip().ecnBits());
        Event.Packet tos = (Event.Packet) only("+0 > (tos 0x20, ttl 64) S 0:0(0) <...>");
        assertEquals(0x20L, tos.ip().tos());
        assertEquals(64L, tos.ip().ttl());
        assertEquals(0x12345L, ((Event.Packet) only("+0 < [flowlabel 0x12345] . 1:1(0) ack 1 win 1")).ip().flowLabel());
        TcpSpec ports = tcp("+0 < 8080 > 9000 S 0:0(0) win 100");
        assertEquals(8080, ports.srcPort());
        assertEquals(9000, ports.dstPort());
        Event.Udp udp = assertInstanceOf(Event.Udp.class, only("+0 < udp (100)"));
        assertEquals(100, udp.length());
        Event.Icmp icmp = assertInstanceOf(Event.Icmp.class, only("+.01 < icmp unreachable frag_needed mtu 1200 [1:1001(1000)]"));
        assertEquals("frag_needed", icmp.code());
        assertEquals(1200, icmp.mtu());
        assertEquals(new Event.Icmp.Echoed("tcp", 1, 1000), icmp.echoed());
        Event.Packet tunnelled = (Event.Packet) only("+0 < ipv4 192.168.0.2 > 192.168.0.1: gre: . 1:1(0) ack 1 win 10");
        assertEquals("ipv4 192.168.0.2 > 192.168.0.1: gre:", tunnelled.encapsulation());
        Event.Packet v6 = (Event.Packet) only("+0 < ipv6 2001:db8::2 > 2001:db8::1: . 1:1(0) ack 1 win 10");
        assertEquals("ipv6 2001:db8::2 > 2001:db8::1:", v6.encapsulation());
        assertEquals("udp(1 > 9811)", ((Event.Packet) only("+0.1 < F. 1:1(0) ack 1 win 32767/udp(1 > 9811)")).encapsulation());
    }

    @Test
    void blockingCallsWithSpacesAroundTheEllipsis() {
        assertEquals(new EventTime(EventTime.Kind.BLOCKING_RELATIVE, 0, 10_000),
                call("+0 ...0.010 sendto(4, ..., 1000, MSG_FASTOPEN, ..., ...) = 1000").time());
        assertEquals(new EventTime(EventTime.Kind.BLOCKING_RELATIVE, 2_000, 4_000), call("+.002 ... 0.004 connect(4, ..., ...) = 0").time());
    }

    @Test
    void timesAnyAndRangesOnlyOnOutboundPackets() {
        assertEquals(EventTime.Kind.RANGE_RELATIVE, only("+.004~+.008 > P. 12001:12401(400) ack 1").time().kind());
        ScriptException e = assertThrows(ScriptException.class, () -> parse("* close(3) = 0"));
        assertTrue(e.getMessage().contains("<star> can only be used with outbound packets"), e.getMessage());
        e = assertThrows(ScriptException.class, () -> parse("1~2 < . 1:1(0) ack 1 win 1"));
        assertTrue(e.getMessage().contains("range can only be used with outbound packets"), e.getMessage());
    }

    @Test
    void codeBlocksSpanLinesAndDefinesSubstitute() {
        Script s = parse("""
                --define=PORT=8080
                --define=CC="reno"
                0 %{ assert 98000 <= tcpi_rwnd_limited <= 110000, tcpi_rwnd_limited;\\
                     assert 328000 <= tcpi_busy_time <= 340000, tcpi_busy_time;\\
                }%
                +0 foo(PORT, CC) = 0
                """);
        Event.Code code = (Event.Code) s.events().get(0);
        assertTrue(code.code().startsWith("assert 98000 <= tcpi_rwnd_limited"), code.code());
        assertTrue(code.code().contains("tcpi_busy_time;\\"), code.code());
        Event.Syscall foo = (Event.Syscall) s.events().get(1);
        assertEquals(new Expr.Num(foo.args().get(0).pos(), 8080), foo.args().get(0));
        assertEquals("\"reno\"", Expr.text(foo.args().get(1)));
    }

    private static TcpSpec tcp(String line) {
        return ((Event.Packet) only(line)).tcp();
    }
}
