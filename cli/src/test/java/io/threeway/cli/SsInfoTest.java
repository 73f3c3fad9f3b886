package io.threeway.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ss -i on a scenario's listener: SYN-RECV sockets name the congestion control their connection will use. */
class SsInfoTest {

    @Test
    void synRecvSocketsNameTheAlgorithmTheConnectionWillUse() {
        for (String cc : List.of("cubic", "reno")) {
            Run r = Run.of("ss", "-tani", "--scenario", "backlog-overflow", "--at", "150ms", "--host", "server",
                    "--sysctl", "net.ipv4.tcp_congestion_control=" + cc);
            assertEquals(0, r.status(), r::toString);
            List<String> lines = r.outLines();
            int synRecv = lines.indexOf(lines.stream().filter(l -> l.startsWith("SYN-RECV")).findFirst().orElseThrow());
            assertTrue(lines.get(synRecv + 1).startsWith("\t ts sack " + cc + " "), lines.get(synRecv + 1));
        }
    }
}
