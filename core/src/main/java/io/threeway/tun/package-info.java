/**
 * Threeway on a real network: a Linux TUN device and the event loop that drives a stack on it.
 *
 * <p>{@link io.threeway.tun.TunDevice} opens {@code /dev/net/tun} and issues TUNSETIFF with
 * {@code IFF_TUN | IFF_NO_PI} through the foreign function and memory API ({@code LinuxSyscalls} binds
 * open, ioctl, read, write, ppoll and eventfd, capturing errno; {@code struct ifreq} is a
 * {@link java.lang.foreign.MemoryLayout}): one read or write is one IP packet. No JNI, no JNA, no library
 * beyond libc. The JVM needs {@code --enable-native-access=ALL-UNNAMED} (the launcher and the tests pass it).
 *
 * <p>{@link io.threeway.tun.TunEventLoop} is the one thread that feeds the stack: it sleeps in ppoll on the
 * device and an eventfd until a packet arrives or the stack's next deadline (or a held packet) falls due,
 * and calls {@code Stack.receive} / {@code Stack.advance} with the real clock, always under the
 * {@link io.threeway.socket.RealTimeRuntime}'s lock, the lock blocking sockets take, so application threads use
 * {@code ThreewaySockets} as in the simulator. Both directions go through {@link io.threeway.sim.Impairment}
 * with a {@link io.threeway.sim.LinkConfig}: the simulator's delay, jitter, loss, duplication, reordering and
 * rate, in user space and real time, with a {@code DelayLine} holding packets until they are due.
 *
 * <p>{@link io.threeway.tun.TunStack} puts it together: device, stack, loop and sockets. The kernel's end of
 * the device is configured by the caller with ip(8) (the CLI's {@code serve} and {@code curl}, and the interop
 * tests, which move it into a network namespace of their own), never by this package.
 *
 * <p>Offloads: {@link io.threeway.tun.TunDevice.Features#OFFLOAD} (TunStack's default) adds IFF_VNET_HDR with
 * TUNSETOFFLOAD: a {@code VirtioNetHdr} in front of each frame, the kernel's TSO super-packets taken whole with
 * their checksums completed ({@code GsoSegments}), the stack's segments merged into GSO super-packets
 * ({@code GsoCoalescer}).
 */
package io.threeway.tun;
