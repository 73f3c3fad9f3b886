package io.threeway.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.tcp.TcpInfo;
import io.threeway.tcp.TcpState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ss -i's fields against iproute2's own ss on a real loopback connection: the kernel's figures (rto, rtt, mss,
 * cwnd) are read from ss's line, given to the formatter, and the formatter must print them, and the send rate
 * derived from them, exactly as ss did, with and without {@code -n}. Needs iproute2 (CI installs it; under
 * CI=true a missing ss fails).
 */
class RealSsTest {
    private static final Pattern FIELD = Pattern.compile("(rto|rtt|mss|cwnd):(\\S+)|send (\\S+)bps");

    @Test
    void infoFieldsAndSendRateReadAsIproute2PrintsThem() throws Exception {
        Assumptions.assumeTrue(hasSs() || fail("ss (iproute2) is missing: install iproute2"), "ss (iproute2) is missing");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            client.getOutputStream().write(new byte[100_000]);
            InputStream in = accepted.getInputStream();
            for (int n = 0; n < 100_000; ) n += in.read(new byte[65536]);
            String peer = ":" + server.getLocalPort();
            for (boolean numeric : new boolean[] {true, false}) {
                Map<String, String> real = fields(infoLine(numeric ? "-tin" : "-ti", peer, numeric));
                TcpInfo info = info(real);
                Map<String, String> ours = fields(SsFormatter.info(info, numeric));
                for (String k : List.of("rto", "rtt", "mss", "cwnd", "send")) {
                    assertEquals(real.get(k), ours.get(k), k + (numeric ? " with -n" : "") + ": " + real);
                }
            }
        }
    }

    /** The kernel's figures as ss printed them, in a TcpInfo (everything else zero or absent). */
    private static TcpInfo info(Map<String, String> f) {
        String[] rtt = f.get("rtt").split("/");
        long rto = Math.round(Double.parseDouble(f.get("rto")) * 1e6);
        long srtt = Math.round(Double.parseDouble(rtt[0]) * 1e6);
        long rttvar = Math.round(Double.parseDouble(rtt[1]) * 1e6);
        int mss = Integer.parseInt(f.get("mss"));
        int cwnd = Integer.parseInt(f.get("cwnd"));
        return new TcpInfo(TcpState.ESTABLISHED, false, false, false, "cubic", false, 0, 0, rto, 0, srtt, rttvar,
                mss, 0, 0, cwnd, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, null, Long.MAX_VALUE, false, 0, 0, 0, cwnd * mss, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, false, false, 0, 0, 0, 0, 0, 0, 0, 0, false);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            if (m.group(3) != null) out.put("send", m.group(3));
            else out.putIfAbsent(m.group(1), m.group(2));
        }
        return out;
    }

    /** The -i line under the client's socket (the one whose peer port is {@code peer}, written {@code :PORT}). */
    private static String infoLine(String flags, String peer, boolean numeric) throws Exception {
        List<String> lines = run("ss", flags).lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String[] cols = lines.get(i).trim().split("\\s+");
            // the client's socket: its peer is the listener's port, on 127.0.0.1 or [::ffff:127.0.0.1]
            if (cols.length >= 5 && cols[4].endsWith(peer) && cols[4].contains("127.0.0.1")) return lines.get(i + 1);
        }
        throw new AssertionError("no socket with peer " + peer + " in ss " + flags + ":\n" + String.join("\n", lines));
    }

    private static boolean hasSs() {
        try {
            run("ss", "-V");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Under CI a missing tool fails; elsewhere the test is skipped. */
    private static boolean fail(String why) {
        if ("true".equals(System.getenv("CI"))) throw new AssertionError(why);
        return false;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
        return out;
    }
}
