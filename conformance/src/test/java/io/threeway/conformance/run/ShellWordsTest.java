package io.threeway.conformance.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Backtick commands split as a shell would split them, without running anything. */
class ShellWordsTest {

    @Test
    void quotesArithmeticCommentsContinuationsAndSeparators() {
        List<ShellWords.Simple> c = ShellWords.split("""
                sysctl -q net.ipv4.tcp_rmem="4096 $((256*1024)) $((15*1024*1024))"  # a comment
                ../common/set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0 \\
                    /proc/sys/net/ipv4/tcp_sack=0; echo 1 > /proc/sys/net/ipv4/tcp_ecn && tc qdisc delete dev tun0 root 2>/dev/null
                """);
        assertEquals(4, c.size(), c::toString);
        assertEquals(List.of("sysctl", "-q", "net.ipv4.tcp_rmem=4096 262144 15728640"), c.get(0).words());
        assertEquals(List.of("../common/set_sysctls.py", "/proc/sys/net/ipv4/tcp_timestamps=0", "/proc/sys/net/ipv4/tcp_sack=0"),
                c.get(1).words());
        assertEquals(List.of("echo", "1"), c.get(2).words());
        assertEquals("/proc/sys/net/ipv4/tcp_ecn", c.get(2).stdout());
        assertEquals(List.of("tc", "qdisc", "delete", "dev", "tun0", "root"), c.get(3).words());
        assertNull(c.get(3).stdout(), "2> redirects standard error only");
    }

    @Test
    void redirectionsOfBothStreamsAndDuplications() {
        ShellWords.Simple c = ShellWords.split("ip tcp_metrics flush all &> /dev/null").get(0);
        assertEquals(List.of("ip", "tcp_metrics", "flush", "all"), c.words());
        assertEquals("/dev/null", c.stdout());
        c = ShellWords.split("sysctl -q net.ipv4.tcp_notsent_lowat=4294967295 > /dev/null 2>&1").get(0);
        assertEquals(List.of("sysctl", "-q", "net.ipv4.tcp_notsent_lowat=4294967295"), c.words());
    }

    @Test
    void arithmeticThatIsNotLeftAsWritten() {
        assertEquals(List.of("echo", "$((x+1))"), ShellWords.split("echo $((x+1))").get(0).words());
        assertEquals(List.of("echo", "7"), ShellWords.split("echo $(( (1+2)*2 + 1 ))").get(0).words());
        assertEquals(List.of("echo", "'single' stays"), ShellWords.split("echo \"'single' stays\"").get(0).words());
    }
}
