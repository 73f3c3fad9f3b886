package io.threeway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A capture written by the real tcpdump: a TCP exchange over loopback inside a network namespace of its own
 * (so nothing reaches any network), recorded with {@code tcpdump -i lo -w}. Needs root, unshare, tcpdump and
 * python3; skips without them, except under CI=true, where it fails.
 */
final class RealCapture {
    private static final String SCRIPT = """
            set -e
            ip link set lo up
            tcpdump -i lo -U -w "$1" tcp port 8765 2>/dev/null &
            td=$!
            sleep 1
            python3 - <<'PY'
            import socket, threading
            s = socket.socket(); s.bind(("127.0.0.1", 8765)); s.listen(1)
            def serve():
                c, _ = s.accept(); c.recv(100); c.sendall(b"pong"); c.close()
            t = threading.Thread(target=serve); t.start()
            k = socket.create_connection(("127.0.0.1", 8765)); k.sendall(b"ping"); k.recv(10); k.close(); t.join()
            PY
            sleep 1
            kill $td
            wait $td || true
            """;

    private RealCapture() {}

    static Path make(Path dir) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = Files.isExecutable(Path.of("/usr/bin/unshare")) && (Files.isExecutable(Path.of("/usr/bin/tcpdump"))
                || Files.isExecutable(Path.of("/usr/sbin/tcpdump"))) && Files.isExecutable(Path.of("/usr/bin/python3"));
        if (!(root && tools)) {
            if ("true".equals(System.getenv("CI"))) fail("CI runs as root with tcpdump, unshare and python3 installed");
            assumeTrue(false, "needs root, unshare, tcpdump and python3 to capture with the real tcpdump");
        }
        Path pcap = dir.resolve("real-tcpdump.pcap");
        Process p = new ProcessBuilder("unshare", "-n", "bash", "-c", SCRIPT, "capture", pcap.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the capture finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.size(pcap) > 24 + 3 * 16, "tcpdump wrote packets: " + Files.size(pcap) + " bytes; " + out);
        return pcap;
    }
}
