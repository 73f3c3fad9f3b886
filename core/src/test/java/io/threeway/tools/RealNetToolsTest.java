package io.threeway.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.threeway.stats.Counter;
import io.threeway.stats.Counters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * netstat -s and nstat against net-tools' netstat and iproute2's nstat on the same counters: the counters are
 * written as Linux's /proc/net/snmp and /proc/net/netstat, the real tools read them in a mount namespace whose
 * /proc holds only those files, and their output must equal the formatters'. Counters are drawn from seeds, many
 * zero, so the zero rules are checked as well. Needs root (unshare, mount) and both tools; under CI=true a missing
 * one fails.
 */
class RealNetToolsTest {
    private static final Counter.Group[] SNMP = {Counter.Group.IP, Counter.Group.ICMP, Counter.Group.TCP};

    @Test
    void netstatSMatchesNetTools(@TempDir Path dir) throws Exception {
        assumeTools("netstat");
        for (long seed = 1; seed <= 4; seed++) {
            Counters c = counters(seed);
            String real = runWithProc(dir, c, "netstat -s");
            assertEquals(real, String.join("\n", NetstatFormatter.format(c)) + "\n", "seed " + seed);
        }
    }

    @Test
    void nstatMatchesIproute2(@TempDir Path dir) throws Exception {
        assumeTools("nstat");
        for (long seed = 1; seed <= 4; seed++) {
            Counters c = counters(seed);
            for (String flags : List.of("-a", "-az")) {
                String real = runWithProc(dir, c, "NSTAT_HISTORY=" + dir.resolve("history") + " nstat " + flags);
                Files.deleteIfExists(dir.resolve("history"));
                List<String> ours = NstatFormatter.format(c, null, 0, true, flags.contains("z"));
                assertEquals(real, String.join("\n", ours) + "\n", "seed " + seed + " " + flags);
            }
        }
    }

    /** Half the counters zero, the others from 1 to a million. */
    private static Counters counters(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Counters c = new Counters();
        for (Counter x : Counter.values()) if (r.nextBoolean()) c.add(x, 1 + r.nextInt(1_000_000));
        return c;
    }

    /** The counters as /proc/net/snmp (Ip, Icmp, Tcp) or /proc/net/netstat (TcpExt) lay them out. */
    static String procFile(Counters c, Counter.Group... groups) {
        StringBuilder b = new StringBuilder();
        for (Counter.Group g : groups) {
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (Counter x : Counter.values()) {
                if (x.group() != g) continue;
                names.add(x.linuxName());
                values.add(Long.toString(c.get(x)));
            }
            b.append(g.label()).append(": ").append(String.join(" ", names)).append('\n');
            b.append(g.label()).append(": ").append(String.join(" ", values)).append('\n');
        }
        return b.toString();
    }

    /** Runs {@code command} in a mount namespace whose /proc/net holds only these counters' files. */
    private static String runWithProc(Path dir, Counters c, String command) throws Exception {
        Files.writeString(dir.resolve("snmp"), procFile(c, SNMP));
        Files.writeString(dir.resolve("netstat"), procFile(c, Counter.Group.TCP_EXT));
        String script = "mount -t tmpfs none /proc && mkdir /proc/net && cp " + dir.resolve("snmp") + " " + dir.resolve("netstat")
                + " /proc/net/ && " + command;
        return run("unshare", "-m", "sh", "-c", script);
    }

    private static void assumeTools(String tool) {
        boolean ok = "root".equals(System.getProperty("user.name")) && which("unshare") && which(tool);
        if (!ok && "true".equals(System.getenv("CI"))) fail(tool + " (and unshare, as root) are needed: install net-tools and iproute2");
        Assumptions.assumeTrue(ok, tool + " or unshare missing, or not root");
    }

    private static boolean which(String tool) {
        try {
            run("sh", "-c", "command -v " + tool);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
        return out;
    }
}
