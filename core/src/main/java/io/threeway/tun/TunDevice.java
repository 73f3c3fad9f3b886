package io.threeway.tun;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device (Documentation/networking/tuntap.rst): a network interface whose other end is a file
 * descriptor. Every IP packet the kernel routes out of the interface is one {@link #read}; every packet
 * {@link #write written} is received by the kernel as if it arrived on the interface. No link layer, no ARP,
 * no neighbour discovery: a point-to-point layer-3 link.
 *
 * <p>Opening is {@code open("/dev/net/tun", O_RDWR)} then {@code ioctl(fd, TUNSETIFF, &ifr)} with
 * {@code ifr_flags = IFF_TUN | IFF_NO_PI}: IP packets with no 4-byte packet-information prefix. The device
 * lives as long as the descriptor (it is not made persistent). The fd is non-blocking; the owner waits with
 * {@code ppoll} ({@link TunEventLoop}).
 *
 * <p>Configuring the interface (addresses, up, moving it into a network namespace) is the kernel side's
 * business and done with {@code ip(8)} by whoever sets up the experiment, never by this class.
 *
 * <p><b>Offloads ({@link Features#OFFLOAD}).</b> With {@code IFF_VNET_HDR}, {@code TUNSETVNETHDRSZ} (10) and
 * {@code TUNSETOFFLOAD} ({@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6}) every frame on the descriptor starts
 * with a {@link VirtioNetHdr}: the kernel's TCP then sends through the device as through a NIC with TSO and
 * checksum offload (super-packets of up to 64 KiB, checksums left partial), and accepts the same from us, which
 * is how user-space peers such as gVisor reach tens of Gbit/s. {@link #read} takes the header off (see
 * {@link #lastHeader}); {@link #write} puts an all-zero one in front (one packet, checksums complete);
 * {@link #writeFrame} writes a frame whose header the caller made (a {@link GsoCoalescer}'s super-packet).
 *
 * <p>Thread safety: one thread reads (the event loop); writes may come from any thread and are serialized
 * here.
 */
public final class TunDevice implements AutoCloseable {

    /** The largest packet a read may return: an IPv4 or IPv6 packet without jumbogram support. */
    public static final int MAX_PACKET = 65535;

    /** _IOW('T', 202, int): (1 << 30) | (sizeof(int) << 16) | ('T' << 8) | 202. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    /** IFF_VNET_HDR: a {@code struct virtio_net_hdr} in front of every frame. */
    static final short IFF_VNET_HDR = 0x4000;
    /** _IOW('T', 208, unsigned int): TUNSETOFFLOAD, the offloads the kernel may use toward us. */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** _IOW('T', 216, int): TUNSETVNETHDRSZ, the virtio header's length. */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** TUN_F_CSUM: we accept partial checksums (virtio's NEEDS_CSUM). */
    static final int TUN_F_CSUM = 0x01;
    /** TUN_F_TSO4: we accept TCP over IPv4 super-packets. */
    static final int TUN_F_TSO4 = 0x02;
    /** TUN_F_TSO6: we accept TCP over IPv6 super-packets. */
    static final int TUN_F_TSO6 = 0x04;
    /** The largest frame a read may return: a virtio header and a 64 KiB packet (an IPv6 one with its header). */
    static final int MAX_FRAME = VirtioNetHdr.LENGTH + MAX_PACKET + 40;
    /** IFNAMSIZ: interface names are at most 15 bytes and a NUL. */
    static final int IFNAMSIZ = 16;

    /**
     * {@code struct ifreq} from linux/if.h as TUNSETIFF reads and writes it: the name, then a 24-byte union
     * (its largest member is {@code struct ifmap}) of which TUNSETIFF uses {@code short ifr_flags}.
     */
    static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(IFNAMSIZ, ValueLayout.JAVA_BYTE).withName("ifr_name"),
            ValueLayout.JAVA_SHORT.withName("ifr_flags"),
            MemoryLayout.paddingLayout(22));
    private static final long IFR_NAME = IFREQ.byteOffset(MemoryLayout.PathElement.groupElement("ifr_name"));
    private static final VarHandle IFR_FLAGS = IFREQ.varHandle(MemoryLayout.PathElement.groupElement("ifr_flags"));

    /** What the frames on the descriptor look like. */
    public enum Features {
        /** IFF_TUN | IFF_NO_PI: each read or write is exactly one IP packet. */
        RAW_IP((short) (IFF_TUN | IFF_NO_PI)),
        /**
         * IFF_TUN | IFF_NO_PI | IFF_VNET_HDR with TUNSETOFFLOAD's checksum and TSO for IPv4 and IPv6: a virtio
         * header in front of each packet, super-packets both ways.
         */
        OFFLOAD((short) (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR));

        final short ifrFlags;

        Features(short ifrFlags) { this.ifrFlags = ifrFlags; }
    }

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final String name;
    /** The virtio header's length in front of each frame: 0, or {@link VirtioNetHdr#LENGTH} with offloads. */
    private final int headerLength;
    /** The header of the last packet {@link #read} returned (read by the reading thread only). */
    private final VirtioNetHdr lastHeader = new VirtioNetHdr();
    /** The header {@link #write} puts in front of a packet: all zero. */
    private final byte[] plainHeader = new byte[VirtioNetHdr.LENGTH];
    private final MemorySegment readBuffer;
    private final LinuxSyscalls.CallState readState;
    private final Object writeLock = new Object();
    private final MemorySegment writeBuffer;
    private final LinuxSyscalls.CallState writeState;
    private volatile boolean closed;

    private TunDevice(int fd, String name, int headerLength) {
        this.fd = fd;
        this.name = name;
        this.headerLength = headerLength;
        this.readBuffer = arena.allocate(MAX_FRAME, 16);
        this.writeBuffer = arena.allocate(MAX_FRAME, 16);
        this.readState = new LinuxSyscalls.CallState(arena);
        this.writeState = new LinuxSyscalls.CallState(arena);
    }

    /**
     * Creates the TUN interface {@code name} (e.g. {@code "tw0"}; a name with {@code %d} lets the kernel pick
     * the number) with {@link Features#RAW_IP}. Needs CAP_NET_ADMIN. The interface starts down and without
     * addresses.
     */
    public static TunDevice open(String name) throws IOException {
        return open(name, Features.RAW_IP);
    }

    public static TunDevice open(String name, Features features) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= IFNAMSIZ) throw new IllegalArgumentException("interface name must be 1 to 15 bytes: " + name);
        try (Arena call = Arena.ofConfined()) {
            LinuxSyscalls.CallState cs = new LinuxSyscalls.CallState(call);
            int fd = LinuxSyscalls.open(call, cs, "/dev/net/tun", LinuxSyscalls.O_RDWR | LinuxSyscalls.O_NONBLOCK | LinuxSyscalls.O_CLOEXEC);
            try {
                MemorySegment ifr = call.allocate(IFREQ);
                MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, IFR_NAME, n.length);
                IFR_FLAGS.set(ifr, 0L, features.ifrFlags);
                LinuxSyscalls.ioctl(cs, fd, TUNSETIFF, ifr, "TUNSETIFF " + name);
                // The kernel writes back the name it chose (the same one unless the request had %d).
                String actual = ifr.asSlice(IFR_NAME, IFNAMSIZ).getString(0, StandardCharsets.US_ASCII);
                if (features != Features.OFFLOAD) return new TunDevice(fd, actual, 0);
                MemorySegment size = call.allocate(ValueLayout.JAVA_INT);
                size.set(ValueLayout.JAVA_INT, 0, VirtioNetHdr.LENGTH);
                LinuxSyscalls.ioctl(cs, fd, TUNSETVNETHDRSZ, size, "TUNSETVNETHDRSZ " + actual);
                // TUNSETOFFLOAD takes the flags by value (an unsigned long), not through a pointer.
                LinuxSyscalls.ioctl(cs, fd, TUNSETOFFLOAD, MemorySegment.ofAddress(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6),
                        "TUNSETOFFLOAD " + actual);
                return new TunDevice(fd, actual, VirtioNetHdr.LENGTH);
            } catch (IOException | RuntimeException e) {
                LinuxSyscalls.close(cs, fd);
                throw e;
            }
        }
    }

    /** The interface's name as the kernel knows it. */
    public String name() { return name; }

    /** The file descriptor, for polling. */
    int fd() { return fd; }

    /** Whether frames carry a virtio header (the device was opened with {@link Features#OFFLOAD}). */
    public boolean offloads() {
        return headerLength > 0;
    }

    /**
     * Reads one packet into {@code dst} (without the virtio header, which {@link #lastHeader} then holds);
     * returns its length, or -1 when none is waiting (a frame too short for its header counts as none). Only
     * the event loop calls this.
     */
    public int read(byte[] dst) throws IOException {
        int n = LinuxSyscalls.read(readState, fd, readBuffer, Math.min(dst.length + headerLength, MAX_FRAME));
        if (n <= headerLength) return n <= 0 ? n : -1;
        if (headerLength > 0) {
            MemorySegment.copy(readBuffer, ValueLayout.JAVA_BYTE, 0, dst, 0, headerLength);
            lastHeader.parse(dst, 0);
        }
        MemorySegment.copy(readBuffer, ValueLayout.JAVA_BYTE, headerLength, dst, 0, n - headerLength);
        return n - headerLength;
    }

    /** The virtio header of the packet {@link #read} returned last (all zero without offloads). */
    VirtioNetHdr lastHeader() {
        return lastHeader;
    }

    /**
     * Writes one IP packet: the kernel receives it on the interface (with offloads, behind an all-zero virtio
     * header: one packet, its checksums complete). Returns false if the kernel would not take it now (the
     * packet is then dropped, as a full transmit queue drops). Any thread may call this.
     */
    public boolean write(byte[] packet, int length) throws IOException {
        if (length > MAX_PACKET) throw new IllegalArgumentException("packet of " + length + " bytes");
        synchronized (writeLock) {
            if (closed) throw new IOException(name + ": closed");
            if (headerLength > 0) MemorySegment.copy(plainHeader, 0, writeBuffer, ValueLayout.JAVA_BYTE, 0, headerLength);
            MemorySegment.copy(packet, 0, writeBuffer, ValueLayout.JAVA_BYTE, headerLength, length);
            int total = headerLength + length;
            return LinuxSyscalls.write(writeState, fd, writeBuffer, total) == total;
        }
    }

    /**
     * Writes one frame as it is: a virtio header the caller filled, then the packet (only with offloads).
     * Returns false if the kernel would not take it now.
     */
    boolean writeFrame(byte[] frame, int length) throws IOException {
        if (headerLength == 0 || length > MAX_FRAME) throw new IllegalArgumentException("frame of " + length + " bytes");
        synchronized (writeLock) {
            if (closed) throw new IOException(name + ": closed");
            MemorySegment.copy(frame, 0, writeBuffer, ValueLayout.JAVA_BYTE, 0, length);
            return LinuxSyscalls.write(writeState, fd, writeBuffer, length) == length;
        }
    }

    /** Closes the descriptor, which removes the (non-persistent) interface. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
            LinuxSyscalls.close(writeState, fd);
        }
        // The arena outlives any read in progress only if the event loop has stopped: it closes us after.
        arena.close();
    }

    @Override
    public String toString() {
        return "tun " + name;
    }
}
