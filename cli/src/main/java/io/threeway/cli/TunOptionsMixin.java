package io.threeway.cli;

import io.threeway.settings.Sysctl;
import io.threeway.settings.Sysctls;
import io.threeway.sim.LinkConfig;
import io.threeway.tcp.TcpMemory;
import io.threeway.tun.TunStack;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The options of a command that puts a Threeway stack on a TUN device: the device, the stack's addresses, the
 * impairments of the path, and optionally the kernel's end of the link, which is then configured here with
 * {@code ip(8)} (addresses, up, and a move into a network namespace).
 */
public final class TunOptionsMixin {

    @Option(names = "--tun", paramLabel = "NAME", required = true, description = "The TUN interface to create, e.g. tw0.")
    String tun;

    @Option(names = "--addr", paramLabel = "ADDR/LEN", required = true, converter = AddressConverter.class,
            description = "The stack's IPv4 address and prefix, e.g. 198.18.0.2/15.")
    TunStack.Address addr;

    @Option(names = "--addr6", paramLabel = "ADDR/LEN", converter = AddressConverter.class,
            description = "The stack's IPv6 address and prefix, e.g. 2001:db8::2/64.")
    TunStack.Address addr6;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "The link's MTU (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--kernel-addr", paramLabel = "ADDR/LEN", converter = AddressConverter.class,
            description = "Configure the kernel's end of the device with this address and bring it up (else do it yourself with ip(8)).")
    TunStack.Address kernelAddr;

    @Option(names = "--kernel-addr6", paramLabel = "ADDR/LEN", converter = AddressConverter.class,
            description = "The kernel end's IPv6 address (with --kernel-addr).")
    TunStack.Address kernelAddr6;

    @Option(names = "--netns", paramLabel = "NS",
            description = "Move the kernel's end of the device into this existing network namespace first (with --kernel-addr).")
    String netns;

    @Option(names = "--loss", paramLabel = "RATE", defaultValue = "0", converter = Units.LossConverter.class,
            description = "Probability of losing a packet, each direction: 0.01 or 1%% (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "0ms", converter = Units.DurationConverter.class,
            description = "One-way delay added in each direction, e.g. 20ms (default: ${DEFAULT-VALUE}).")
    Duration delay;

    @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = "0ms", converter = Units.DurationConverter.class,
            description = "Uniform jitter around the delay, at most the delay (default: ${DEFAULT-VALUE}).")
    Duration jitter;

    @Option(names = "--sysctl", paramLabel = "NAME=VALUE", description = {
            "Set one of the stack's settings, as sysctl -w (repeatable), e.g. --sysctl net.ipv4.tcp_mem='1000 2000 3000'. "
                    + "net.ipv4.tcp_mem defaults to what Linux's tcp_init_mem gives for this JVM's heap (-Xmx): pressure at a "
                    + "sixteenth of it."})
    List<String> sysctls = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed for the impairments' draws (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The impairment of each direction. */
    LinkConfig path() {
        if (jitter.compareTo(delay) > 0) throw new IllegalArgumentException("--jitter " + Units.formatDuration(jitter) + " exceeds --delay " + Units.formatDuration(delay));
        return LinkConfig.builder().delay(delay).jitter(jitter).loss(loss).mtu(mtu).build();
    }

    /** Creates the device and the stack, then configures the kernel's end if asked. */
    TunStack open() throws IOException {
        List<TunStack.Address> addresses = new ArrayList<>();
        addresses.add(addr);
        if (addr6 != null) addresses.add(addr6);
        if (addr.address().v6()) throw new IllegalArgumentException("--addr takes an IPv4 address; use --addr6 for IPv6");
        if (addr6 != null && !addr6.address().v6()) throw new IllegalArgumentException("--addr6 takes an IPv6 address");
        LinkConfig path = path();
        TunStack host = TunStack.open(tun, addresses, mtu, settings(), path, path, seed);
        try {
            if (kernelAddr != null) configureKernelSide(host.device().name());
            else if (netns != null || kernelAddr6 != null) throw new IllegalArgumentException("--netns and --kernel-addr6 need --kernel-addr");
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** The stack's settings: Linux's defaults, tcp_mem sized from the heap, then every --sysctl in order. */
    Sysctls settings() {
        Sysctls s = new Sysctls();
        s.set(Sysctl.TCP_MEM, TcpMemory.linuxDefaultFor(Runtime.getRuntime().maxMemory()));
        for (String assignment : sysctls) {
            try {
                s.assign(assignment);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--sysctl " + assignment + ": " + e.getMessage());
            }
        }
        return s;
    }

    /** The ip(8) commands that bring up the kernel's end, for a message when we did not run them. */
    String kernelSideHint(String ifname) {
        return "ip addr add " + (addr.address().v4Bits() == 0 ? "ADDR/LEN" : "<kernel address>/" + addr.prefixLength())
                + " dev " + ifname + " && ip link set " + ifname + " up";
    }

    private void configureKernelSide(String ifname) throws IOException {
        if (netns != null) ip("link", "set", ifname, "netns", netns);
        ip("link", "set", ifname, "mtu", Integer.toString(mtu), "up");
        ip("addr", "add", kernelAddr.toString(), "dev", ifname);
        if (kernelAddr6 != null) ip("-6", "addr", "add", kernelAddr6.toString(), "dev", ifname, "nodad");
    }

    private void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        if (netns != null && !(args[0].equals("link") && args.length > 3 && args[3].equals("netns"))) {
            cmd.add("-n");
            cmd.add(netns);
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Picocli converter for ADDRESS/PREFIX. */
    public static final class AddressConverter implements picocli.CommandLine.ITypeConverter<TunStack.Address> {
        @Override
        public TunStack.Address convert(String value) {
            try {
                return TunStack.Address.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
