package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace a test creates, with the kernel side of a TUN link configured inside it, and every
 * process the test starts there. {@link #close()} kills those processes and deletes the namespace (and with
 * it anything left inside), also when the test failed.
 *
 * <p>Addresses are only ever from 198.18.0.0/15 and 2001:db8::/32 (RFC 2544's benchmarking range and RFC
 * 3849's documentation prefix): the kernel side takes .1 and ::1, the stack .2 and ::2.
 */
final class NetNs implements AutoCloseable {
    static final String KERNEL_V4 = "198.18.0.1";
    static final String STACK_V4 = "198.18.0.2";
    static final String KERNEL_V6 = "2001:db8::1";
    static final String STACK_V6 = "2001:db8::2";

    private static final AtomicInteger SERIAL = new AtomicInteger();

    final String name;
    private final List<Process> processes = new ArrayList<>();

    private NetNs(String name) {
        this.name = name;
    }

    /** Skips the calling test, with the reason, unless this machine can run interop tests. */
    static void assumeAvailable() {
        require(System.getProperty("os.name", "").startsWith("Linux"), "interop tests need Linux");
        require(Files.isReadable(Path.of("/dev/net/tun")) && Files.isWritable(Path.of("/dev/net/tun")),
                "interop tests need /dev/net/tun (read-write) and root");
        require("0".equals(String.valueOf(quietly("id", "-u")).trim()), "interop tests need root (CAP_NET_ADMIN)");
        require(quietly("ip", "netns", "list") != null, "interop tests need 'ip netns' (iproute2)");
    }

    /** Skips the calling test with {@code reason} unless {@code ok}; under CI=true (CI runs as root) fails instead. */
    static void require(boolean ok, String reason) {
        if ("true".equals(System.getenv("CI"))) assertTrue(ok, reason + ", and CI=true: failing instead of skipping");
        assumeTrue(ok, reason + ": skipped");
    }

    /** Whether {@code program} is on the PATH (for tests that need curl, python3, ss, tcpdump). */
    static boolean has(String program) {
        return quietly("sh", "-c", "command -v " + program) != null;
    }

    /** A unique, short name: interface names are at most 15 bytes. */
    static String uniqueName(String prefix) {
        return prefix + ProcessHandle.current().pid() % 100000 + "x" + SERIAL.incrementAndGet();
    }

    static NetNs create() throws IOException {
        NetNs ns = new NetNs(uniqueName("twns"));
        run("ip", "netns", "add", ns.name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Moves the TUN interface into this namespace and configures the kernel's end: 198.18.0.1/15 and
     * 2001:db8::1/64 (no duplicate address detection), up, with {@code mtu}.
     */
    void adopt(String ifname, int mtu) throws IOException {
        run("ip", "link", "set", ifname, "netns", name);
        exec("ip", "link", "set", ifname, "mtu", Integer.toString(mtu), "up");
        exec("ip", "addr", "add", KERNEL_V4 + "/15", "dev", ifname);
        exec("ip", "-6", "addr", "add", KERNEL_V6 + "/64", "dev", ifname, "nodad");
    }

    /** Runs a command inside the namespace; fails with its output unless it exits 0. Returns stdout. */
    String exec(String... command) throws IOException {
        return run(inside(command));
    }

    /** Runs a command inside the namespace and returns its exit status and output, whatever the status. */
    Result execResult(long timeoutSeconds, String... command) throws IOException {
        return result(timeoutSeconds, inside(command));
    }

    /** Starts a long-running command inside the namespace; {@link #close()} kills it. */
    Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(inside(command)).redirectErrorStream(true).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    private String[] inside(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return full;
    }

    /** Kills what was started here and deletes the namespace. */
    @Override
    public void close() {
        synchronized (processes) {
            for (Process p : processes) p.descendants().forEach(ProcessHandle::destroyForcibly);
            for (Process p : processes) p.destroyForcibly();
            for (Process p : processes) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
        }
        try {
            run("ip", "netns", "del", name);
        } catch (IOException e) {
            throw new IllegalStateException("could not delete namespace " + name + ": " + e.getMessage(), e);
        }
    }

    record Result(int status, String output) {}

    static String run(String... command) throws IOException {
        Result r = result(60, command);
        if (r.status != 0) throw new IOException(String.join(" ", command) + " exited " + r.status + ": " + r.output.strip());
        return r.output;
    }

    static Result result(long timeoutSeconds, String... command) throws IOException {
        // Output goes to a file, so a chatty command can never fill a pipe and stall.
        Path out = Files.createTempFile("threeway-cmd", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                return done ? new Result(p.exitValue(), text) : new Result(-1, "timed out after " + timeoutSeconds + " s: " + text);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String quietly(String... command) {
        try {
            Result r = result(10, command);
            return r.status == 0 ? r.output : null;
        } catch (IOException e) {
            return null;
        }
    }
}
