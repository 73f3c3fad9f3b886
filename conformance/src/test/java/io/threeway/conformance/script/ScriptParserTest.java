package io.threeway.conformance.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScriptParserTest {

    private static Script parse(String source) {
        return ScriptParser.parse("t.pkt", source);
    }

    private static Event only(String line) {
        List<Event> events = parse(line).events();
        assertEquals(1, events.size(), events::toString);
        return events.get(0);
    }

    @Test
    void anySequenceNumberOnOutboundLines() {
        Event.Packet p = (Event.Packet) only("+0 > S. ...(0) ack 65538 win 65535 <mss 1460>");
        assertTrue(p.tcp().anySeq());
        assertEquals(0, p.tcp().payload());
        assertEquals(65538L, p.tcp().ack());
        assertThrows(ScriptException.class, () -> parse("+0 < S ...(0) win 100"), "an inbound packet needs its sequence number");
    }

    @Test
    void optionLinesAndComments() {
        Script s = parse("""
                // a comment
                --ip_version=ipv6
                --tolerance_usecs=25000   // trailing comment
                /* a block
                   comment */
                --verbose
                """);
        assertEquals("ipv6", s.option("ip_version", "?"));
        assertEquals("25000", s.option("tolerance_usecs", "?"));
        assertEquals("", s.option("verbose", "?"));
        assertTrue(s.events().isEmpty());
    }

    @Test
    void times() {
        assertEquals(new EventTime(EventTime.Kind.ABSOLUTE, 1_500_000, 1_500_000), only("1.5 close(3) = 0").time());
        assertEquals(new EventTime(EventTime.Kind.RELATIVE, 100_000, 100_000), only("+.1 close(3) = 0").time());
        assertEquals(new EventTime(EventTime.Kind.RELATIVE, 0, 0), only("+ 0.00 close(3) = 0").time());
        assertEquals(EventTime.Kind.ANY, only("* > S 0:0(0) <...>").time().kind());
        assertEquals(new EventTime(EventTime.Kind.RANGE_ABSOLUTE, 1_000_000, 1_200_000), only("1.0~1.2 > . 1:1(0) ack 1").time());
        assertEquals(new EventTime(EventTime.Kind.BLOCKING_ABSOLUTE, 1_000_000, 6_000_000),
                only("1.00...6.00 connect(3, ..., ...) = -1 ETIMEDOUT (Operation timed out)").time());
        assertEquals(new EventTime(EventTime.Kind.BLOCKING_RELATIVE, 100_000, 200_000), only("+.1...0.200 accept(3, ..., ...) = 4").time());
    }

    @Test
    void packets() {
        Event.Packet p = assertInstanceOf(Event.Packet.class,
                only("+0 > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 6,sackOK,TS val 100 ecr 0,eol>"));
        assertEquals(false, p.inbound());
        TcpSpec t = p.tcp();
        assertEquals("S.", t.flags());
        assertEquals(1L, t.ack());
        assertEquals(65535, t.window());
        assertEquals(List.of(new TcpOption.Mss(1460), new TcpOption.Nop(), new TcpOption.WindowScale(6),
                new TcpOption.SackPermitted(), new TcpOption.Timestamp(100, 0), new TcpOption.Eol()), t.options());

        TcpSpec data = ((Event.Packet) only("+0 > P. 1:1001(1000) ack 1 urg 3 <...>")).tcp();
        assertEquals(1000, data.payload());
        assertEquals(3, data.urgent());
        assertNull(data.options(), "<...> means: don't check");
        assertEquals(List.of(), ((Event.Packet) only("+0 > R 1:1(0)")).tcp().options());

        TcpSpec sack = ((Event.Packet) only("0 < . 1:1(0) ack 1 <nop,nop,sack 1001:2001 3001:4001>")).tcp();
        TcpOption.Sack blocks = (TcpOption.Sack) sack.options().get(2);
        assertEquals(2, blocks.blocks().size());
        assertEquals(3001, blocks.blocks().get(1)[0]);
        TcpOption.FastOpen fo = (TcpOption.FastOpen) ((Event.Packet) only("0 < S 0:0(0) <FO 0102abcd,nop,nop>")).tcp().options().get(0);
        assertEquals(4, fo.cookie().length);
        assertEquals("SEW", ((Event.Packet) only("0 > SEW 0:0(0) <...>")).tcp().flags());
    }

    @Test
    void syscalls() {
        Event.Syscall c = assertInstanceOf(Event.Syscall.class,
                only("+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)"));
        assertEquals("connect", c.name());
        assertEquals(3, c.args().size());
        assertInstanceOf(Expr.Ellipsis.class, c.args().get(1));
        assertEquals(new Expr.Num(c.result().pos(), -1), c.result());
        assertEquals("EINPROGRESS", c.errno());
        assertEquals("Operation now in progress", c.note());

        Event.Syscall f = (Event.Syscall) only("+0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0");
        assertEquals("O_RDWR | O_NONBLOCK", Expr.text(f.args().get(2)));
        Event.Syscall g = (Event.Syscall) only("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0");
        assertEquals("[ECONNRESET]", Expr.text(g.args().get(3)));
        Event.Syscall poll = (Event.Syscall) only("+0 poll([{fd=3, events=POLLIN, revents=0}], 1, 0) = 0");
        assertEquals("[{fd=3, events=POLLIN, revents=0}]", Expr.text(poll.args().get(0)));
        assertEquals("0x02 (flags O_RDWR)".length() > 0, true);
        assertEquals("flags O_RDWR", ((Event.Syscall) only("+0 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)")).note());
    }

    @Test
    void shellLinesAndCodeBlocksAreKeptNotRun() {
        Script s = parse("""
                0 `sysctl -w net.inet.tcp.rfc1323=1`
                +0 %{
                assert tcpi_rto == 1000000
                }%
                """);
        Event.Shell sh = assertInstanceOf(Event.Shell.class, s.events().get(0));
        assertEquals("sysctl -w net.inet.tcp.rfc1323=1", sh.command());
        Event.Code code = assertInstanceOf(Event.Code.class, s.events().get(1));
        assertEquals("assert tcpi_rto == 1000000", code.code().strip());
    }

    @Test
    void ifdefTakesTheDefinedBranch() {
        String src = """
                #ifdef FreeBSD
                0 close(3) = 0
                #else
                0 close(4) = 0
                #endif
                """;
        assertEquals("close(3) = 0", ScriptParser.parse("t.pkt", src, Set.of("FreeBSD")).events().get(0).text().substring(2));
        assertEquals("close(4) = 0", ScriptParser.parse("t.pkt", src, Set.of("Linux")).events().get(0).text().substring(2));
    }

    @Test
    void errorsSayFileLineAndColumn() {
        ScriptException e = assertThrows(ScriptException.class, () -> parse("--tolerance_usecs=1\n\n+0 > SX 0:0(0)\n"));
        assertEquals(new SourcePos("t.pkt", 3, 7), e.pos());
        assertTrue(e.getMessage().startsWith("t.pkt:3:7: unknown TCP flag 'X'"), e.getMessage());

        e = assertThrows(ScriptException.class, () -> parse("0 > S 0:10(0)"));
        assertTrue(e.getMessage().contains("does not hold 0 bytes"), e.getMessage());
        e = assertThrows(ScriptException.class, () -> parse("0 > S 0:0(0) <mss 1460,bogus 3>"));
        assertEquals(new SourcePos("t.pkt", 1, 24), e.pos());
        e = assertThrows(ScriptException.class, () -> parse("soon close(3) = 0"));
        assertEquals(1, e.pos().column());
        e = assertThrows(ScriptException.class, () -> parse("0 close(3 = 0"));
        assertTrue(e.getMessage().startsWith("t.pkt:1:11: expected ',' or ')'"), e.getMessage());
    }
}
