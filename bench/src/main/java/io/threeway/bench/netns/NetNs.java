package io.threeway.bench.netns;

import io.threeway.bench.Tools;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace the bench creates ({@code ip netns add}) and deletes on {@link #close()}, with what it
 * started inside. Threads enter it with setns(2) (through the foreign function API), so kernel sockets can be
 * opened inside it from this JVM; programs run in it with {@code ip netns exec}. Names are unique per process
 * ({@code twb<pid>x<n>}); addresses only from 198.18.0.0/15.
 */
public final class NetNs implements AutoCloseable {
    private static final AtomicInteger SERIAL = new AtomicInteger();
    /** CLONE_NEWNET from sched.h. */
    private static final int CLONE_NEWNET = 0x40000000;
    /** O_RDONLY | O_CLOEXEC. */
    private static final int OPEN_FLAGS = 0x80000;

    private final String name;
    private final List<Process> processes = new ArrayList<>();
    private int loopbackMtu = 65536;

    private NetNs(String name) {
        this.name = name;
    }

    /** Why namespaces cannot be made here, or null if they can (Linux, root, iproute2). */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) return "network namespaces need Linux";
        if (!Tools.isRoot()) return "network namespaces need root";
        if (Tools.quietly(List.of("ip", "netns", "list")) == null) return "'ip netns' (iproute2) is not available";
        return null;
    }

    /** A short unique name (interface names are at most 15 bytes). */
    public static String uniqueName(String prefix) {
        return prefix + ProcessHandle.current().pid() % 100000 + "x" + SERIAL.incrementAndGet();
    }

    /** A new namespace with its loopback up. */
    public static NetNs create() throws IOException {
        NetNs ns = new NetNs(uniqueName("twb"));
        Tools.run(List.of("ip", "netns", "add", ns.name), 30);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() { return name; }

    /** The MTU last set on this namespace's {@code lo} (65536, the kernel's default, until changed). */
    public int loopbackMtu() { return loopbackMtu; }

    /** Sets {@code lo}'s MTU inside the namespace. */
    public void setLoopbackMtu(int mtu) throws IOException {
        exec("ip", "link", "set", "lo", "mtu", Integer.toString(mtu));
        loopbackMtu = mtu;
    }

    /**
     * Moves interface {@code ifname} (made in this process's namespace) into this one and brings it up with
     * {@code cidr} and {@code mtu}. It is deleted with the namespace.
     */
    public void adoptDevice(String ifname, String cidr, int mtu) throws IOException {
        Tools.run(List.of("ip", "link", "set", ifname, "netns", name), 30);
        exec("ip", "link", "set", ifname, "mtu", Integer.toString(mtu), "up");
        exec("ip", "addr", "add", cidr, "dev", ifname);
    }

    /**
     * A counter of this namespace's {@code /proc/net/snmp} or {@code /proc/net/netstat} (group {@code Tcp},
     * {@code TcpExt}, {@code Ip}..., name as nstat prints it after the group).
     */
    public long counter(String group, String field) throws IOException {
        String text = exec("cat", "/proc/net/snmp", "/proc/net/netstat");
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith(group + ":") || !lines[i + 1].startsWith(group + ":")) continue;
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++) {
                if (names[k].equals(field)) return Long.parseLong(values[k]);
            }
        }
        throw new IOException("no counter " + group + ":" + field + " in namespace " + name);
    }

    /** Runs a command inside the namespace to its end; returns its output; throws unless it exits 0. */
    public String exec(String... command) throws IOException {
        return Tools.run(prefixed(command), 300);
    }

    /** Starts a command inside the namespace (output discarded); it is killed on {@link #close()}. */
    public Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(prefixed(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        return p;
    }

    private List<String> prefixed(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", name));
        c.addAll(List.of(command));
        return c;
    }

    /**
     * Moves the calling (platform) thread into this namespace for good: sockets it opens from now on are the
     * namespace's. Call it only on threads made for the purpose.
     */
    public void enterThisThread() throws IOException {
        Linker linker = Linker.nativeLinker();
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle setns = linker.downcallHandle(linker.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom("/var/run/netns/" + name);
            int fd = (int) open.invokeExact(path, OPEN_FLAGS);
            if (fd < 0) throw new IOException("cannot open /var/run/netns/" + name);
            int rc = (int) setns.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) close.invokeExact(fd);
            if (rc != 0) throw new IOException("setns(" + name + ") failed (needs CAP_SYS_ADMIN)");
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("setns(" + name + "): " + t, t);
        }
    }

    /** Runs {@code action} on a new platform thread inside this namespace and returns its result. */
    public <T> T call(Callable<T> action) throws IOException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("bench-in-" + name).start(() -> {
            try {
                enterThisThread();
                result.set(action.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Throwable f = failure.get();
        if (f instanceof IOException io) throw io;
        if (f != null) throw new IOException(f.toString(), f);
        return result.get();
    }

    /** Kills what was started inside, then deletes the namespace (and so every interface left in it). */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Tools.quietly(List.of("ip", "netns", "del", name));
    }
}
